package io.tsync.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link StatusTable}: alignment, formatting and colour. */
class StatusTableTest {

    private static List<HostStatus> fleet() {
        return List.of(
                StatusProbe.parse("web1", Samples.read("probe-chrony-synced.txt")),
                StatusProbe.parse("web2.example.net", Samples.read("probe-chrony-unsynced.txt")),
                StatusProbe.parse("ntp-a", Samples.read("probe-ntpsec-synced.txt")),
                StatusProbe.parse("db1", Samples.read("probe-chrony-down.txt")),
                StatusProbe.parse("c1", Samples.read("probe-chrony-syncing.txt")),
                StatusProbe.unreachable("db2", "ssh: connect to host db2 port 22: Connection timed out"));
    }

    @Test
    void oneAlignedRowPerHost() {
        String table = StatusTable.render(fleet(), false);
        List<String> lines = table.lines().toList();
        assertEquals(7, lines.size());
        assertTrue(table.endsWith("\n"));
        String header = lines.get(0);
        assertTrue(header.startsWith("HOST "));
        for (String col : List.of("LOCAL TIME", "TIMEZONE", "DAEMON", "ACTIVE", "ENABLED", "SOURCE", "ST",
                "LAST OFFSET", "RMS OFFSET", "REACH", "LEAP", "VERDICT", "DETAIL")) {
            assertTrue(header.contains(col), col);
        }
        // every cell of a left-aligned column starts where its header starts
        for (String col : List.of("DAEMON", "SOURCE", "LEAP", "VERDICT", "DETAIL")) {
            int at = header.indexOf(col);
            for (String line : lines.subList(1, lines.size())) {
                assertTrue(line.length() > at && line.charAt(at) != ' ' && line.charAt(at - 1) == ' ',
                        col + " misaligned in: " + line);
            }
        }
        // right-aligned numeric columns end where their header ends
        int reachEnd = header.indexOf("REACH") + "REACH".length();
        for (String line : lines.subList(1, lines.size())) {
            assertTrue(line.charAt(reachEnd - 1) != ' ' && line.charAt(reachEnd) == ' ', "REACH in: " + line);
            assertEquals(line, line.stripTrailing());
        }
        assertFalse(table.contains("\u001b"), "no colour when off");
    }

    @Test
    void cellContents() {
        List<String> lines = StatusTable.render(fleet(), false).lines().toList();
        String web1 = lines.get(1);
        assertTrue(web1.startsWith("web1 "));
        assertTrue(web1.contains("2026-11-25 21:13:35 +01:00"), web1);
        assertTrue(web1.contains("Europe/Berlin"));
        assertTrue(web1.contains("chrony"));
        assertTrue(web1.contains("192.0.2.11"));
        assertTrue(web1.contains("+1ns"), "last offset 0.000000001 s: " + web1);
        assertTrue(web1.contains(" 63ns "), "RMS offset, no sign: " + web1);
        assertTrue(web1.contains(" 377 "), "reach in octal: " + web1);
        assertTrue(web1.contains("Normal"));
        assertTrue(web1.matches(".* synced +4 sources: 1 \\*, 1 \\+, 1 -, 1 \\?"), web1);
        assertTrue(lines.get(2).contains("unsynced"));
        assertTrue(lines.get(2).contains("Not synchronised"));
        assertTrue(lines.get(3).contains("-215.4us"), lines.get(3));
        assertTrue(lines.get(4).contains("daemon down"));
        assertTrue(lines.get(4).contains(" no "), "inactive unit: " + lines.get(4));
        assertTrue(lines.get(5).contains("syncing"));
        String db2 = lines.get(6);
        assertTrue(db2.startsWith("db2 "));
        assertTrue(db2.endsWith(" unreachable  ssh: connect to host db2 port 22: Connection timed out"), db2);
        assertTrue(db2.contains(" - "), "unknown values as dashes");
    }

    @Test
    void colourOnlyTheVerdictAndKeepAlignment() {
        String plain = StatusTable.render(fleet(), false);
        String coloured = StatusTable.render(fleet(), true);
        assertEquals(plain, coloured.replaceAll("\u001b\\[[0-9;]*m", ""));
        List<String> lines = coloured.lines().toList();
        assertFalse(lines.get(0).contains("\u001b"), "header is plain");
        assertTrue(lines.get(1).contains("\u001b[32msynced\u001b[0m"));
        assertTrue(lines.get(2).contains("\u001b[31munsynced\u001b[0m"));
        assertTrue(lines.get(4).contains("\u001b[1;31mdaemon down\u001b[0m"));
        assertTrue(lines.get(5).contains("\u001b[33msyncing\u001b[0m"));
        assertTrue(lines.get(6).contains("\u001b[35munreachable\u001b[0m"));
        for (String line : lines.subList(1, lines.size())) {
            assertEquals(2, line.split("\u001b\\[", -1).length - 1, "exactly one coloured span: " + line);
        }
    }

    @Test
    void emptyFleetIsJustTheHeader() {
        String t = StatusTable.render(List.of(), true);
        assertEquals(1, t.lines().count());
        assertTrue(t.startsWith("HOST"));
    }

    @Test
    void offsetFormatting() {
        assertEquals("-", StatusTable.offset(null));
        assertEquals("+0ns", StatusTable.offset(0.0));
        assertEquals("-543ns", StatusTable.offset(-0.000000543));
        assertEquals("+12.3us", StatusTable.offset(0.0000123));
        assertEquals("-215.4us", StatusTable.offset(-0.000215432));
        assertEquals("+1.234ms", StatusTable.offset(0.001234));
        assertEquals("-812.335ms", StatusTable.offset(-0.812335));
        assertEquals("-2.500s", StatusTable.offset(-2.499999523));
        assertEquals("25.1us", StatusTable.rms(0.0000251), "an RMS is a magnitude: no sign");
        assertEquals("-", StatusTable.rms(null));
    }
}
