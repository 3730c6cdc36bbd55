package io.tsync.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.clock.ClockOffset;
import io.tsync.clock.ClockPolicy;
import io.tsync.report.Json;
import io.tsync.report.SchemaCheck;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verdict on measured clocks next to the daemon's, and how it shows in the table, JSON and Prometheus. */
class ClockVerdictTest {
    static HostStatus synced(String host, ClockOffset measured) {
        HostStatus s = StatusProbe.parse(host, Samples.read("probe-chrony-synced.txt"));
        assertEquals(Verdict.SYNCED, s.verdict());
        return s.withClock(measured, s.verdict(), s.detail());
    }

    @Test
    void aSyncedDaemonWithAClockTwoSecondsOffIsClockWrong() {
        HostStatus h = ClockVerdict.judge(synced("g1", new ClockOffset(2.0, 0.0007, ClockOffset.CONTROLLER)), ClockPolicy.DEFAULT, null);
        assertEquals(Verdict.CLOCK_WRONG, h.verdict());
        assertTrue(h.detail().startsWith("measured offset +2.000s±700.0us exceeds --max-offset 100.000ms (daemon: synced); "), h.detail());
        String row = StatusTable.render(List.of(h), false).lines().skip(1).findFirst().orElseThrow();
        assertTrue(row.contains("+2.000s±700.0us") && row.contains("clock wrong"), row);
    }

    @Test
    void withinTheBoundOrItsErrorOrWithTheCheckOffTheDaemonsVerdictStands() {
        assertEquals(Verdict.SYNCED, ClockVerdict.judge(synced("c1", new ClockOffset(0.00002, 0.0003, "controller")), ClockPolicy.DEFAULT, null).verdict());
        assertEquals(Verdict.SYNCED, ClockVerdict.judge(synced("c1", new ClockOffset(-0.15, 0.06, "controller")), ClockPolicy.DEFAULT, null).verdict());
        ClockPolicy off = new ClockPolicy(Duration.ZERO, Duration.ZERO, null);
        assertEquals(Verdict.SYNCED, ClockVerdict.judge(synced("c1", new ClockOffset(3600, 0.001, "controller")), off, null).verdict());
        HostStatus unmeasured = StatusProbe.parse("c2", Samples.read("probe-chrony-synced.txt"));
        assertEquals(unmeasured, ClockVerdict.judge(unmeasured, ClockPolicy.DEFAULT, null));
    }

    @Test
    void againstAReferenceTheVerdictIsOnTheOffsetFromTheServer() {
        // the host agrees with the controller, but the controller is 0.5 s behind the server
        ClockVerdict.Reference ref = new ClockVerdict.Reference("10.0.0.1", new ClockOffset(0.5, 0.0002, "10.0.0.1"), null);
        HostStatus h = ClockVerdict.judge(synced("c1", new ClockOffset(0.0, 0.0003, "controller")), ClockPolicy.DEFAULT, ref);
        assertEquals(Verdict.CLOCK_WRONG, h.verdict());
        assertEquals(-0.5, h.measured().seconds(), 1e-12);
        assertEquals(0.0005, h.measured().errorSeconds(), 1e-12);
        assertTrue(ClockVerdict.text(h.measured()).endsWith(" vs 10.0.0.1"));
        // a reference that did not answer leaves the offsets against the controller
        ClockVerdict.Reference silent = new ClockVerdict.Reference("10.0.0.1", null, "no answer within 2000 ms");
        assertEquals("controller", ClockVerdict.judge(synced("c1", new ClockOffset(0.0, 0.0003, "controller")), ClockPolicy.DEFAULT, silent)
                .measured().against());
    }

    @Test
    void jsonAndPrometheusCarryTheMeasurementAndTheSpread() {
        List<HostStatus> hosts = List.of(synced("a", new ClockOffset(0.000010, 0.0002, "controller")),
                synced("b", new ClockOffset(-0.000030, 0.0003, "controller")), StatusProbe.unreachable("c", "refused"));
        Map<String, Object> doc = StatusJson.document(hosts, null, null);
        doc.put("reference", StatusJson.reference(new ClockVerdict.Reference("10.0.0.1", new ClockOffset(0.001, 0.0001, "10.0.0.1"), null)));
        String json = Json.write(doc);
        SchemaCheck.assertValid("status", json);
        SchemaCheck.assertInvalid("status", json.replace("\"measuredErrorSeconds\":", "\"measuredError\":"), "measuredErrorSeconds");
        assertEquals(0.00004, (Double) doc.get("fleetSpreadSeconds"), 1e-12);
        assertEquals(0.0005, (Double) doc.get("fleetSpreadErrorSeconds"), 1e-12);
        @SuppressWarnings("unchecked")
        Map<String, Object> c = ((List<Map<String, Object>>) doc.get("hosts")).get(2);
        assertNull(c.get("measuredOffsetSeconds"));
        String prom = StatusPrometheus.render(hosts.stream().map(h -> new StatusPrometheus.Host(h, null, null)).toList(),
                Duration.ofMillis(900), java.time.Instant.ofEpochSecond(1_764_900_000L));
        assertEquals(-0.00003, value(prom, "tsync_measured_offset_seconds{host=\"b\"}"), 1e-12);
        assertEquals(0.0002, value(prom, "tsync_measured_error_seconds{host=\"a\"}"), 1e-12);
        assertEquals(0.00004, value(prom, "tsync_fleet_spread_seconds"), 1e-12);
        assertEquals(0.0005, value(prom, "tsync_fleet_spread_error_seconds"), 1e-12);
        assertTrue(!prom.contains("tsync_measured_offset_seconds{host=\"c\"}"), "an unmeasured host has no value, not 0");
    }

    static double value(String prom, String series) {
        return prom.lines().filter(l -> l.startsWith(series + " ")).map(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no " + series + " in\n" + prom));
    }

    @Test
    void theSpreadLineSaysWhenItIsTooLarge() {
        List<HostStatus> hosts = List.of(synced("a", new ClockOffset(0.2, 0.001, "controller")), synced("b", new ClockOffset(0.0, 0.001, "controller")));
        ClockPolicy spread = new ClockPolicy(Duration.ofMillis(500), Duration.ofMillis(100), null);
        assertEquals("fleet spread: 200.000ms ± 2.000ms, exceeds --max-spread 100.000ms", ClockVerdict.spreadLine(ClockVerdict.spread(hosts), spread));
        assertEquals("fleet spread: 200.000ms ± 2.000ms", ClockVerdict.spreadLine(ClockVerdict.spread(hosts), ClockPolicy.DEFAULT));
    }
}
