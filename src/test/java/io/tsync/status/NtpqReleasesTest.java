package io.tsync.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ntpq} as the lab's Debian releases print it, captured on lab hosts (lab/up --release ...) over
 * ssh exec: classic ntp 4.2.8p15 (Debian 11; the ntp of Ubuntu 20.04/22.04), with the distribution's
 * default config (pool placeholders, unsynchronised) and after tsync's config synced; NTPsec 1.2.3
 * (Debian 13), whose billboard has one more decimal and whose {@code rv} has another layout.
 */
class NtpqReleasesTest {
    private static final double EPS = 1e-12;

    @Test
    void classicNtpSynced() {
        List<Source> p = NtpqParsers.peers(Samples.read("ntp428-peers-synced.txt"));
        assertEquals(List.of('*', '+', '+'), p.stream().map(Source::state).toList());
        Source sys = p.get(0);
        assertEquals("10.213.0.2", sys.address());
        assertEquals("LOCAL(1)", sys.refid());
        assertEquals("server", sys.mode());
        assertEquals(8, sys.stratum());
        assertEquals(20L, sys.lastRxSeconds());
        assertEquals(6, sys.pollLog2());
        assertEquals(1, sys.reach());
        assertEquals(0.000008, sys.delaySeconds(), EPS);
        assertEquals(-0.000017, p.get(1).offsetSeconds(), EPS);

        NtpSystemVars rv = NtpqParsers.systemVars(Samples.read("ntp428-rv-synced.txt"));
        assertEquals("Normal", rv.leap());
        assertEquals(9, rv.stratum());
        assertEquals("10.213.0.2", rv.refid());
        assertEquals(-0.000003716, rv.offsetSeconds(), EPS);
    }

    @Test
    void classicNtpDistroDefaultIsUnsynchronised() {
        List<Source> p = NtpqParsers.peers(Samples.read("ntp428-peers-distro-default.txt"));
        assertEquals(4, p.size());
        assertTrue(p.stream().allMatch(s -> s.mode().equals("pool") && s.poolPlaceholder() && s.reach() == 0), p.toString());
        NtpSystemVars rv = NtpqParsers.systemVars(Samples.read("ntp428-rv-distro-default.txt"));
        assertEquals(ChronyParsers.LEAP_UNSYNCHRONISED, rv.leap());
        assertEquals(16, rv.stratum());
        assertEquals("INIT", rv.refid());
    }

    @Test
    void ntpsec123Synced() {
        List<Source> p = NtpqParsers.peers(Samples.read("ntpsec123-peers-synced.txt"));
        assertEquals(List.of('*', '+', '+'), p.stream().map(Source::state).toList());
        assertEquals("127.127.1.1", p.get(0).refid());
        assertEquals(0.0000433, p.get(0).delaySeconds(), EPS);
        assertEquals(-0.0000172, p.get(0).offsetSeconds(), EPS);
        NtpSystemVars rv = NtpqParsers.systemVars(Samples.read("ntpsec123-rv-synced.txt"));
        assertEquals("Normal", rv.leap());
        assertEquals(9, rv.stratum());
        assertEquals("10.213.0.2", rv.refid());
        assertEquals(-0.000003828, rv.offsetSeconds(), EPS);
    }
}
