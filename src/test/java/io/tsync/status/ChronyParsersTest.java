package io.tsync.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ChronyParsers} on output captured from chronyc 4.3 (addresses rewritten to documentation ranges). */
class ChronyParsersTest {

    @Test
    void sourcesSyncedWithSelectedCombinedAndNotCombined() {
        List<Source> s = ChronyParsers.sources(Samples.read("chrony-sources-synced.csv"));
        assertEquals(4, s.size());
        Source best = s.get(0);
        assertEquals('*', best.state());
        assertEquals('*', best.tally());
        assertEquals("server", best.mode());
        assertEquals("192.0.2.11", best.address());
        assertNull(best.refid());
        assertEquals(2, best.stratum());
        assertEquals(2, best.pollLog2());
        assertEquals(0377, best.reach());
        assertEquals("377", best.reachOctal());
        assertEquals(2L, best.lastRxSeconds());
        assertEquals(-0.000000543, best.offsetSeconds());
        assertEquals(-0.000000764, best.measuredOffsetSeconds());
        assertEquals(0.000003448, best.errorSeconds());
        assertNull(best.delaySeconds());
        assertNull(best.jitterSeconds());
        assertEquals(List.of('*', '+', '-', '?'), s.stream().map(Source::state).toList());
        Source never = s.get(3);
        assertEquals(0, never.reach());
        assertFalse(never.reachable());
        assertNull(never.lastRxSeconds(), "4294967295 means never sampled");
        assertEquals(Map.of('*', 1, '+', 1, '-', 1, '?', 1, 'x', 0, '~', 0), HostStatus.countStates(s));
    }

    @Test
    void sourcesInEveryState() {
        List<Source> s = ChronyParsers.sources(Samples.read("chrony-sources-all-states.csv"));
        assertEquals(List.of('*', '+', '-', 'x', '~', '?', '?'), s.stream().map(Source::state).toList());
        Source falseticker = s.get(3);
        assertEquals(-2.499999523, falseticker.offsetSeconds());
        Source refclock = s.get(6);
        assertEquals("refclock", refclock.mode());
        assertEquals("GPS", refclock.address());
        assertEquals(1, refclock.pollLog2());
        Map<Character, Integer> counts = HostStatus.countStates(s);
        assertEquals(List.of(1, 1, 1, 2, 1, 1), HostStatus.STATES.stream().map(counts::get).toList());
    }

    @Test
    void reachIsOctal() {
        List<Source> s = ChronyParsers.sources("^,*,192.0.2.11,2,1,77,0,-0.000000153,-0.000002818,0.000003532\n"
                + "^,?,192.0.2.12,2,4,1,1,0.000003235,0.000003235,0.000005360\n"
                + "=,+,192.0.2.13,3,-1,177,0,0.0,0.0,0.0\n");
        assertEquals(63, s.get(0).reach());
        assertEquals(1, s.get(1).reach());
        assertTrue(s.get(1).reachable());
        assertEquals(127, s.get(2).reach());
        assertEquals("peer", s.get(2).mode());
        assertEquals(-1, s.get(2).pollLog2(), "chrony polls can be sub-second");
    }

    @Test
    void noSourcesAtAll() {
        assertEquals(List.of(), ChronyParsers.sources(Samples.read("chrony-sources-empty.csv")));
        assertEquals(List.of(), ChronyParsers.sources("\n"));
    }

    @Test
    void allUnreachable() {
        List<Source> s = ChronyParsers.sources(Samples.read("chrony-sources-unreachable.csv"));
        assertEquals(3, s.size());
        assertTrue(s.stream().allMatch(x -> x.state() == '?' && !x.reachable() && x.lastRxSeconds() == null));
    }

    @Test
    void trackingSynced() {
        ChronyTracking t = ChronyParsers.tracking(Samples.read("chrony-tracking-synced.csv"));
        assertEquals("C000020B", t.referenceId());
        assertEquals("192.0.2.11", t.referenceName());
        assertEquals(3, t.stratum());
        assertEquals(Instant.parse("2026-11-25T20:06:02.199537036Z"), t.refTime());
        assertEquals(-0.000002375, t.systemTimeSeconds());
        assertEquals(-0.000000222, t.lastOffsetSeconds());
        assertEquals(0.000000182, t.rmsOffsetSeconds());
        assertEquals(-0.024, t.frequencyPpm());
        assertEquals(-0.001, t.residualFrequencyPpm());
        assertEquals(0.048, t.skewPpm());
        assertEquals(0.000006778, t.rootDelaySeconds());
        assertEquals(0.000003021, t.rootDispersionSeconds());
        assertEquals(2.0, t.updateIntervalSeconds());
        assertEquals("Normal", t.leapStatus());
        assertTrue(t.synchronised());
        assertFalse(t.localMode());
    }

    @Test
    void trackingLocalMode() {
        ChronyTracking t = ChronyParsers.tracking(Samples.read("chrony-tracking-local.csv"));
        assertEquals(ChronyTracking.LOCAL_REFERENCE_ID, t.referenceId());
        assertNull(t.referenceName());
        assertTrue(t.localMode());
        assertEquals(2, t.stratum());
        assertTrue(t.synchronised());
        // chrony before 4.0 printed the reference ID of local mode dotted
        ChronyTracking old = ChronyParsers.tracking(
                "127.127.1.1,,10,1795637138.243242052,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,Normal");
        assertTrue(old.localMode());
    }

    @Test
    void trackingUnsynchronised() {
        ChronyTracking t = ChronyParsers.tracking(Samples.read("chrony-tracking-unsynced.csv"));
        assertEquals("00000000", t.referenceId());
        assertNull(t.referenceName());
        assertNull(t.refTime());
        assertEquals(0, t.stratum());
        assertEquals(ChronyParsers.LEAP_UNSYNCHRONISED, t.leapStatus());
        assertFalse(t.synchronised());
        assertFalse(t.localMode());
    }

    @Test
    void daemonDownIsAnErrorNotAReport() {
        String out = Samples.read("chronyc-down.txt");
        assertEquals("506 Cannot talk to daemon", ChronyParsers.error(out).orElseThrow());
        assertEquals("501 Not authorised", ChronyParsers.error("501 Not authorised\n").orElseThrow());
        assertTrue(ChronyParsers.error(Samples.read("chrony-sources-synced.csv")).isEmpty());
        assertTrue(ChronyParsers.error(Samples.read("chrony-tracking-synced.csv")).isEmpty());
        assertTrue(ChronyParsers.error("").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> ChronyParsers.sources(out));
        assertThrows(IllegalArgumentException.class, () -> ChronyParsers.tracking(out));
    }

    @Test
    void malformedInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ChronyParsers.tracking(""));
        assertThrows(IllegalArgumentException.class, () -> ChronyParsers.sources("^,!,192.0.2.1,2,6,377,1,0,0,0"));
        assertThrows(IllegalArgumentException.class, () -> ChronyParsers.sources("^,*,192.0.2.1,2,6,389,1,0,0,0"));
        assertThrows(IllegalArgumentException.class, () -> ChronyParsers.sources("MS Name/IP address  Stratum Poll"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChronyParsers.tracking("C000020B,192.0.2.11,three,0,0,0,0,0,0,0,0,0,0,Normal"));
        assertTrue(e.getMessage().contains("bad number"), e.getMessage());
    }
}
