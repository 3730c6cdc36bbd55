package io.tsync.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link NtpqParsers}. The NTPsec billboard was printed with NTPsec 1.2.2's own formatter at 80 columns (what ntpq
 * uses when stdout is no terminal, as under ssh exec); the error texts are what ntpq prints with no ntpd running.
 */
class NtpqParsersTest {

    private static final double EPS = 1e-12;

    @Test
    void ntpsecPeersSynced() {
        List<Source> p = NtpqParsers.peers(Samples.read("ntpsec-peers-synced.txt"));
        assertEquals(8, p.size());
        assertEquals(List.of(' ', ' ', '*', '+', '+', '-', 'x', ' '), p.stream().map(Source::tally).toList());
        assertEquals(List.of('?', '?', '*', '+', '+', '-', 'x', '?'), p.stream().map(Source::state).toList());

        Source pool = p.get(0);
        assertEquals("0.debian.pool.n", pool.address());
        assertEquals(".POOL.", pool.refid());
        assertEquals("pool", pool.mode());
        assertTrue(pool.poolPlaceholder());
        assertEquals(16, pool.stratum());
        assertEquals(8, pool.pollLog2());
        assertNull(pool.lastRxSeconds());

        Source sys = p.get(2);
        assertEquals("192.0.2.11", sys.address());
        assertEquals("194.58.204.20", sys.refid());
        assertEquals("server", sys.mode());
        assertFalse(sys.poolPlaceholder());
        assertEquals(2, sys.stratum());
        assertEquals(33L, sys.lastRxSeconds());
        assertEquals(6, sys.pollLog2());
        assertEquals(255, sys.reach());
        assertEquals(0.0010321, sys.delaySeconds(), EPS);
        assertEquals(-0.0002154, sys.offsetSeconds(), EPS);
        assertEquals(0.0001120, sys.jitterSeconds(), EPS);
        assertNull(sys.measuredOffsetSeconds());
        assertNull(sys.errorSeconds());

        // milliseconds are scaled in decimal: exactly the double nearest to the printed value
        assertEquals(0.0008123, p.get(3).offsetSeconds());
        assertEquals(0.0124051, p.get(3).delaySeconds());
        assertEquals("0.0008123", io.tsync.report.Json.write(p.get(3).offsetSeconds()));
        assertEquals(3000L, p.get(5).lastRxSeconds(), "50m");
        assertEquals(10, p.get(5).pollLog2());
        assertEquals(-0.812335, p.get(6).offsetSeconds(), EPS);
        assertEquals(0177, p.get(6).reach());
        assertEquals(".INIT.", p.get(7).refid());
        assertEquals(0, p.get(7).reach());

        // pool placeholders are not sources: left out of the counts
        Map<Character, Integer> counts = HostStatus.countStates(p);
        assertEquals(List.of(1, 2, 1, 1, 1, 0), HostStatus.STATES.stream().map(counts::get).toList());
    }

    @Test
    void classicLocalClock() {
        List<Source> p = NtpqParsers.peers(Samples.read("ntpq-peers-local.txt"));
        assertEquals(2, p.size());
        assertEquals("127.127.1.0", p.get(0).address());
        assertEquals(".LOCL.", p.get(0).refid());
        assertEquals("refclock", p.get(0).mode());
        assertEquals('*', p.get(0).state());
        assertEquals(10, p.get(0).stratum());
        assertEquals('?', p.get(1).state());
    }

    @Test
    void everyTallyCode() {
        String text = """
                     remote           refid      st t when poll reach   delay   offset  jitter
                ==============================================================================
                 192.0.2.1       .INIT.          16 u    -   64    0    0.000    0.000   0.000
                x192.0.2.2       192.0.2.100      2 u   10   64  377    1.000  500.000   0.100
                .192.0.2.3       192.0.2.100      2 u   11   64  377    1.000    0.100   0.100
                -192.0.2.4       192.0.2.100      2 u   12   64  377    1.000    5.000   0.100
                +192.0.2.5       192.0.2.100      2 u   13   64  377    1.000    0.200   0.100
                #192.0.2.6       192.0.2.100      2 u   14   64  377    1.000    0.300   0.100
                *192.0.2.7       192.0.2.100      2 u   15   64  377    1.000    0.010   0.100
                oSHM(1)          .PPS.            0 l    8   16  377    0.000    0.001   0.002
                """;
        List<Source> p = NtpqParsers.peers(text);
        assertEquals(List.of('?', 'x', '-', '-', '+', '-', '*', '*'), p.stream().map(Source::state).toList());
        assertEquals("refclock", p.get(7).mode());
        assertEquals(4, p.get(7).pollLog2());
    }

