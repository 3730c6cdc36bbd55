package io.tsync.status;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders {@link HostStatus} rows as the aligned text table of {@code tsync status}: one row per host, columns padded
 * to their widest cell, unknown values as {@code -}, the reach in octal, offsets with a unit ({@code ns}, {@code us},
 * {@code ms}, {@code s}). With colour on, only the verdict is coloured (ANSI), and the alignment is unchanged.
 */
public final class StatusTable {
    private static final String RESET = "\u001b[0m";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss xxx", Locale.ROOT);
    private static final List<String> HEADERS = List.of("HOST", "LOCAL TIME", "TIMEZONE", "DAEMON", "ACTIVE",
            "ENABLED", "SOURCE", "ST", "LAST OFFSET", "RMS OFFSET", "MEASURED", "REACH", "LEAP", "*", "+", "-", "?", "x", "~",
            "VERDICT", "DETAIL");
    /** Columns aligned to the right (numbers). */
    private static final List<String> RIGHT = List.of("ST", "LAST OFFSET", "RMS OFFSET", "REACH", "*", "+", "-", "?",
            "x", "~");
    private static final int VERDICT = HEADERS.indexOf("VERDICT");

    private StatusTable() {}

    /** The table, one line per host after a header line, each line ending in a newline. */
    public static String render(List<HostStatus> hosts, boolean color) {
        return render(hosts, null, color);
    }

    /**
     * The table with a PLAYBOOK column (before DETAIL) saying whether each host matches a playbook,
     * e.g. "matches" or "drift: 2 changes"; {@code playbook} is null to leave the column out.
     */
    public static String render(List<HostStatus> hosts, List<String> playbook, boolean color) {
        List<List<String>> rows = new ArrayList<>();
        List<String> headers = new ArrayList<>(HEADERS);
        if (playbook != null) {
            headers.add(headers.size() - 1, "PLAYBOOK");
        }
        rows.add(headers);
        for (int hi = 0; hi < hosts.size(); hi++) {
            List<String> c = cells(hosts.get(hi));
            if (playbook != null) {
                c.add(c.size() - 1, playbook.get(hi));
            }
            rows.add(c);
        }
        int[] width = new int[headers.size()];
        for (List<String> r : rows) {
            for (int i = 0; i < r.size(); i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int ri = 0; ri < rows.size(); ri++) {
            List<String> r = rows.get(ri);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                if (i > 0) {
                    line.append("  ");
                }
                String cell = r.get(i);
                String padding = " ".repeat(width[i] - cell.length());
                boolean last = i == r.size() - 1;
                if (ri > 0 && i == VERDICT && color) {
                    line.append(colour(hosts.get(ri - 1).verdict())).append(cell).append(RESET).append(padding);
                } else if (RIGHT.contains(headers.get(i))) {
                    line.append(padding).append(cell);
                } else {
                    line.append(cell).append(last ? "" : padding);
                }
            }
            out.append(stripTrailing(line)).append('\n');
        }
        return out.toString();
    }

    /** Formats an offset in seconds like chronyc does: {@code +12ns}, {@code -3.4us}, {@code +1.234ms}, {@code +2.500s}. */
    public static String offset(Double seconds) {
        return seconds == null ? "-" : (seconds < 0 ? "-" : "+") + magnitude(seconds);
    }

    /** An RMS offset: a magnitude, never negative, so printed without a sign. */
    public static String rms(Double seconds) {
        return seconds == null ? "-" : magnitude(seconds);
    }

    private static String magnitude(double s) {
        double a = Math.abs(s);
        if (a < 1e-6) {
            return String.format(Locale.ROOT, "%.0fns", a * 1e9);
        } else if (a < 1e-3) {
            return String.format(Locale.ROOT, "%.1fus", a * 1e6);
        } else if (a < 1) {
            return String.format(Locale.ROOT, "%.3fms", a * 1e3);
        }
        return String.format(Locale.ROOT, "%.3fs", a);
    }

    private static List<String> cells(HostStatus h) {
        List<String> c = new ArrayList<>();
        c.add(h.host());
        c.add(h.localTime() == null ? "-" : h.localTime().format(TIME));
        c.add(orDash(h.timezone()));
        c.add(h.daemonKey());
        c.add(yesNo(h.active()));
        c.add(yesNo(h.enabled()));
        c.add(orDash(h.selectedSource()));
        c.add(h.stratum() == null ? "-" : h.stratum().toString());
        c.add(offset(h.lastOffsetSeconds()));
        c.add(rms(h.rmsOffsetSeconds()));
        c.add(ClockVerdict.text(h.measured()));
        c.add(h.reach() == null ? "-" : Integer.toOctalString(h.reach()));
        c.add(orDash(h.leap()));
        boolean noSources = h.verdict() == Verdict.UNREACHABLE || h.verdict() == Verdict.DAEMON_DOWN;
        for (Character s : HostStatus.STATES) {
            c.add(noSources ? "-" : String.valueOf(h.sourceStateCounts().get(s)));
        }
        c.add(h.verdict().label());
        c.add(h.detail().isEmpty() ? "-" : h.detail());
        return c;
    }

    private static String colour(Verdict v) {
        return switch (v) {
            case SYNCED -> "\u001b[32m";
            case SYNCING -> "\u001b[33m";
            case UNSYNCED -> "\u001b[31m";
            case DAEMON_DOWN, CLOCK_WRONG -> "\u001b[1;31m";
            case UNREACHABLE -> "\u001b[35m";
        };
    }

    private static String yesNo(Boolean b) {
        return b == null ? "-" : b ? "yes" : "no";
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    private static String stripTrailing(StringBuilder sb) {
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') {
            end--;
        }
        return sb.substring(0, end);
    }
}
