package io.tsync.load;

import java.util.ArrayList;
import java.util.List;

/**
 * Ansible's host ranges: {@code web[01:03]} is web01, web02, web03 (a leading zero fixes the width),
 * {@code db[a:c]} is dba, dbb, dbc, {@code n[0:10:5]} has a step, several ranges multiply. The
 * expansion is capped, so a typo like {@code h[0:99999999]} is refused instead of eating the heap.
 */
public final class HostRanges {
    public static final int MAX_HOSTS = 10_000;
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private HostRanges() {}

    /** Thrown for a malformed range; the message says what is wrong, the fix how to write it. */
    public static final class RangeException extends Exception {
        final String fix;

        RangeException(String message, String fix) {
            super(message);
            this.fix = fix;
        }
    }

    public static boolean hasRange(String pattern) {
        int open = pattern.indexOf('[');
        return open >= 0 && pattern.indexOf(']', open) > open;
    }

    public static List<String> expand(String pattern) throws RangeException {
        List<String> out = new ArrayList<>();
        expand(pattern, out);
        return out;
    }

    private static void expand(String pattern, List<String> out) throws RangeException {
        int open = pattern.indexOf('[');
        if (open < 0) {
            if (pattern.indexOf(']') >= 0) {
                throw new RangeException("']' without '[' in host pattern '" + pattern + "'", "write a range as name[01:10] or name[a:f]");
            }
            add(out, pattern);
            return;
        }
        int close = pattern.indexOf(']', open);
        if (close < 0) {
            throw new RangeException("'[' without ']' in host pattern '" + pattern + "'", "write a range as name[01:10] or name[a:f]");
        }
        String head = pattern.substring(0, open);
        String tail = pattern.substring(close + 1);
        String[] parts = pattern.substring(open + 1, close).split(":", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new RangeException("host range '[" + pattern.substring(open + 1, close) + "]' must be [BEGIN:END] or [BEGIN:END:STEP]",
                    "write e.g. web[01:10] or db[a:f]");
        }
        String beg = parts[0].isEmpty() ? "0" : parts[0];
        String end = parts[1];
        if (end.isEmpty()) {
            throw new RangeException("host range '[" + parts[0] + ":]' has no end", "write e.g. web[01:10]");
        }
        int step = 1;
        if (parts.length == 3) {
            if (!parts[2].matches("[1-9][0-9]{0,5}")) {
                throw new RangeException("host range step '" + parts[2] + "' is not a positive whole number", "write e.g. web[0:10:2]");
            }
            step = Integer.parseInt(parts[2]);
        }
        if (beg.length() == 1 && end.length() == 1 && LETTERS.indexOf(beg) >= 0 && LETTERS.indexOf(end) >= 0) {
            int b = LETTERS.indexOf(beg);
            int e = LETTERS.indexOf(end);
            if (b > e) {
                throw new RangeException("host range '[" + beg + ":" + end + "]' runs backwards", "write the smaller bound first");
            }
            for (int i = b; i <= e; i += step) {
                expand(head + LETTERS.charAt(i) + tail, out);
            }
            return;
        }
        if (!beg.matches("[0-9]{1,9}") || !end.matches("[0-9]{1,9}")) {
            throw new RangeException("host range '[" + beg + ":" + end + "]' must be two numbers or two letters",
                    "write e.g. web[01:10] or db[a:f]");
        }
        int width = 0;
        if (beg.length() > 1 && beg.charAt(0) == '0') {
            if (beg.length() != end.length()) {
                throw new RangeException("host range '[" + beg + ":" + end + "]': a zero-padded begin needs an end of the same width",
                        "write e.g. web[01:10] or web[001:100]");
            }
            width = beg.length();
        }
        int b = Integer.parseInt(beg);
        int e = Integer.parseInt(end);
        if (b > e) {
            throw new RangeException("host range '[" + beg + ":" + end + "]' runs backwards", "write the smaller bound first");
        }
        if ((e - b) / step + 1 > MAX_HOSTS) {
            throw new RangeException("host range '[" + beg + ":" + end + "]' has more than " + MAX_HOSTS + " hosts", "split the inventory or check the bounds");
        }
        for (int i = b; i <= e; i += step) {
            String num = String.valueOf(i);
            if (num.length() < width) {
                num = "0".repeat(width - num.length()) + num;
            }
            expand(head + num + tail, out);
        }
    }

    private static void add(List<String> out, String name) throws RangeException {
        if (out.size() >= MAX_HOSTS) {
            throw new RangeException("host ranges expand to more than " + MAX_HOSTS + " hosts", "split the inventory or check the bounds");
        }
        out.add(name);
    }
}