    @Test
    void unitsWhenSwitchesAndWrappedRemotes() {
        String text = """
                     remote           refid      st t when poll reach   delay   offset   jitter
                ===============================================================================
                *2001:db8:1234:5678::123
                                 192.0.2.100      2 u   2h 1024  377 42.669ms 5.1461ms 2.5703ms
                +SHM(0)          .GPS.            3 l   3d   16  377      0ns -1.104ms 6.1270ms
                -nts.example.net 192.0.2.100      2 8   5m  256  377 579.39us -12345ns    1.5s
                """;
        List<Source> p = NtpqParsers.peers(text);
        assertEquals(3, p.size());
        assertEquals("2001:db8:1234:5678::123", p.get(0).address());
        assertEquals('*', p.get(0).state());
        assertEquals(7200L, p.get(0).lastRxSeconds());
        assertEquals(0.042669, p.get(0).delaySeconds(), EPS);
        assertEquals(0.0051461, p.get(0).offsetSeconds(), EPS);
        assertEquals(259200L, p.get(1).lastRxSeconds());
        assertEquals(0.0, p.get(1).delaySeconds(), EPS);
        assertEquals(300L, p.get(2).lastRxSeconds());
        assertEquals("server", p.get(2).mode(), "NTPsec shows an NTS server's cookie count as its type");
        assertEquals(0.00057939, p.get(2).delaySeconds(), EPS);
        assertEquals(-0.000012345, p.get(2).offsetSeconds(), EPS);
        assertEquals(1.5, p.get(2).jitterSeconds(), EPS);
    }

    @Test
    void noPeers() {
        assertEquals(List.of(), NtpqParsers.peers("No association IDs returned\n"));
        assertTrue(NtpqParsers.error("No association ID's returned\n").isEmpty());
        assertEquals(List.of(), NtpqParsers.peers(""));
    }

    @Test
    void daemonDown() {
        assertEquals("ntpq: read: Connection refused", NtpqParsers.error(Samples.read("ntpq-down.txt")).orElseThrow());
        assertEquals("Socket error; probably ntpd is not running",
                NtpqParsers.error(Samples.read("ntpsec-ntpq-down.txt")).orElseThrow());
        assertEquals("localhost: timed out, nothing received",
                NtpqParsers.error("localhost: timed out, nothing received\n***Request timed out\n").orElseThrow());
        assertTrue(NtpqParsers.error(Samples.read("ntpsec-peers-synced.txt")).isEmpty());
        assertTrue(NtpqParsers.error(Samples.read("ntpsec-rv-synced.txt")).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> NtpqParsers.peers(Samples.read("ntpq-down.txt")));
    }

    @Test
    void systemVariables() {
        NtpSystemVars v = NtpqParsers.systemVars(Samples.read("ntpsec-rv-synced.txt"));
        assertEquals("Normal", v.leap());
        assertEquals(3, v.stratum());
        assertEquals("192.0.2.11", v.refid());
        assertEquals(-0.000215432, v.offsetSeconds(), EPS);
        assertEquals(0.000112033, v.sysJitterSeconds(), EPS);
        assertEquals(0.0010321, v.rootDelaySeconds(), EPS);
        assertEquals(0.008414062, v.rootDispersionSeconds(), EPS);
        assertEquals("ntpd ntpsec-1.2.2 2023-01-10T16:45:30Z (1)", v.raw().get("version"));
        assertEquals("0615", v.raw().get("status"));
        assertEquals("0", v.raw().get("associd"));

        NtpSystemVars unsynced = NtpqParsers.systemVars(
                "associd=0 status=c016 leap_alarm, sync_unspec, 1 event, restart,\nleap=11, stratum=16, refid=INIT,"
                        + " offset=0.000000, sys_jitter=0.000000\n");
        assertEquals(ChronyParsers.LEAP_UNSYNCHRONISED, unsynced.leap());
        assertEquals(16, unsynced.stratum());
        assertEquals("Insert second", NtpqParsers.systemVars("leap=01").leap());
        assertEquals("Delete second", NtpqParsers.systemVars("leap=10").leap());
        assertThrows(IllegalArgumentException.class, () -> NtpqParsers.systemVars("ntpq: read: Connection refused"));
    }
}
