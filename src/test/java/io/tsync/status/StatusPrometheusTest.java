package io.tsync.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link StatusPrometheus}: the text exposition format (grouped families with HELP and TYPE, escaped labels, plain
 * numbers), the values for each kind of host, and the metric list in docs/monitoring.md. The lab checks the same
 * output with promtool and a real Prometheus (PrometheusIT).
 */
class StatusPrometheusTest {
    private static final List<String> SAMPLES = List.of("probe-chrony-synced.txt", "probe-chrony-unsynced.txt",
            "probe-chrony-syncing.txt", "probe-chrony-local.txt", "probe-chrony-down.txt", "probe-no-systemd-down.txt",
            "probe-ntpsec-synced.txt", "probe-ntpsec-down.txt", "probe-timesyncd.txt");
    private static final Pattern SAMPLE = Pattern.compile("(tsync_[a-z_]+)(\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-z_]+)=\"((?:[^\"\\\\]|\\\\.)*)\"(,|$)");

    static String render(StatusPrometheus.Host... hosts) {
        return StatusPrometheus.render(List.of(hosts), Duration.ofMillis(1500), Instant.ofEpochSecond(1_800_000_000L));
    }

    static StatusPrometheus.Host sample(String file, String host) {
        return new StatusPrometheus.Host(StatusProbe.parse(host, Samples.read(file)), "debian12", null);
    }

