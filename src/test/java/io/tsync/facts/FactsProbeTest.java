package io.tsync.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The facts parser on outputs captured from real lab hosts (Debian 12 under systemd-nspawn). */
class FactsProbeTest {
    static Facts load(String name) throws Exception {
        return FactsProbe.parse(Files.readString(Path.of("src/test/resources/facts", name)));
    }

    @Test
    void pristineDebian12() throws Exception {
        Facts f = load("debian12-pristine.txt");
        assertEquals("debian", f.osId());
        assertEquals("12", f.osVersionId());
        assertEquals("Debian GNU/Linux 12 (bookworm)", f.prettyName());
        assertEquals("systemd-nspawn", f.virtualization());
        assertEquals("Etc/UTC", f.timezone());
        assertEquals(List.of("apt-get"), f.packageManagers());
        assertFalse(f.installed("chrony"), "dpkg status 'un' is not installed");
        assertFalse(f.unit("chrony").loaded());
        assertTrue(f.files().isEmpty());
    }

    @Test
    void convergedChronyHost() throws Exception {
        Facts f = load("debian12-chrony-converged.txt");
        assertEquals("Asia/Seoul", f.timezone());
        assertTrue(f.installed("chrony"));
        Facts.Unit chrony = f.unit("chrony");
        assertTrue(chrony.loaded() && chrony.active() && chrony.enabled());
        assertEquals("chrony.service", f.unit("chronyd").id(), "chronyd is an alias of chrony on Debian");
        assertTrue(f.files().get("/etc/chrony/chrony.conf").contains("server 0.kr.pool.ntp.org iburst\n"));
    }

    @Test
    void ntpsecHostAfterSwitchingFromChrony() throws Exception {
        Facts f = load("debian12-ntpsec.txt");
        assertTrue(f.installed("ntpsec"));
        assertFalse(f.installed("chrony"), "removed package with config left ('rc') is not installed");
        Facts.Unit ntpsec = f.unit("ntpsec");
        assertTrue(ntpsec.active() && ntpsec.enabled());
        assertEquals("ntpsec.service", f.unit("ntp").id(), "ntp and ntpd are aliases of ntpsec");
        assertTrue(f.files().containsKey("/etc/ntpsec/ntp.conf"));
        assertTrue(f.files().containsKey("/etc/chrony/chrony.conf"), "chrony's conffile stays after removal");
    }

    @Test
    void truncatedOutputIsAnError() throws Exception {
        String full = Files.readString(Path.of("src/test/resources/facts/debian12-pristine.txt"));
        assertThrows(FactsProbe.FactsException.class, () -> FactsProbe.parse(full.substring(0, full.length() / 2)));
    }

    @Test
    void aHostWithoutTzDatabaseSaysSo() throws Exception {
        String pristine = Files.readString(Path.of("src/test/resources/facts/debian12-pristine.txt"));
        assertTrue(FactsProbe.parse(pristine).tzdb(), "output without the section (older probes): assume a tz database");
        assertFalse(FactsProbe.parse(pristine.replace("@virt\n", "@tzdb\nabsent\n@virt\n")).tzdb());
        assertTrue(FactsProbe.parse(pristine.replace("@virt\n", "@tzdb\npresent\n@virt\n")).tzdb());
        assertTrue(FactsProbe.command().contains("echo @tzdb"), "the probe asks");
    }

    @Test
    void restartsOwedByAnEarlierRun() throws Exception {
        String pristine = Files.readString(Path.of("src/test/resources/facts/debian12-pristine.txt"));
        assertEquals(java.util.Set.of(), FactsProbe.parse(pristine).restartPending(), "older probes: none");
        assertEquals(java.util.Set.of("chrony"), FactsProbe.parse(pristine.replace("@virt\n", "@pending\nchrony\n@virt\n")).restartPending());
        assertTrue(FactsProbe.command().contains("echo @pending; ls ${TSYNC_RUN_DIR:-/run/tsync} 2>/dev/null"), FactsProbe.command());
    }

    @Test
    void aConfigFilePastTheBoundFailsTheHostNamingTheBound() throws Exception {
        String full = Files.readString(Path.of("src/test/resources/facts/debian12-pristine.txt"));
        String named = full.replace("@end", "@toolarge 314572800 /etc/chrony/chrony.conf\n@end");
        FactsProbe.FactsException e = assertThrows(FactsProbe.FactsException.class, () -> FactsProbe.parse(named));
        assertTrue(e.getMessage().startsWith("/etc/chrony/chrony.conf is 300 MiB; tsync reads config files up to 256 KiB"), e.getMessage());
        assertTrue(FactsProbe.command().contains("-gt 262144 ]; then echo \"@toolarge $s $f\""), "the host checks the size first");
    }

    @Test
    void aHostThatSendsTheFileAnywayIsCaughtBeforeDecoding() throws Exception {
        String full = Files.readString(Path.of("src/test/resources/facts/debian12-pristine.txt"));
        String b64 = java.util.Base64.getEncoder().encodeToString(new byte[256 * 1024 + 1]);
        FactsProbe.FactsException e = assertThrows(FactsProbe.FactsException.class,
                () -> FactsProbe.parse(full.replace("@end", "@file /etc/chrony/chrony.conf\n" + b64 + "\n@end")));
        assertTrue(e.getMessage().startsWith("/etc/chrony/chrony.conf is 256.0 KiB; tsync reads config files up to 256 KiB"), e.getMessage());
        String atBound = java.util.Base64.getEncoder().encodeToString(new byte[256 * 1024]);
        assertEquals(256 * 1024, FactsProbe.parse(full.replace("@end", "@file /etc/chrony/chrony.conf\n" + atBound + "\n@end"))
                .files().get("/etc/chrony/chrony.conf").length());
    }
}
