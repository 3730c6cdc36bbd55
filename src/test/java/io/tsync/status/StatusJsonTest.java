package io.tsync.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Validates {@link StatusJson} output against the schema documented in docs/status-json.md: the keys are read from
 * the document's tables, the types checked by the rules below, and the values parsed back with a strict reader.
 */
class StatusJsonTest {

    private static final List<String> SAMPLES = List.of("probe-chrony-synced.txt", "probe-chrony-unsynced.txt",
            "probe-chrony-syncing.txt", "probe-chrony-local.txt", "probe-chrony-down.txt", "probe-no-systemd-down.txt",
            "probe-ntpsec-synced.txt", "probe-ntpsec-down.txt", "probe-timesyncd.txt", "probe-timesyncd-synced.txt");

    /** Expected type per key: S string, S? nullable string, I/I? integer, N? number, B/B? boolean, O object, A array. */
    private static final Map<String, String> HOST_TYPES = ordered(
            "host", "S", "verdict", "S", "detail", "S", "localTime", "S?", "timezone", "S?", "daemon", "S",
            "active", "B?", "enabled", "B?", "selectedSource", "S?", "stratum", "I?", "lastOffsetSeconds", "N?",
            "rmsOffsetSeconds", "N?", "measuredOffsetSeconds", "N?", "measuredErrorSeconds", "N?", "reach", "I?", "leap", "S?", "sourceStateCounts", "O", "sources", "A");
    private static final Map<String, String> SOURCE_TYPES = ordered(
            "state", "S", "tally", "S", "mode", "S", "address", "S", "refid", "S?", "stratum", "I", "pollLog2", "I",
            "reach", "I", "lastRxSeconds", "I?", "offsetSeconds", "N?", "measuredOffsetSeconds", "N?",
            "errorSeconds", "N?", "delaySeconds", "N?", "jitterSeconds", "N?", "poolPlaceholder", "B");
    private static final Set<String> VERDICTS = Set.of("synced", "syncing", "unsynced", "daemon_down", "clock_wrong", "unreachable");
    private static final Set<String> DAEMONS = Set.of("chrony", "ntpd", "timesyncd", "none");
    private static final Set<String> LEAPS = Set.of("Normal", "Insert second", "Delete second", "Not synchronised");
    private static final Set<String> MODES = Set.of("server", "peer", "refclock", "pool", "broadcast", "multicast",
            "manycast", "unknown");

    private static List<HostStatus> fleet() {
        List<HostStatus> hosts = new ArrayList<>();
        for (String s : SAMPLES) {
            hosts.add(StatusProbe.parse(s.replace("probe-", "").replace(".txt", ""), Samples.read(s)));
        }
        hosts.add(StatusProbe.unreachable("db2", "ssh: connect to host db2 port 22: Connection timed out"));
        return hosts;
    }

    @Test
    void documentMatchesDocumentedSchema() {
        List<HostStatus> hosts = fleet();
        Object parsed = MiniJson.parse(StatusJson.render(hosts));
        Map<?, ?> doc = assertInstanceOf(Map.class, parsed);
        assertEquals(List.of("schema", "hosts", "fleetSpreadSeconds", "fleetSpreadErrorSeconds"), List.copyOf(doc.keySet()));
        assertEquals("tsync.status/v1", doc.get("schema"));
        assertEquals(StatusJson.SCHEMA, doc.get("schema"));
        List<?> list = assertInstanceOf(List.class, doc.get("hosts"));
        assertEquals(hosts.size(), list.size());
        for (int i = 0; i < list.size(); i++) {
            validateHost(assertInstanceOf(Map.class, list.get(i)), hosts.get(i));
        }
    }

    @Test
    void documentedKeysAreExactlyTheWrittenKeys() throws Exception {
        Path doc = Path.of("docs", "status-json.md");
        if (!Files.exists(doc)) {
            fail("docs/status-json.md not found from " + Path.of("").toAbsolutePath());
        }
        String md = Files.readString(doc);
        assertEquals(List.copyOf(HOST_TYPES.keySet()), tableKeys(md, "## HOST"));
        assertEquals(List.copyOf(SOURCE_TYPES.keySet()), tableKeys(md, "## SOURCE"));
        assertTrue(md.contains("tsync.status/v1"));
        // the example in the document is itself valid JSON of the schema version
        Matcher m = Pattern.compile("## Example\\s+```json\\n(.*?)```", Pattern.DOTALL).matcher(md);
        assertTrue(m.find(), "example block");
        Map<?, ?> example = assertInstanceOf(Map.class, MiniJson.parse(m.group(1)));
        assertEquals("tsync.status/v1", example.get("schema"));
        for (Object h : (List<?>) example.get("hosts")) {
            Map<?, ?> host = (Map<?, ?>) h;
            assertEquals(List.copyOf(HOST_TYPES.keySet()), List.copyOf(host.keySet()));
            for (Object s : (List<?>) host.get("sources")) {
                assertEquals(List.copyOf(SOURCE_TYPES.keySet()), List.copyOf(((Map<?, ?>) s).keySet()));
            }
        }
    }

