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
        assertTrue(FactsProbe.command().contains("echo @pending; for f in ${TSYNC_RUN_DIR:-/run/tsync}/*.restart-pending;"), FactsProbe.command());
    }

    /**
     * chronyd's arguments come from the ExecStart= lines of the one systemctl the probe runs for every unit; older
     * probes printed them in @clock from a second systemctl and a grep: both read the same.
     */
    @Test
    void chronydsArgumentsFromTheUnitsSectionOrFromClock() throws Exception {
        String converged = Files.readString(Path.of("src/test/resources/facts/debian12-chrony-converged.txt"));
        String exec = "ExecStart={ path=/usr/sbin/chronyd ; argv[]=/usr/sbin/chronyd $DAEMON_OPTS -x ; ignore_errors=no ; pid=506 ; code=exited ; status=0 }";
        String units = converged.substring(converged.indexOf("@units\n"), converged.indexOf("@file "));
        // the first two blocks are chrony.service and chronyd.service (an alias on Debian)
        String q = java.util.regex.Matcher.quoteReplacement(exec);
        // each block gets the line before its blank line
        String withExec = units.replaceFirst("ConditionResult=yes\n\n", "ConditionResult=yes\n" + q + "\n\n")
                .replaceFirst("ConditionResult=yes\n\nId=ntp.service", "ConditionResult=yes\n" + q + "\n\nId=ntp.service");
        Facts now = FactsProbe.parse(converged.replace(units, withExec));
        Facts older = FactsProbe.parse(converged.replace("@end", "@clock\nargv[]=/usr/sbin/chronyd $DAEMON_OPTS -x \nargv[]=/usr/sbin/chronyd $DAEMON_OPTS -x \n@end"));
        assertEquals(2, withExec.split("ExecStart=", -1).length - 1, withExec);
        assertTrue(now.clock().chronydX(), now.clock().toString());
        assertEquals(older.clock(), now.clock());
        assertEquals(older.units(), now.units(), "the ExecStart= lines change no unit");
        assertFalse(FactsProbe.parse(converged).clock().chronydX(), "this capture has neither");
        // an ExecStart of another unit (ntpsec, fifth block) says nothing about chronyd
        String ntpsecBlock = "Id=ntpsec.service\nLoadState=not-found\nActiveState=inactive\nUnitFileState=\nConditionResult=no\n";
        assertFalse(FactsProbe.parse(converged.replace(ntpsecBlock, ntpsecBlock + exec + "\n")).clock().chronydX());
        assertFalse(FactsProbe.command().contains("grep -o"), "one systemctl, no grep: the shell picks the lines");
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

    /**
     * The probe on this machine, under bash and dash: the files the shell reads itself (os-release, line by line) read
     * as Java reads them, /proc/self/status gives the shell's bounding set, and both shells print the same facts.
     */
    @Test
    @org.junit.jupiter.api.condition.EnabledOnOs(org.junit.jupiter.api.condition.OS.LINUX)
    void theProbeRunByBashAndDashReadsFilesAsJavaDoes() throws Exception {
        java.util.Map<String, Facts> byShell = new java.util.LinkedHashMap<>();
        for (String shell : new String[] {"/bin/bash", "/bin/dash"}) {
            if (Files.isExecutable(Path.of(shell))) {
                Process p = new ProcessBuilder(shell, "-c", FactsProbe.command()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
                assertEquals(0, p.exitValue(), shell);
                byShell.put(shell, FactsProbe.parse(out));
                assertTrue(out.contains("\nCapBnd:\t"), shell + ": " + out);
            }
        }
        Path osRelease = Path.of("/etc/os-release");
        org.junit.jupiter.api.Assumptions.assumeTrue(!byShell.isEmpty() && Files.isReadable(osRelease));
        String pretty = Files.readAllLines(osRelease).stream().filter(l -> l.startsWith("PRETTY_NAME=")).findFirst().orElse("PRETTY_NAME=")
                .substring(12).replace("\"", "");
        for (Facts f : byShell.values()) {
            assertEquals(pretty, f.prettyName());
            assertFalse(f.osId().isEmpty());
        }
        assertEquals(1, new java.util.HashSet<>(byShell.values()).size(), byShell.toString());
    }
}
