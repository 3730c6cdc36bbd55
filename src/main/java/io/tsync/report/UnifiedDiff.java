package io.tsync.report;

import java.util.ArrayList;
import java.util.List;

/** A unified diff (like {@code diff -u}) of two small texts, computed by longest common subsequence. */
public final class UnifiedDiff {
    private UnifiedDiff() {}

    public static String diff(String before, String after, String nameBefore, String nameAfter, int context) {
        List<String> a = lines(before);
        List<String> b = lines(after);
        int n = a.size();
        int m = b.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        // edit script: ' ' keep, '-' delete, '+' insert, with positions in a and b
        List<char[]> ops = new ArrayList<>();
        List<int[]> pos = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).equals(b.get(j))) {
                ops.add(new char[] {' '});
                pos.add(new int[] {i++, j++});
            } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
                ops.add(new char[] {'-'});
                pos.add(new int[] {i++, j});
            } else {
                ops.add(new char[] {'+'});
                pos.add(new int[] {i, j++});
            }
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
