package io.tsync.model;

import java.util.List;
import java.util.Locale;

/**
 * Ansible's {@code serial}: the sizes of a rollout's waves, each a host count or a percentage of the
 * run's hosts; the last size repeats until every host has a wave ({@code [1, 5, "20%"]}).
 */
public record Serial(List<Size> sizes) {
    public Serial {
        sizes = List.copyOf(sizes);
        if (sizes.isEmpty()) {
            throw new IllegalArgumentException("serial needs at least one wave size");
        }
    }

    /** One wave's size: {@code value} hosts, or {@code value} percent of the run's hosts. */
    public record Size(int value, boolean percent) {
        @Override
        public String toString() {
            return value + (percent ? "%" : "");
        }
    }

    /**
     * "5" or "20%": a count from 1 or a percentage from 1 to 100. The message says what is wrong;
     * the caller adds where.
     */
    public static Size parseSize(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        boolean percent = t.endsWith("%");
        String digits = percent ? t.substring(0, t.length() - 1).strip() : t;
        if (!digits.matches("\\d{1,7}")) {
            throw new IllegalArgumentException("wave size '" + text + "' is neither a host count (5) nor a percentage (20%)");
        }
        int v = Integer.parseInt(digits);
        if (v < 1 || percent && v > 100) {
            throw new IllegalArgumentException("wave size '" + text + "' is out of range: a count is 1 or more, a percentage 1% to 100%");
        }
        return new Size(v, percent);
    }

    @Override
    public String toString() {
        return sizes.size() == 1 ? sizes.get(0).toString()
                : "[" + String.join(", ", sizes.stream().map(s -> s.percent() ? "\"" + s + "\"" : s.toString()).toList()) + "]";
    }
}