    /** Series (name and labels as written) to value; fails on a malformed line, a family split up or a repeated series. */
    static Map<String, String> parse(String text) {
        Map<String, String> series = new LinkedHashMap<>();
        Set<String> closed = new HashSet<>();
        String family = null;
        String typed = null;
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("# HELP ")) {
                String name = line.split(" ")[2];
                assertTrue(closed.add(name), "family " + name + " appears twice:\n" + text);
                assertTrue(line.length() > ("# HELP " + name + " ").length(), "empty help: " + line);
                family = name;
                typed = null;
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                assertEquals("# TYPE " + family + " gauge", line);
                typed = family;
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertTrue(m.matches(), "not a sample line: " + line);
            assertEquals(typed, m.group(1), "sample outside its family's HELP/TYPE block: " + line);
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                int end = 0;
                while (l.find() && l.start() == end) {
                    end = l.end();
                }
                assertEquals(m.group(3).length(), end, "bad labels: " + line);
            }
            assertTrue(m.group(4).matches("-?[0-9]+(\\.[0-9]+)?|NaN|[+-]Inf"), "not a plain number: " + line);
            assertEquals(null, series.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), m.group(4)), "repeated: " + line);
        }
        assertTrue(text.endsWith("\n"), "ends with a line feed");
        return series;
    }

    @Test
    void everySampleRendersAsValidExposition() {
        List<StatusPrometheus.Host> hosts = new ArrayList<>();
        for (int i = 0; i < SAMPLES.size(); i++) {
            hosts.add(sample(SAMPLES.get(i), "h" + i));
        }
        hosts.add(new StatusPrometheus.Host(StatusProbe.unreachable("gone", "ssh: connect timed out"), null, null));
        Map<String, String> s = parse(StatusPrometheus.render(hosts, Duration.ofSeconds(2), Instant.ofEpochSecond(1_800_000_000L)));
        assertEquals("2", s.get("tsync_status_duration_seconds"));
        assertEquals("1800000000", s.get("tsync_status_timestamp_seconds"));
        for (int i = 0; i < SAMPLES.size(); i++) {
            assertEquals("1", s.get("tsync_host_up{host=\"h" + i + "\"}"), SAMPLES.get(i));
            int verdicts = 0;
            for (Verdict v : Verdict.values()) {
                verdicts += Integer.parseInt(s.get("tsync_verdict{host=\"h" + i + "\",verdict=\"" + v.key() + "\"}"));
            }
            assertEquals(1, verdicts, "exactly one verdict is 1: " + SAMPLES.get(i));
        }
    }

    @Test
    void syncedChronyHost() {
        Map<String, String> s = parse(render(new StatusPrometheus.Host(
                StatusProbe.parse("web1", Samples.read("probe-chrony-synced.txt")), "debian12", true)));
        HostStatus h = StatusProbe.parse("web1", Samples.read("probe-chrony-synced.txt"));
        assertEquals("1", s.get("tsync_host_up{host=\"web1\"}"));
        assertEquals("1", s.get("tsync_synced{host=\"web1\"}"));
        assertEquals("1", s.get("tsync_verdict{host=\"web1\",verdict=\"synced\"}"));
        assertEquals("0", s.get("tsync_verdict{host=\"web1\",verdict=\"daemon_down\"}"));
        assertEquals("1", s.get("tsync_host_info{host=\"web1\",daemon=\"chrony\",platform=\"debian12\",timezone=\"" + h.timezone() + "\"}"));
        assertEquals("1", s.get("tsync_daemon_active{host=\"web1\",daemon=\"chrony\"}"));
        assertEquals(String.valueOf(h.stratum()), s.get("tsync_stratum{host=\"web1\"}"));
        assertEquals(h.lastOffsetSeconds(), Double.valueOf(s.get("tsync_last_offset_seconds{host=\"web1\"}")));
        assertEquals(h.rmsOffsetSeconds(), Double.valueOf(s.get("tsync_rms_offset_seconds{host=\"web1\"}")));
        assertEquals(String.valueOf(h.reach()), s.get("tsync_reach{host=\"web1\"}"));
        assertEquals("1", s.get("tsync_leap_status{host=\"web1\",status=\"normal\"}"));
        assertEquals("0", s.get("tsync_leap_status{host=\"web1\",status=\"not_synchronised\"}"));
        StatusPrometheus.STATE_WORDS.forEach((state, word) -> assertEquals(String.valueOf(h.sourceStateCounts().get(state)),
                s.get("tsync_sources{host=\"web1\",state=\"" + word + "\"}"), word));
        assertEquals("1", s.get("tsync_playbook_match{host=\"web1\"}"));
    }

    @Test
    void daemonDownHostIsUpButNotSyncedAndHasNoSourceCounts() {
        Map<String, String> s = parse(render(sample("probe-chrony-down.txt", "db1")));
        assertEquals("1", s.get("tsync_host_up{host=\"db1\"}"));
        assertEquals("0", s.get("tsync_synced{host=\"db1\"}"));
        assertEquals("1", s.get("tsync_verdict{host=\"db1\",verdict=\"daemon_down\"}"));
        assertEquals("0", s.get("tsync_daemon_active{host=\"db1\",daemon=\"chrony\"}"));
        assertTrue(s.keySet().stream().noneMatch(k -> k.startsWith("tsync_sources")), s.toString());
        assertTrue(s.keySet().stream().noneMatch(k -> k.startsWith("tsync_playbook_match")), "no playbook given");
    }

    @Test
    void unreachableHostHasOnlyUpSyncedAndVerdict() {
        Map<String, String> s = parse(render(new StatusPrometheus.Host(StatusProbe.unreachable("gone", "timed out"), null, null)));
        assertEquals("0", s.get("tsync_host_up{host=\"gone\"}"));
        assertEquals("0", s.get("tsync_synced{host=\"gone\"}"));
        assertEquals("1", s.get("tsync_verdict{host=\"gone\",verdict=\"unreachable\"}"));
        assertEquals(Set.of("tsync_host_up", "tsync_synced", "tsync_verdict", "tsync_status_duration_seconds",
                "tsync_status_timestamp_seconds"), families(s));
    }

    @Test
    void labelValuesAndNumbersAreWrittenAsTheFormatWants() {
        assertEquals("a\\\\b\\\"c\\nd", StatusPrometheus.escape("a\\b\"c\nd"));
        assertEquals("0.000000033", StatusPrometheus.number(3.3e-8));
        assertEquals("-0.000215432", StatusPrometheus.number(-0.000215432));
        assertEquals("255", StatusPrometheus.number(255));
        assertEquals("NaN", StatusPrometheus.number(Double.NaN));
        assertEquals("+Inf", StatusPrometheus.number(Double.POSITIVE_INFINITY));
        assertEquals("not_synchronised", StatusPrometheus.word("Not synchronised"));
        Map<String, String> s = parse(render(new StatusPrometheus.Host(StatusProbe.unreachable("we\"ird", "x"), null, null)));
        assertEquals("0", s.get("tsync_host_up{host=\"we\\\"ird\"}"));
    }

    /** docs/monitoring.md lists every metric tsync writes, so a renamed or added metric fails here until documented. */
    @Test
    void everyMetricIsDocumented() throws Exception {
        List<StatusPrometheus.Host> hosts = new ArrayList<>();
        for (String f : SAMPLES) {
            HostStatus h = StatusProbe.parse(f, Samples.read(f));
            hosts.add(new StatusPrometheus.Host(h.withClock(new io.tsync.clock.ClockOffset(0.0001, 0.0002, "controller"), h.verdict(), h.detail()),
                    "debian12", true));
        }
        Set<String> written = families(parse(StatusPrometheus.render(hosts, Duration.ZERO, Instant.EPOCH)));
        String doc = Files.readString(Path.of("docs/monitoring.md"));
        Set<String> documented = new HashSet<>();
        Matcher m = Pattern.compile("(?m)^\\| `(tsync_[a-z_]+)`").matcher(doc);
        while (m.find()) {
            documented.add(m.group(1));
        }
        assertEquals(documented, written, "the metric table of docs/monitoring.md");
        assertFalse(written.isEmpty());
    }

    private static Set<String> families(Map<String, String> series) {
        Set<String> out = new java.util.TreeSet<>();
        series.keySet().forEach(k -> out.add(k.replaceAll("\\{.*", "")));
        return new HashSet<>(out);
    }
}
