package io.tsync.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff (like {@code diff -u}) of two texts, computed by longest common subsequence over the lines
 * between their common start and end; bounded in time and memory by {@link #MAX_PAIRS}.
 */
public final class UnifiedDiff {
    private UnifiedDiff() {}

    /**
     * The most line pairs the diff compares (its table is 4 bytes a pair: 16 MB), after the lines the
     * two texts share at their start and end are set aside; past it the diff is not computed and says
     * so. A host's config file may be anything up to {@link io.tsync.transport.Bounds#CONFIG_FILE}.
     */
    public static final long MAX_PAIRS = 4_000_000;

    public static String diff(String before, String after, String nameBefore, String nameAfter, int context) {
        List<String> a = lines(before);
        List<String> b = lines(after);
        int n = a.size();
        int m = b.size();
        // the common start and end cost nothing: only the part between them needs the table
        int head = 0;
        while (head < n && head < m && a.get(head).equals(b.get(head))) {
            head++;
        }
        int tail = 0;
        while (tail < n - head && tail < m - head && a.get(n - 1 - tail).equals(b.get(m - 1 - tail))) {
            tail++;
        }
        int n1 = n - head - tail;
        int m1 = m - head - tail;
        if ((long) n1 * m1 > MAX_PAIRS) {
            return "--- " + nameBefore + "\n+++ " + nameAfter + "\n(diff not shown: the lines that differ are " + n1 + " before and " + m1
                    + " after, and tsync compares at most " + MAX_PAIRS + " pairs of lines; compare the files by hand)\n";
        }
        int[][] lcs = new int[n1 + 1][m1 + 1];
        for (int i = n1 - 1; i >= 0; i--) {
            for (int j = m1 - 1; j >= 0; j--) {
                lcs[i][j] = a.get(head + i).equals(b.get(head + j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        // edit script: ' ' keep, '-' delete, '+' insert, with positions in a and b
        List<char[]> ops = new ArrayList<>();
        List<int[]> pos = new ArrayList<>();
        for (int k = 0; k < head; k++) {
            ops.add(new char[] {' '});
            pos.add(new int[] {k, k});
        }
        int i = 0;
        int j = 0;
        while (i < n1 || j < m1) {
            if (i < n1 && j < m1 && a.get(head + i).equals(b.get(head + j))) {
                ops.add(new char[] {' '});
                pos.add(new int[] {head + i++, head + j++});
            } else if (i < n1 && (j == m1 || lcs[i + 1][j] >= lcs[i][j + 1])) {
                ops.add(new char[] {'-'});
                pos.add(new int[] {head + i++, head + j});
            } else {
                ops.add(new char[] {'+'});
                pos.add(new int[] {head + i, head + j++});
            }
        }
        for (int k = 0; k < tail; k++) {
            ops.add(new char[] {' '});
            pos.add(new int[] {n - tail + k, m - tail + k});
        }
        StringBuilder out = new StringBuilder();
        int k = 0;
        boolean any = false;
        while (k < ops.size()) {
            if (ops.get(k)[0] == ' ') {
                k++;
                continue;
            }
            int start = Math.max(0, k - context);
            int end = k;
            // extend the hunk while changes are within 2*context of each other
            int last = k;
            while (end < ops.size()) {
                if (ops.get(end)[0] != ' ') {
                    last = end;
                } else if (end - last > 2 * context) {
                    break;
                }
                end++;
            }
            end = Math.min(ops.size(), last + context + 1);
            int aStart = pos.get(start)[0];
            int bStart = pos.get(start)[1];
            int aLen = 0;
            int bLen = 0;
            StringBuilder hunk = new StringBuilder();
            for (int x = start; x < end; x++) {
                char op = ops.get(x)[0];
                int[] p = pos.get(x);
                String line = op == '+' ? b.get(p[1]) : a.get(p[0]);
                hunk.append(op).append(line).append('\n');
                if (op != '+') {
                    aLen++;
                }
                if (op != '-') {
                    bLen++;
                }
            }
            if (!any) {
                out.append("--- ").append(nameBefore).append('\n').append("+++ ").append(nameAfter).append('\n');
                any = true;
            }
            out.append("@@ -").append(range(aStart, aLen)).append(" +").append(range(bStart, bLen)).append(" @@\n").append(hunk);
            k = end;
        }
        return out.toString();
    }

    private static String range(int start, int len) {
        return (len == 0 ? start : start + 1) + "," + len;
    }

    private static List<String> lines(String s) {
        if (s == null || s.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(List.of(s.split("\n", -1)));
        if (s.endsWith("\n")) {
            out.remove(out.size() - 1);
        }
        return out;
    }
}
