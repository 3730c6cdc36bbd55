package io.tsync.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tsync.report.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, pull mode, in lab instance {@code pull} (2 fresh hosts, no Java, no git of their own):
 * the bundle and git's .debs (lab/debs, downloaded once by this machine) are copied to both hosts;
 * a Git repository is served from the lab namespace by {@code git daemon} on the bridge address.
 * {@code tsync pull --install-timer} converges both on the timer's first run; a commit that changes
 * the timezone and the servers reaches both on the next run (started with {@code systemctl start
 * tsync-pull.service}, the timer's own unit, instead of waiting out the interval).
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PullIT {
    static final LabInstance LAB = new LabInstance("pull");
    static final String URL = "git://10.213.0.1/fleet";
    static final List<String> HOSTS = List.of("h1", "h2");
    static String tsync;
    static Path repo;
    static String first;
    /** Signs the commits the hosts may apply (in /etc/tsync/allowed_signers on both); another key signs one they must refuse. */
    static Path ciKey;
    static Path otherKey;
    static String second;

    @TempDir
    static Path dir;

    static Map<String, String> env() {
        return Map.of("TSYNC_LAB", LAB.name(), "NO_COLOR", "1");
    }

    @BeforeAll
    static void lab() throws Exception {
        Path bundle;
        try (Stream<Path> s = Files.list(Lab.ROOT.resolve("target"))) {
            bundle = s.filter(p -> p.getFileName().toString().matches("tsync-.*-linux-.*\\.tar\\.gz")).findFirst()
                    .orElseThrow(() -> new AssertionError("no target/tsync-*-linux-*.tar.gz: mvn package builds it when the JDK has its jmods"));
        }
        String top = bundle.getFileName().toString().replaceAll("-linux-.*", "");
        tsync = "/opt/" + top + "/bin/tsync";
        long t0 = System.nanoTime();
        LAB.down();
        LAB.up(HOSTS.size());
        long t1 = System.nanoTime();
        Path debs = Path.of(Lab.checked(Duration.ofMinutes(5), env(), "lab/debs", "git").out().strip());
        Path debsTar = dir.resolve("git-debs.tar");
        Lab.checked(Duration.ofMinutes(1), "sh", "-c", "cd \"$1\" && tar -cf \"$2\" *.deb", "sh", debs.toString(), debsTar.toString());
        onBothHosts(h -> {
            copy(bundle, h, "/tmp/bundle.tgz");
            copy(debsTar, h, "/tmp/git-debs.tar");
            return LAB.sshOk(h, "tar -C /opt -xzf /tmp/bundle.tgz && mkdir /tmp/debs && tar -C /tmp/debs -xf /tmp/git-debs.tar"
                    + " && dpkg -i /tmp/debs/*.deb >/dev/null && rm -rf /tmp/bundle.tgz /tmp/git-debs.tar /tmp/debs && git --version");
        });
        long t2 = System.nanoTime();

        ciKey = dir.resolve("ci_key");
        otherKey = dir.resolve("other_key");
        for (Path k : List.of(ciKey, otherKey)) {
            Lab.checked(Duration.ofMinutes(1), "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", k.getFileName().toString(), "-f", k.toString());
        }
        repo = dir.resolve("served/fleet");
        Files.createDirectories(repo);
        git("init", "-q", "-b", "main");
        first = commit("""
                name: fleet time
                hosts: all
                timezone: Asia/Seoul
                ntp:
                  daemon: chrony
                  servers: [0.kr.pool.ntp.org, 1.asia.pool.ntp.org]
                """, "Korea time for every host");
        // the controller's git serves the repository on the lab bridge, read-only (git daemon has no push by default)
        Lab.checked(Duration.ofMinutes(1), env(), "lab/exec", "git", "daemon", "--detach", "--reuseaddr", "--export-all",
                "--listen=10.213.0.1", "--port=9418", "--pid-file=" + dir.resolve("git-daemon.pid"), "--base-path=" + dir.resolve("served"),
                dir.resolve("served").toString());
        System.out.printf("lab instance %s: 2 fresh hosts up in %.1f s; bundle and git (%s) installed on both in %.1f s%n", LAB.name(),
                (t1 - t0) / 1e9, debs.getFileName(), (t2 - t1) / 1e9);
    }

    @AfterAll
    static void down() throws IOException {
        Path pid = dir.resolve("git-daemon.pid");
        if (Files.exists(pid)) {
            Lab.run(Duration.ofSeconds(30), List.of("kill", Files.readString(pid).strip()), null);
        }
        LAB.down();
    }

    static String git(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", repo.toString(), "-c", "user.name=ops", "-c", "user.email=ops@example.com"));
        cmd.addAll(List.of(args));
        return Lab.checked(Duration.ofMinutes(1), cmd.toArray(String[]::new)).out();
    }

    static String commit(String localYaml, String message) throws IOException {
        return commit(localYaml, message, null);
    }

    /** A commit signed with {@code key} (SSH signing, as a CI job does), or unsigned when null. */
    static String commit(String localYaml, String message, Path key) throws IOException {
        Files.writeString(repo.resolve("local.yaml"), localYaml);
        git("add", "local.yaml");
        if (key == null) {
            git("commit", "--no-gpg-sign", "-q", "-m", message);
        } else {
            git("-c", "gpg.format=ssh", "-c", "user.signingkey=" + key, "commit", "-S", "-q", "-m", message);
        }
        return git("rev-parse", "HEAD").strip();
    }

    static void copy(Path file, String host, String to) {
        try {
            ProcessBuilder pb = new ProcessBuilder("lab/ssh", host, "cat > " + to).directory(Lab.ROOT.toFile())
                    .redirectInput(file.toFile()).redirectErrorStream(true);
            pb.environment().putAll(env());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                fail("copying " + file + " to " + host + ":" + to + " failed: " + out);
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code f} on both hosts at once. */
    static <T> Map<String, T> onBothHosts(Function<String, T> f) throws Exception {
        return LabInstance.onHosts(HOSTS, Duration.ofMinutes(5), f);
    }

    /** The host's last-run.json, once the pull service has finished a run of {@code commit}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> awaitRun(String host, String commit, Duration max) {
        String out = LAB.await(host, "systemctl show tsync-pull.service -p ActiveState --value; cat /var/lib/tsync/pull/last-run.json 2>/dev/null",
                s -> s.startsWith("inactive\n") && s.contains("\"commit\": \"" + commit + "\""), max, "the pull of " + commit);
        return (Map<String, Object>) Json.parse(out.substring(out.indexOf('\n') + 1));
    }

    /** The timer's service started by hand: systemctl returns when the oneshot run is over; a failed run shows its journal. */
    static String runNow(String host) {
        Lab.Run r = LAB.ssh(host, "systemctl start tsync-pull.service");
        if (r.exit() != 0) {
            fail(host + ": systemctl start tsync-pull.service exited " + r.exit() + "\n" + r.all()
                    + LAB.ssh(host, "systemctl status tsync-pull.service --no-pager; journalctl -u tsync-pull.service -o short-precise --no-pager | tail -40").all());
        }
        return r.out();
    }

    static String servers(String host) {
        return LAB.sshOk(host, "grep -E '^(server|pool) ' /etc/chrony/chrony.conf").strip();
    }

    @Test
    @Order(1)
    void installTimerTwiceThenTheTimersFirstRunConvergesBothHosts() throws Exception {
        long t0 = System.nanoTime();
        String install = tsync + " pull --install-timer --url " + URL + " --random-delay 0";
        onBothHosts(h -> {
            Lab.Run once = LAB.ssh(h, install);
            assertEquals(0, once.exit(), once.all());
            assertTrue(once.out().contains("wrote /etc/systemd/system/tsync-pull.timer"), once.out());
            assertTrue(once.out().contains("ran systemctl enable tsync-pull.timer"), once.out());
            Lab.Run twice = LAB.ssh(h, install);
            assertEquals(0, twice.exit(), twice.all());
            assertEquals("tsync-pull.service and tsync-pull.timer are already installed as asked, the timer enabled and active: nothing changed\n",
                    twice.out(), h);
            assertTrue(LAB.sshOk(h, "cat /etc/systemd/system/tsync-pull.service").contains("\nExecStart=" + tsync + " pull --url " + URL
                    + " --branch main --directory /var/lib/tsync/pull/repo\n"));
            return null;
        });
        // the timer's first run (OnBootSec=1min: a container's systemd counts from its own start), awaited by its result
        Map<String, Map<String, Object>> runs = onBothHosts(h -> awaitRun(h, first, Duration.ofMinutes(3)));
        System.out.printf("timer's first run done on both hosts %.1f s after install%n", (System.nanoTime() - t0) / 1e9);
        for (String h : HOSTS) {
            Map<String, Object> run = runs.get(h);
            assertEquals("changed", run.get("outcome"), h + ": " + run);
            assertEquals(0L, run.get("exit"), h + ": " + run);
            assertEquals("local.yaml", run.get("playbook"));
            assertTrue((Long) run.get("changed") >= 4, h + ": " + run);
            assertEquals("success", LAB.sshOk(h, "systemctl show tsync-pull.service -p Result --value").strip(), h);
            assertEquals("Asia/Seoul", LAB.timezone(h));
            assertEquals("server 0.kr.pool.ntp.org iburst\nserver 1.asia.pool.ntp.org iburst", servers(h), h);
            assertEquals("active", LAB.sshOk(h, "systemctl is-active chrony").strip(), h);
        }
    }

    @Test
    @Order(2)
    void aCommitReachesBothHostsOnTheNextRun() throws Exception {
        // signed (ignored without --verify-commit): the last verified commit when test 3 turns verification on
        second = commit("""
                name: fleet time
                hosts: all
                timezone: Europe/Berlin
                ntp:
                  daemon: chrony
                  servers: [time.example.com]
                """, "Berlin, and our own server", ciKey);
        long t0 = System.nanoTime();
        // the next run without waiting out the interval: the timer's own service, started by hand
        onBothHosts(PullIT::runNow);
        System.out.printf("next run (systemctl start tsync-pull.service) on both hosts: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        for (String h : HOSTS) {
            Map<String, Object> run = awaitRun(h, second, Duration.ofSeconds(30));
            assertEquals("changed", run.get("outcome"), h + ": " + run);
            assertEquals("Europe/Berlin", LAB.timezone(h));
            assertEquals("server time.example.com iburst", servers(h), h);
            String journal = LAB.sshOk(h, "journalctl -u tsync-pull.service -o cat --no-pager");
            assertTrue(journal.contains("pull: " + URL + " main at " + second + " (Berlin, and our own server)"), journal);
            assertTrue(journal.contains("set timezone Europe/Berlin"), journal);
            if (h.equals("h1")) {
                System.out.println("journalctl -u tsync-pull.service on h1:\n" + journal);
            }
        }

        // once more at the same commit: nothing to change, and status --local says so
        onBothHosts(PullIT::runNow);
        for (String h : HOSTS) {
            Map<String, Object> run = awaitRun(h, second, Duration.ofSeconds(30));
            assertEquals("ok", run.get("outcome"), h + ": " + run);
            Lab.Run status = LAB.ssh(h, "cd /tmp && " + tsync + " status --local");
            assertTrue(status.out().lines().anyMatch(l -> l.startsWith("last pull: ") && l.endsWith(" commit " + second.substring(0, 12)
                    + " ok, 0 changed (local.yaml)")), status.all());
            assertFalse(status.out().contains("warning"), status.all());
        }
    }

    /** A pull the timer's service runs that must fail: systemctl reports the oneshot's non-zero exit; returns last-run.json. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> runRefused(String host) {
        Lab.Run r = LAB.ssh(host, "systemctl start tsync-pull.service");
        assertTrue(r.exit() != 0, host + ": the refused pull should fail its unit\n" + r.all());
        assertEquals("exit-code", LAB.sshOk(host, "systemctl show tsync-pull.service -p Result --value").strip(), host);
        return (Map<String, Object>) Json.parse(LAB.sshOk(host, "cat /var/lib/tsync/pull/last-run.json"));
    }

    /** The refused run's record: outcome, exit, the host still on {@code second}, and the timezone untouched. */
    static void assertStayed(String host, Map<String, Object> run, String refused, String why) {
        assertEquals("unverified", run.get("outcome"), host + ": " + run);
        assertEquals(3L, run.get("exit"), host + ": " + run);
        assertEquals(second, run.get("commit"), host + ": the last verified commit: " + run);
        assertTrue(((String) run.get("message")).startsWith("refused commit " + refused + ": it " + why + "; this host stays on commit " + second
                + ", the last verified"), host + ": " + run);
        assertEquals("Europe/Berlin", LAB.timezone(host), host);
        assertEquals("server time.example.com iburst", servers(host), host);
        String status = LAB.sshOk(host, "cd /tmp && " + tsync + " status --local");
        assertTrue(status.lines().anyMatch(l -> l.startsWith("last pull: ") && l.contains(" commit " + second.substring(0, 12)
                + " unverified, 0 changed, exit 3: refused commit " + refused + ": it " + why)), host + ": " + status);
    }

    @Test
    @Order(3)
    void withVerifyCommitOnlyACommitSignedByAnAllowedKeyIsApplied() throws Exception {
        long t0 = System.nanoTime();
        Path allowed = dir.resolve("allowed_signers");
        Files.writeString(allowed, "ci@example.com namespaces=\"git\" " + Files.readString(Path.of(ciKey + ".pub")));
        String tokyo = commit("""
                name: fleet time
                hosts: all
                timezone: Asia/Tokyo
                ntp:
                  daemon: chrony
                  servers: [time.example.com]
                """, "unsigned: Tokyo");
        String install = tsync + " pull --install-timer --url " + URL + " --random-delay 0 --verify-commit --allowed-signers /etc/tsync/allowed_signers";
        onBothHosts(h -> {
            LAB.sshOk(h, "mkdir -p /etc/tsync");
            copy(allowed, h, "/etc/tsync/allowed_signers");
            Lab.Run r = LAB.ssh(h, install);
            assertEquals(0, r.exit(), r.all());
            assertTrue(LAB.sshOk(h, "cat /etc/systemd/system/tsync-pull.service").contains("\nExecStart=" + tsync + " pull --url " + URL
                    + " --branch main --directory /var/lib/tsync/pull/repo --verify-commit --allowed-signers /etc/tsync/allowed_signers\n"), h);
            // the restarted timer may start a run at once: systemctl start then waits for that one
            assertStayed(h, runRefused(h), tokyo, "is unsigned");
            return null;
        });

        String lisbon = commit("""
                name: fleet time
                hosts: all
                timezone: Europe/Lisbon
                ntp:
                  daemon: chrony
                  servers: [time.example.com]
                """, "signed by a key the hosts do not allow: Lisbon", otherKey);
        String otherFingerprint = Lab.checked(Duration.ofMinutes(1), "ssh-keygen", "-l", "-f", otherKey + ".pub").out().split(" ")[1];
        onBothHosts(h -> {
            assertStayed(h, runRefused(h), lisbon, "is signed by key " + otherFingerprint + ", which is not in /etc/tsync/allowed_signers");
            String journal = LAB.sshOk(h, "journalctl -u tsync-pull.service -o cat --no-pager");
            assertTrue(journal.contains("pull: refused commit " + lisbon + ": it is signed by key " + otherFingerprint), h + ":\n" + journal);
            return null;
        });

        String paris = commit("""
                name: fleet time
                hosts: all
                timezone: Europe/Paris
                ntp:
                  daemon: chrony
                  servers: [time.example.com]
                """, "signed by CI: Paris", ciKey);
        onBothHosts(PullIT::runNow);
        for (String h : HOSTS) {
            Map<String, Object> run = awaitRun(h, paris, Duration.ofSeconds(30));
            assertEquals("changed", run.get("outcome"), h + ": " + run);
            assertEquals("Europe/Paris", LAB.timezone(h), h);
            String journal = LAB.sshOk(h, "journalctl -u tsync-pull.service -o cat --no-pager");
            assertTrue(journal.contains("pull: commit " + paris.substring(0, 12) + " is signed by ci@example.com (key SHA256:"), h + ":\n" + journal);
            if (h.equals("h1")) {
                System.out.println("journalctl -u tsync-pull.service on h1, the signed runs:\n"
                        + journal.substring(journal.lastIndexOf("Starting", journal.indexOf("refused commit " + tokyo))));
            }
        }
        System.out.printf("signed pulls (install, 2 refused runs, 1 applied) on both hosts: %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }
}
