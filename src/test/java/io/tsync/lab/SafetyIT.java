package io.tsync.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults on real hosts: the failed host keeps its previous working config and daemon, the others
 * converge, the recap and exit code say what happened, and a re-run after the fault is removed
 * converges with nothing else changed.
 */
@Tag("lab")
class SafetyIT {
    static final String INV = Lab.INVENTORY.toString();
    static final String KR = "playbooks/kr.yaml";
    static final List<String> HOSTS = List.of("h1", "h2", "h3");

    @BeforeEach
    void pristine() {
        Lab.up(3);
        Lab.reset(HOSTS.toArray(String[]::new));
    }

    static Map<String, Map<String, Integer>> recap(Lab.Run r) {
        return EngineIT.recap(r.out());
    }

    static void converge() {
        Lab.Run r = Lab.tsync("apply", "-i", INV, KR);
        assertEquals(0, r.exit(), r.all());
    }

    static void assertRerunOnlyChanges(String host) {
        Lab.Run r = Lab.tsync("apply", "-i", INV, KR);
        assertEquals(0, r.exit(), r.all());
        for (String h : HOSTS) {
            int changed = recap(r).get(h).get("changed");
            if (h.equals(host)) {
                assertTrue(changed > 0, host + " should converge now:\n" + r.out());
            } else {
                assertEquals(0, changed, h + " changed although only " + host + " had a fault:\n" + r.out());
            }
        }
        Lab.Run again = Lab.tsync("apply", "-i", INV, KR);
        assertEquals(0, again.exit(), again.all());
        HOSTS.forEach(h -> assertEquals(0, recap(again).get(h).get("changed"), again.out()));
    }

    @Test
    void configRejectedByChronydNeverReplacesTheWorkingOne() {
        converge();
        String before = Lab.snapshot("h1");
        Lab.Run r = Lab.tsync("apply", "-i", INV, "--limit", "h1", "--templates", "src/test/resources/lab/templates-invalid", KR);
        assertEquals(4, r.exit(), r.all());
        assertTrue(r.out().contains("the daemon rejects the new config"), r.out());
        assertTrue(r.out().contains("Invalid directive"), "chronyd's own error is shown:\n" + r.out());
        assertEquals(before, Lab.snapshot("h1"), "config and daemon untouched");
        assertEquals("", Lab.sshOk("h1", "ls /etc/chrony | grep '\\.tsync\\.' || true").strip(), "no temp file left");
        Lab.Run again = Lab.tsync("apply", "-i", INV, KR);
        assertEquals(0, again.exit(), again.all());
        HOSTS.forEach(h -> assertEquals(0, recap(again).get(h).get("changed"), again.out()));
    }

    @Test
    void daemonThatFailsToStartIsRolledBackToThePreviousConfig() {
        converge();
        String conf = Lab.sshOk("h2", "cat /etc/chrony/chrony.conf");
        Lab.Run r = Lab.tsync("apply", "-i", INV, "--templates", "src/test/resources/lab/templates-failstart", KR);
        assertEquals(4, r.exit(), r.all());
        assertTrue(r.out().contains("Could not open /nonexistent-dir/chronyd.pid"), "the daemon's own error from the journal:\n" + r.out());
        assertTrue(r.out().contains("rolled back"), r.out());
        for (String h : HOSTS) {
            assertEquals(1, recap(r).get(h).get("failed"), r.out());
            assertEquals(conf, Lab.sshOk(h, "cat /etc/chrony/chrony.conf"), h + " keeps its previous config");
            assertEquals("active", Lab.sshOk(h, "systemctl is-active chrony").strip(), h + " runs on it");
        }
        Lab.Run again = Lab.tsync("apply", "-i", INV, KR);
        assertEquals(0, again.exit(), again.all());
        HOSTS.forEach(h -> assertEquals(0, recap(again).get(h).get("changed"), "the fixed playbook converges with nothing to do:\n" + again.out()));
    }

    @Test
    void aptInstallFailingFailsOnlyThatHost() {
        Lab.sshOk("h2", "mkdir -p /root/held && mv /var/cache/apt/archives/chrony_*.deb /root/held/");
        Lab.Run r = Lab.tsync("apply", "-i", INV, KR);
        assertEquals(4, r.exit(), r.all());
        assertEquals(1, recap(r).get("h2").get("failed"), r.out());
        assertTrue(r.out().contains("'install chrony' failed"), r.out());
        assertEquals(0, recap(r).get("h1").get("failed"), r.out());
        assertEquals(0, recap(r).get("h3").get("failed"), r.out());
        assertNotEquals("active", Lab.ssh("h2", "systemctl is-active chrony").out().strip());
        Lab.sshOk("h2", "mv /root/held/chrony_*.deb /var/cache/apt/archives/");
        assertRerunOnlyChanges("h2");
    }

    @Test
    void sshdStoppedMakesThatHostUnreachableOnly() {
        Lab.ssh("h3", "systemctl stop ssh.service");
        Lab.Run r = Lab.tsync("apply", "-i", INV, "--connect-timeout", "3", KR);
        assertEquals(5, r.exit(), r.all());
        assertEquals(1, recap(r).get("h3").get("unreachable"), r.out());
        assertTrue(recap(r).get("h1").get("changed") > 0 && recap(r).get("h2").get("changed") > 0, r.out());
        Lab.stop("h3");
        Lab.start("h3");
        assertRerunOnlyChanges("h3");
    }

