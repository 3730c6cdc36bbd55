package io.tsync.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.model.Daemon;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link StatusProbe#command()} with the local {@code /bin/sh}, with stub systemctl/chronyc/ntpq first on the
 * PATH, to check that the script is valid sh, captures output and exit codes, and parses back.
 */
@EnabledOnOs(OS.LINUX)
class ProbeScriptTest {

    @TempDir
    Path dir;

    private void stub(String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private String run() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", StatusProbe.command());
        pb.environment().put("PATH", dir + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.redirectErrorStream(false);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        assertEquals("", err, "everything goes to stdout");
        return out;
    }

    @Test
    void chronySyncedThroughStubs() throws Exception {
        Path units = dir.resolve("units.txt");
        String show = ProbeOutput.read(Samples.read("probe-chrony-synced.txt")).section("systemctl").body();
        Files.writeString(units, show + "\n");
        stub("systemctl", "cat " + units);
        Files.copy(ProbeScriptTest.class.getResourceAsStream("/status/chrony-sources-synced.csv"),
                dir.resolve("sources.csv"));
        Files.copy(ProbeScriptTest.class.getResourceAsStream("/status/chrony-tracking-synced.csv"),
                dir.resolve("tracking.csv"));
        stub("chronyc", "case \"$*\" in\n\"-c -n sources\") cat " + dir.resolve("sources.csv") + ";;\n"
                + "\"-c -n tracking\") cat " + dir.resolve("tracking.csv") + ";;\n"
                + "\"-c -N authdata\") echo " + NtsStatusTest.GOOD.strip() + ";;\n*) exit 9;;\nesac");
        stub("ntpq", "echo ntpq must not run when chronyc works; exit 3");
        stub("journalctl", "echo the journal is read only for an NTS source without cookies; exit 3");

        String out = run();
        Map<String, ProbeSection> s = ProbeOutput.read(out).sections();
        assertEquals(java.util.List.of("date", "tz", "systemctl", "chronyc-sources", "chronyc-tracking", "chronyc-authdata"),
                java.util.List.copyOf(s.keySet()));
        s.values().forEach(x -> assertEquals(0, x.exitCode(), x.name()));
        assertTrue(out.endsWith("@end\n"));
        assertTrue(s.get("date").body().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[+-]\\d{4}"), s.get("date").body());

        HostStatus h = StatusProbe.parse("stub", out);
        assertEquals(Verdict.SYNCED, h.verdict());
        assertEquals(Daemon.CHRONY, h.daemon());
        assertEquals("192.0.2.11", h.selectedSource());
        assertTrue(h.localTime() != null);
    }

    /** An NTS source without cookies: the journal of chronyd's current run (its InvocationID) is read for the reason. */
    @Test
    void ntsWithoutCookiesReadsChronydsJournal() throws Exception {
        String show = ProbeOutput.read(Samples.read("probe-chrony-synced.txt")).section("systemctl").body();
        Files.writeString(dir.resolve("units.txt"), show + "\n");
        stub("systemctl", "case \"$*\" in\n\"show -p InvocationID --value chrony chronyd\") echo; echo 0123abcd;;\n*) cat " + dir.resolve("units.txt") + ";;\nesac");
        stub("chronyc", "case \"$*\" in\n\"-c -n sources\") echo '^,?,10.213.0.5,0,8,0,0,0.000000000,0.000000000,0.000000000';;\n"
                + "\"-c -N authdata\") echo " + NtsStatusTest.WRONG_CA.strip() + ";;\n*) exit 1;;\nesac");
        stub("journalctl", "[ \"$*\" = \"-q _SYSTEMD_INVOCATION_ID=0123abcd --no-pager -o cat\" ] || exit 7\n"
                + "echo 'Selected source 10.213.0.5'; echo '" + NtsStatusTest.TLS + "'");

        HostStatus h = StatusProbe.parse("stub", run());
        assertEquals(Verdict.UNSYNCED, h.verdict());
        assertTrue(h.detail().endsWith("NTS: no cookies from nts.lab.test: key exchange failed (1 attempt); chronyd: " + NtsStatusTest.TLS), h.detail());
    }

    @Test
    void failingToolsAreCapturedWithExitCodes() throws Exception {
        stub("systemctl", "echo 'System has not been booted with systemd as init system (PID 1).' >&2; exit 1");
        stub("chronyc", "echo '506 Cannot talk to daemon'; exit 1");
        stub("ntpq", "case \"$*\" in\n\"-pn\") echo 'ntpq: read: Connection refused' >&2; exit 1;;\n"
                + "*) printf 'partial line without newline'; exit 4;;\nesac");

        String out = run();
        Map<String, ProbeSection> s = ProbeOutput.read(out).sections();
        assertEquals(1, s.get("systemctl").exitCode());
        assertEquals("System has not been booted with systemd as init system (PID 1).", s.get("systemctl").body());
        assertEquals(1, s.get("chronyc-sources").exitCode());
        assertEquals("506 Cannot talk to daemon", s.get("chronyc-tracking").body());
        assertEquals(1, s.get("ntpq-peers").exitCode());
        assertEquals("ntpq: read: Connection refused", s.get("ntpq-peers").body());
        assertEquals(4, s.get("ntpq-rv").exitCode());
        assertEquals("partial line without newline", s.get("ntpq-rv").body());

        HostStatus h = StatusProbe.parse("stub", out);
        assertEquals(Verdict.DAEMON_DOWN, h.verdict());
        assertEquals(Daemon.CHRONY, h.daemon());
        assertEquals("chronyc: 506 Cannot talk to daemon", h.detail());
    }

    @Test
    void endlessOutputIsCutOnTheHostAndReportedAsTooLong() throws Exception {
        stub("systemctl", "exit 1");
        stub("chronyc", "case \"$*\" in\n\"-c -n sources\") exec yes endless;;\n*) yes | tr -d '\\n';;\nesac");
        stub("ntpq", "printf 'no newline at the end'; exit 3");
        long t0 = System.nanoTime();
        String out = run();
        assertTrue(System.nanoTime() - t0 < 30_000_000_000L, "finished");
        assertTrue(out.length() < 10_000, out.length() + " characters");
        Map<String, ProbeSection> s = ProbeOutput.read(out).sections();
        assertEquals(ProbeSection.TOO_LONG, s.get("chronyc-sources").exitCode());
        assertEquals("", s.get("chronyc-sources").body());
        assertEquals(ProbeSection.TOO_LONG, s.get("chronyc-tracking").exitCode(), "a line without end");
        assertEquals(3, s.get("ntpq-peers").exitCode());
        assertEquals("no newline at the end", s.get("ntpq-peers").body());
        HostStatus h = StatusProbe.parse("h2", out);
        assertTrue(h.detail().startsWith("chronyc-sources, chronyc-tracking printed more than 256 KiB; tsync reads up to 256 KiB of a status command's output and ignored theirs"), h.detail());
    }
}
