package io.tsync.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UnifiedDiffTest {
    @Test
    void changedLineWithContext() {
        String a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
        String b = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
        assertEquals("--- a\n+++ b\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n", UnifiedDiff.diff(a, b, "a", "b", 3));
    }

    @Test
    void newFileAndIdenticalFiles() {
        assertEquals("--- a\n+++ b\n@@ -0,0 +1,2 @@\n+x\n+y\n", UnifiedDiff.diff("", "x\ny\n", "a", "b", 3));
        assertEquals("", UnifiedDiff.diff("x\n", "x\n", "a", "b", 3));
    }

    @Test
    void longFilesWithOneChangeCostOnlyTheChangedPart() {
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            a.append("l").append(i).append('\n');
            b.append(i == 50_000 ? "X" : "l" + i).append('\n');
        }
        // without setting the common start and end aside this would need a 40-GB table
        assertEquals("--- a\n+++ b\n@@ -49998,7 +49998,7 @@\n l49997\n l49998\n l49999\n-l50000\n+X\n l50001\n l50002\n l50003\n",
                UnifiedDiff.diff(a.toString(), b.toString(), "a", "b", 3));
    }

    @Test
    void pastTheBoundTheDiffSaysSoInsteadOfGrowing() {
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            a.append("a").append(i).append('\n');
            b.append("b").append(i).append('\n');
        }
        assertEquals("--- a\n+++ b\n(diff not shown: the lines that differ are 3000 before and 3000 after, and tsync compares at most"
                + " 4000000 pairs of lines; compare the files by hand)\n", UnifiedDiff.diff(a.toString(), b.toString(), "a", "b", 3));
        // just within the bound it is computed
        String d = UnifiedDiff.diff(a.substring(0, a.indexOf("a2000\n")), b.substring(0, b.indexOf("b2000\n")), "a", "b", 3);
        assertTrue(d.startsWith("--- a\n+++ b\n@@ -1,2000 +1,2000 @@\n-a0\n"), d.substring(0, 60));
    }

    @Test
    void aFileWithoutNewlineIsOneLine() {
        String big = "x".repeat(300_000);
        assertEquals("--- a\n+++ b\n@@ -1,1 +1,1 @@\n-" + big + "\n+server a\n", UnifiedDiff.diff(big, "server a\n", "a", "b", 3));
    }
}