    @Test
    void valuesOfTheSyncedChronyHost() {
        Map<?, ?> doc = (Map<?, ?>) MiniJson.parse(StatusJson.render(
                List.of(StatusProbe.parse("web1", Samples.read("probe-chrony-synced.txt")))));
        Map<?, ?> h = (Map<?, ?>) ((List<?>) doc.get("hosts")).get(0);
        assertEquals("web1", h.get("host"));
        assertEquals("synced", h.get("verdict"));
        assertEquals("2026-11-25T21:13:35+01:00", h.get("localTime"));
        assertEquals("chrony", h.get("daemon"));
        assertEquals(true, h.get("active"));
        assertEquals(new BigDecimal("3"), h.get("stratum"));
        assertEquals(new BigDecimal("0.000000001"), h.get("lastOffsetSeconds"));
        assertEquals(new BigDecimal("0.000000063"), h.get("rmsOffsetSeconds"));
        assertEquals(new BigDecimal("255"), h.get("reach"));
        Map<?, ?> counts = (Map<?, ?>) h.get("sourceStateCounts");
        assertEquals(List.of("*", "+", "-", "?", "x", "~"), List.copyOf(counts.keySet()));
        Map<?, ?> first = (Map<?, ?>) ((List<?>) h.get("sources")).get(0);
        assertEquals(new BigDecimal("0.000001737"), first.get("offsetSeconds"));
        assertEquals(null, first.get("refid"));
        assertEquals(false, first.get("poolPlaceholder"));
    }

    @Test
    void emptyFleet() {
        assertEquals("{\n  \"schema\": \"tsync.status/v1\",\n  \"hosts\": [],\n  \"fleetSpreadSeconds\": null,\n"
                + "  \"fleetSpreadErrorSeconds\": null\n}\n", StatusJson.render(List.of()));
    }

    private static void validateHost(Map<?, ?> h, HostStatus expected) {
        assertEquals(List.copyOf(HOST_TYPES.keySet()), List.copyOf(h.keySet()), "host keys");
        HOST_TYPES.forEach((k, t) -> checkType(expected.host() + "." + k, h.get(k), t));
        assertEquals(expected.host(), h.get("host"));
        assertTrue(VERDICTS.contains(h.get("verdict")), String.valueOf(h.get("verdict")));
        assertEquals(expected.verdict().key(), h.get("verdict"));
        assertTrue(DAEMONS.contains(h.get("daemon")), String.valueOf(h.get("daemon")));
        if (h.get("leap") != null) {
            assertTrue(LEAPS.contains(h.get("leap")), String.valueOf(h.get("leap")));
        }
        if (h.get("localTime") != null) {
            assertEquals(expected.localTime(), OffsetDateTime.parse((String) h.get("localTime")));
        }
        if (h.get("reach") != null) {
            int r = ((BigDecimal) h.get("reach")).intValueExact();
            assertTrue(r >= 0 && r <= 255);
        }
        Map<?, ?> counts = (Map<?, ?>) h.get("sourceStateCounts");
        assertEquals(List.of("*", "+", "-", "?", "x", "~"), List.copyOf(counts.keySet()));
        int total = 0;
        for (Object v : counts.values()) {
            int n = ((BigDecimal) v).intValueExact();
            assertTrue(n >= 0);
            total += n;
        }
        List<?> sources = (List<?>) h.get("sources");
        int counted = 0;
        for (Object o : sources) {
            Map<?, ?> s = assertInstanceOf(Map.class, o);
            assertEquals(List.copyOf(SOURCE_TYPES.keySet()), List.copyOf(s.keySet()), "source keys");
            SOURCE_TYPES.forEach((k, t) -> checkType(expected.host() + ".sources." + k, s.get(k), t));
            assertTrue(HostStatus.STATES.contains(((String) s.get("state")).charAt(0)));
            assertEquals(1, ((String) s.get("state")).length());
            assertEquals(1, ((String) s.get("tally")).length());
            assertTrue(MODES.contains(s.get("mode")), String.valueOf(s.get("mode")));
            int r = ((BigDecimal) s.get("reach")).intValueExact();
            assertTrue(r >= 0 && r <= 255);
            if (!(Boolean) s.get("poolPlaceholder")) {
                counted++;
            }
        }
        assertEquals(counted, total, "counts add up to the non-placeholder sources");
    }

    private static void checkType(String where, Object v, String type) {
        boolean nullable = type.endsWith("?");
        if (v == null) {
            assertTrue(nullable, where + " must not be null");
            return;
        }
        switch (type.charAt(0)) {
            case 'S' -> assertInstanceOf(String.class, v, where);
            case 'B' -> assertInstanceOf(Boolean.class, v, where);
            case 'O' -> assertInstanceOf(Map.class, v, where);
            case 'A' -> assertInstanceOf(List.class, v, where);
            case 'N' -> assertInstanceOf(BigDecimal.class, v, where);
            case 'I' -> {
                BigDecimal d = assertInstanceOf(BigDecimal.class, v, where);
                assertTrue(d.scale() <= 0, where + " must be written as an integer: " + d);
            }
            default -> fail("bad type " + type);
        }
    }

    /** The keys in the first column of the table following {@code heading}. */
    private static List<String> tableKeys(String md, String heading) {
        int at = md.indexOf("\n" + heading + "\n");
        assertTrue(at >= 0, heading);
        List<String> keys = new ArrayList<>();
        boolean inTable = false;
        for (String line : md.substring(at + heading.length() + 2).split("\n")) {
            if (line.startsWith("|")) {
                inTable = true;
                Matcher m = Pattern.compile("^\\|\\s*`([^`]+)`").matcher(line);
                if (m.find()) {
                    keys.add(m.group(1));
                }
            } else if (inTable) {
                break;
            }
        }
        return keys;
    }

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
