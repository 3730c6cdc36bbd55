package io.tsync.status;

import static io.tsync.status.ProbeOutputs.section;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProbeOutputTest {

    @Test
    void sectionsCarryBodiesAndExitCodes() {
        ProbeOutput out = ProbeOutput.read(Samples.read("probe-no-systemd-down.txt"));
        Map<String, ProbeSection> s = out.sections();
        assertEquals(List.of("date", "tz", "systemctl", "chronyc-sources", "chronyc-tracking", "ntpq-peers", "ntpq-rv"),
                List.copyOf(s.keySet()));
        assertEquals(1, s.get("chronyc-sources").exitCode());
        assertEquals("506 Cannot talk to daemon", s.get("chronyc-sources").body());
        assertTrue(s.get("ntpq-peers").notInstalled());
        assertEquals("", s.get("ntpq-peers").body());
        assertEquals(1, s.get("systemctl").exitCode());
        assertTrue(s.get("systemctl").body().startsWith("System has not been booted with systemd"));
        assertTrue(s.get("date").ok());
        assertTrue(out.ended());
        assertTrue(out.recognised());
        // leading noise (a login banner) before the header is ignored
        assertEquals(out, ProbeOutput.read("Welcome to web1!\n" + Samples.read("probe-no-systemd-down.txt")));
    }

    @Test
    void noHeaderIsNoProbeOutput() {
        assertFalse(ProbeOutput.read("sudo: a password is required\n@section date\n@exit date 0\n@end\n").recognised());
        assertFalse(ProbeOutput.read("").recognised());
        assertFalse(ProbeOutput.read(StatusScript.HEADER + "\n@end\n").recognised(), "a header and nothing after it");
    }

    @Test
    void aCutOutputKeepsWhatArrived() {
        String full = Samples.read("probe-chrony-synced.txt");
        ProbeOutput cut = ProbeOutput.read(full.substring(0, full.indexOf("@exit chronyc-sources")));
        assertFalse(cut.ended());
        assertNull(cut.section("chronyc-sources").exitCode(), "no end marker: no exit code");
        assertFalse(cut.section("chronyc-sources").ok());
        assertTrue(cut.section("systemctl").ok());
        assertNull(cut.section("chronyc-tracking"));
        assertEquals("", cut.body("chronyc-tracking"));
    }

    @Test
    void aSectionEndsAtTheNextOneOrAtEnd() {
        ProbeOutput out = ProbeOutput.read(StatusScript.HEADER + "\n@section a\none\n\n@section b\ntwo\n@exit b x\n@section c\n@exit c 3\nafter\n@end\nignored\n");
        assertEquals(new ProbeSection("a", "one", null), out.section("a"), "trailing blank lines stripped");
        assertEquals(new ProbeSection("b", "two", null), out.section("b"), "an exit code that is no number");
        assertEquals(new ProbeSection("c", "", 3), out.section("c"));
        assertEquals(List.of("a", "b", "c"), List.copyOf(out.sections().keySet()), "lines outside a section are dropped");
    }

    @Test
    void tooLongSectionsInOutputOrder() {
        ProbeOutput out = ProbeOutputs.output(section("date", "", 0), section("chronyc-sources", "", -1),
                section("chronyc-tracking", "", 0), section("ntpq-peers", "", -1));
        assertEquals(List.of("chronyc-sources", "ntpq-peers"), out.tooLong());
        assertEquals(List.of(), ProbeOutput.read(Samples.read("probe-chrony-synced.txt")).tooLong());
    }
}