    @Test
    void hostKilledMidApplyFailsWithinTheTimeoutAndOthersConverge() throws Exception {
        try (Lab.Background bg = Lab.tsyncInBackground("apply", "-i", INV, "--keepalive", "1", "--command-timeout", "60", KR)) {
        // the timezone is set first; the next step (apt-get install, several seconds) is under way when h1 dies
        bg.awaitLine(l -> l.startsWith("h1 ") && l.contains("changed  set timezone"), Duration.ofSeconds(60), "h1 starting to converge");
        long t0 = System.nanoTime();
        Lab.stop("h1");
        Lab.Run r = bg.finish(Duration.ofSeconds(90));
        double secs = (System.nanoTime() - t0) / 1e9;
        assertTrue(r.exit() == 4 || r.exit() == 5, "failed or unreachable:\n" + r.all());
        Map<String, Integer> h1 = recap(r).get("h1");
        assertEquals(1, h1.get("failed") + h1.get("unreachable"), r.out());
        assertEquals(0, recap(r).get("h2").get("failed"), r.out());
        assertEquals(0, recap(r).get("h3").get("failed"), r.out());
        System.out.printf("host killed mid-apply: run ended %.1f s after the kill%n", secs);
        }
        Lab.start("h1");
        assertRerunOnlyChanges("h1");
    }

    @Test
    void interruptFinishesTheCurrentStepAndPrintsTheRecap() throws Exception {
        try (Lab.Background bg = Lab.tsyncInBackground("apply", "-i", INV, KR)) {
        bg.awaitLine(l -> l.contains("changed  install chrony"), Duration.ofSeconds(60), "a host installing chrony");
        // SIGTERM by kill(1): Process.destroy() would also close our end of tsync's stdout
        Lab.run(Duration.ofSeconds(10), List.of("kill", "-TERM", String.valueOf(bg.process.pid())), null);
        Lab.Run r = bg.finish(Duration.ofSeconds(60));
        assertNotEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("RECAP"), "recap printed on SIGTERM:\n" + r.all());
        assertTrue(r.out().contains("interrupted"), r.all());
        for (String h : HOSTS) {
            assertEquals("", Lab.sshOk(h, "ls /etc/chrony 2>/dev/null | grep '\\.tsync\\.' || true").strip(), "no half-written file on " + h);
        }
        }
        Lab.Run again = Lab.tsync("apply", "-i", INV, KR);
        assertEquals(0, again.exit(), again.all());
        Lab.Run third = Lab.tsync("apply", "-i", INV, KR);
        HOSTS.forEach(h -> assertEquals(0, recap(third).get(h).get("changed"), third.out()));
    }

    @Test
    void changedHostKeyIsRefusedAndTheHostUntouched(@TempDir Path dir) throws Exception {
        Path old = dir.resolve("known_hosts");
        Files.copy(Lab.DEFAULT.knownHosts(), old);
        Lab.reset("h1"); // new host keys
        Lab.Run r = Lab.tsync("apply", "-i", INV, "--known-hosts", old.toString(), KR);
        assertEquals(5, r.exit(), r.all());
        assertTrue(r.out().contains("has CHANGED"), r.out());
        assertEquals(1, recap(r).get("h1").get("unreachable"), r.out());
        assertEquals("Etc/UTC", Lab.timezone("h1").strip(), "h1 untouched");
        assertFalse(Lab.ssh("h1", "dpkg -s chrony").exit() == 0, "h1 untouched");
        Lab.Run again = Lab.tsync("apply", "-i", INV, "--known-hosts", old.toString(), "--accept-new-hostkeys", KR);
        assertEquals(5, again.exit(), "a changed key stays refused even with --accept-new-hostkeys:\n" + again.all());
    }

    @Test
    void unknownHostIsRefusedWithItsFingerprintUntilAccepted(@TempDir Path dir) throws Exception {
        Path kh = dir.resolve("known_hosts");
        String all = Files.readString(Lab.DEFAULT.knownHosts());
        Files.writeString(kh, all.lines().filter(l -> !l.startsWith("10.213.0.12 ")).map(l -> l + "\n").reduce("", String::concat));
        Lab.Run r = Lab.tsync("apply", "--check", "-i", INV, "--known-hosts", kh.toString(), KR);
        assertEquals(5, r.exit(), r.all());
        assertTrue(r.out().matches("(?s).*h2 .*UNREACHABLE.*not in .*fingerprint SHA256:.*--accept-new-hostkeys.*"), r.out());
        Lab.Run ok = Lab.tsync("apply", "--check", "-i", INV, "--known-hosts", kh.toString(), "--accept-new-hostkeys", KR);
        assertEquals(2, ok.exit(), ok.all());
        assertTrue(Files.readString(kh).contains("10.213.0.12 "), "the new key was recorded");
        Lab.Run strict = Lab.tsync("apply", "--check", "-i", INV, "--known-hosts", kh.toString(), KR);
        assertEquals(2, strict.exit(), "now known: " + strict.all());
    }
}
