package io.tsync.lab;

import static io.tsync.lab.StatusIT.cell;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tsync.model.Daemon;
import io.tsync.platform.Platform;
import io.tsync.platform.Platforms;
import io.tsync.report.SchemaCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 14 on real hosts (lab instance "ntp", six hosts: Debian 11, 12, 13 twice): playbooks/internal-servers.yaml
 * with h1, h2 as internal servers (peers, orphan, keys) and h3..h6 as their authenticated clients; the keys in no
 * output; the fleet through an upstream outage; systemd-timesyncd and back; step_now skipped where chronyd cannot
 * set the clock; a PTP clock the host lacks refused at plan time.
 *
 * <p>The outage is held 90 s in CI; {@code -Dntpdepth.hold=300} holds the issue's 5 minutes.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NtpDepthIT {
    static final LabInstance LAB = new LabInstance("ntp");
    static final String PLAYBOOK = "playbooks/internal-servers.yaml";
    static final String TIMESYNCD = "src/test/resources/lab/timesyncd.yaml";
    static final List<String> SERVERS = List.of("h1", "h2");
    static final List<String> CLIENTS = List.of("h3", "h4", "h5", "h6");
    static final Set<String> SERVER_ADDRESSES = Set.of("10.213.0.11", "10.213.0.12");
    static final Duration HOLD = Duration.ofSeconds(Long.getLong("ntpdepth.hold", 90));
    static List<String> hosts;
    static Path dir;
    static String inv;
    static String key;
    static long started;

    @BeforeAll
    static void lab() throws IOException {
        started = System.nanoTime();
        hosts = LAB.up(6, "--release", "bullseye,bookworm,trixie");
        LAB.upstreams("start");
        // the lab inventory with the playbook's groups, beside the lab's group_vars for them
        dir = Files.createTempDirectory("ntpdepth");
        Path gv = Files.createDirectories(dir.resolve("group_vars"));
        try (Stream<Path> s = Files.list(Lab.ROOT.resolve("src/test/resources/lab/internal-servers/group_vars"))) {
            for (Path f : s.toList()) {
                Files.copy(f, gv.resolve(f.getFileName()));
            }
        }
        String groups = "  children:\n    timeservers:\n      hosts: { h1: , h2: }\n    clients:\n      hosts: { h3: , h4: , h5: , h6: }\n";
        inv = Files.writeString(dir.resolve("inventory.yaml"), Files.readString(LAB.inventory()) + groups).toString();
        key = newKey();
        // what an earlier, interrupted run may have left: /etc/chrony made a file (keyFileErrors)
        for (String h : hosts) {
            LAB.sshOk(h, "if [ -f /etc/chrony ]; then rm -f /etc/chrony; [ -d /etc/chrony.ntpdepth ] && mv /etc/chrony.ntpdepth /etc/chrony; fi; true");
        }
    }

    @AfterAll
    static void upstreamsBack() {
        LAB.upstreams("start");
        System.out.printf("NtpDepthIT took %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    static String newKey() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().withUpperCase().formatHex(b);
    }

    static Lab.Run tsync(String k, String... args) {
        return LAB.tsyncWithEnv(Map.of("TSYNC_NTP_KEY_1", "HEX:" + k), args);
    }

    static void assertNoKey(String k, String what, String text) {
        assertFalse(text.contains(k) || text.contains(k.toLowerCase(Locale.ROOT)) || text.contains(k.substring(0, 16)),
                "the key appears in " + what + ":\n" + text);
    }

    static Lab.Run status(String invFile) {
        return LAB.tsync("status", "-i", invFile);
    }

    static Lab.Run pollStatus(String invFile, Predicate<Lab.Run> until, Duration max, String what) {
        long deadline = System.nanoTime() + max.toNanos();
        Lab.Run r;
        do {
            r = status(invFile);
            if (until.test(r)) {
                return r;
            }
            sleep(2000);
        } while (System.nanoTime() < deadline);
        fail("status did not show " + what + " within " + max.toSeconds() + " s; last:\n" + r.all());
        return r;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String stratum(Lab.Run r, String h) {
        return cell(r, h, "ST");
    }

    /** Upstream at 8: internal servers at 9, on an upstream; clients at 10, on an internal server. */
    static boolean normalStrata(Lab.Run r) {
        return SERVERS.stream().allMatch(h -> cell(r, h, "VERDICT").equals("synced") && stratum(r, h).equals("9")
                && cell(r, h, "SOURCE").matches("10\\.213\\.0\\.[234]"))
                && CLIENTS.stream().allMatch(h -> cell(r, h, "VERDICT").equals("synced") && stratum(r, h).equals("10")
                && SERVER_ADDRESSES.contains(cell(r, h, "SOURCE")));
    }

    @Test
    @Order(1)
    void internalServersAndAuthenticatedClientsConverge() throws Exception {
        Path junit = dir.resolve("junit.xml");
        long t0 = System.nanoTime();
        Lab.Run r = tsync(key, "apply", "-v", "--diff", "--junit", junit.toString(), "--wait=120s", "-i", inv, PLAYBOOK);
        double secs = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("6 of 6 host(s) synced"), r.out());
        for (String h : hosts) {
            assertTrue(r.out().contains("--- " + h + ":/etc/chrony/chrony.keys"), "--diff names the key file of " + h + ":\n" + r.out());
        }
        assertTrue(r.out().contains("key file changed ("), r.out());
        // step_now on the clients: the lab runs chronyd with -x and without CAP_SYS_TIME, so it is skipped, not failed
        for (String h : CLIENTS) {
            assertTrue(r.out().lines().anyMatch(l -> l.matches(h + " +warning +step_now skipped: .*")), h + ":\n" + r.out());
        }
        assertNoKey(key, "apply -v --diff", r.all());
        assertNoKey(key, "--junit", Files.readString(junit));
        System.out.printf("internal-servers.yaml: 6 hosts converged and synced in %.1f s%n", secs);

        Lab.Run s = pollStatus(inv, NtpDepthIT::normalStrata, Duration.ofSeconds(60), "servers at stratum 9 and clients at 10");
        System.out.print(s.out());
        assertNoKey(key, "status", s.all());
    }

    @Test
    @Order(2)
    void clientsUseTheKeyAndKeyFilesHaveThePlatformsOwnerAndMode() {
        for (String h : CLIENTS) {
            String auth = LAB.sshOk(h, "chronyc -n authdata");
            for (String server : SERVER_ADDRESSES) {
                assertTrue(auth.lines().anyMatch(l -> l.matches(server.replace(".", "\\.") + " +SK +1 .*")),
                        h + ": authdata shows symmetric key 1 for " + server + ":\n" + auth);
            }
        }
        for (String h : hosts) {
            String release = LAB.sshOk(h, "cut -d. -f1 /etc/debian_version").strip();
            Platform.KeyFile want = Platforms.lookup("debian", "", release).orElseThrow().daemon(Daemon.CHRONY).orElseThrow().keyFile();
            assertEquals(want.ownership() + " " + want.mode(), LAB.sshOk(h, "stat -c '%U:%G %a' /etc/chrony/chrony.keys").strip(),
                    h + " (Debian " + release + ")");
            assertTrue(LAB.sshOk(h, "cat /etc/chrony/chrony.keys").contains("1 SHA256 HEX:" + key), h);
        }
    }

    @Test
    @Order(3)
    void aSecondRunChangesNothingAndItsJsonShowsNoKey() {
        Lab.Run r = tsync(key, "apply", "-v", "--json", "-i", inv, PLAYBOOK);
        assertEquals(0, r.exit(), r.all());
        var recap = EngineIT.recap(r.err());
        for (String h : hosts) {
            assertEquals(0, recap.get(h).get("changed"), h + " changed on a second run:\n" + r.err());
        }
        assertTrue(r.out().contains("\"schema\": \"tsync.apply/v1\""), r.out());
        SchemaCheck.assertValid("apply", r.out());
        assertNoKey(key, "apply -v --json", r.all());
    }

    @Test
    @Order(4)
    void errorsAboutKeysShowNoKey() {
        // a value that is no key: refused before any host is contacted, described by its shape
        String bad = "not-a-key-" + newKey().substring(0, 20);
        Lab.Run v = LAB.tsyncWithEnv(Map.of("TSYNC_NTP_KEY_1", bad), "apply", "-i", inv, PLAYBOOK);
        assertEquals(3, v.exit(), v.all());
        assertTrue(v.err().contains("is not a random key of 128 to 512 bits in hex"), v.err());
        assertFalse(v.all().contains(bad.substring(10)), v.all());
        // a key file the host cannot take: /etc/chrony is a file there, the write fails on the host
        String rotated = newKey();
        LAB.sshOk("h3", "mv /etc/chrony /etc/chrony.ntpdepth && touch /etc/chrony");
        try {
            Lab.Run r = tsync(rotated, "apply", "-v", "--diff", "--json", "-i", inv, "--limit", "h3", PLAYBOOK);
            assertEquals(4, r.exit(), r.all());
            assertTrue(r.all().contains("'write key file /etc/chrony/chrony.keys' failed"), r.all());
            SchemaCheck.assertValid("apply", r.out());
            assertNoKey(rotated, "a failed key write (-v --diff --json)", r.all());
            assertNoKey(key, "a failed key write (-v --diff --json)", r.all());
        } finally {
            LAB.sshOk("h3", "rm -f /etc/chrony && mv /etc/chrony.ntpdepth /etc/chrony");
        }
        Lab.Run back = tsync(key, "apply", "-i", inv, "--limit", "h3", PLAYBOOK);
        assertEquals(0, back.exit(), back.all());
        assertEquals(0, EngineIT.recap(back.out()).get("h3").get("changed"), "nothing was changed by the failed run:\n" + back.out());
    }

    /**
     * Upstreams gone: the servers keep serving (chrony holds over on its last upstream measurement, a server
     * whose upstreams went stale follows the other one or serves its own clock at the orphan stratum 10) and
     * every client stays synced to them. Upstreams back: servers 9, clients 10 again.
     */
    @Test
    @Order(5)
    void theFleetKeepsTimeWithoutUpstreamsAndReturnsToThem() {
        LAB.upstreams("stop");
        try {
            long t0 = System.nanoTime();
            long holdEnd = t0 + HOLD.toNanos();
            int polls = 0;
            java.util.Map<String, java.util.Set<String>> seen = new java.util.TreeMap<>();
            while (System.nanoTime() < holdEnd) {
                Lab.Run r = status(inv);
                polls++;
                for (String h : CLIENTS) {
                    assertEquals("synced", cell(r, h, "VERDICT"), h + " " + (System.nanoTime() - t0) / 1_000_000_000 + " s into the outage:\n" + r.out());
                    assertTrue(SERVER_ADDRESSES.contains(cell(r, h, "SOURCE")), h + " during the outage:\n" + r.out());
                }
                for (String h : SERVERS) {
                    String source = cell(r, h, "SOURCE");
                    boolean holdover = source.matches("10\\.213\\.0\\.[234]") && stratum(r, h).equals("9");
                    boolean follows = SERVER_ADDRESSES.contains(source) && Set.of("10", "11").contains(stratum(r, h));
                    boolean orphan = source.equals("LOCAL") && stratum(r, h).equals("10");
                    assertTrue(holdover || follows || orphan, h + ": holds over, follows the other server, or serves its orphan stratum:\n" + r.out());
                    seen.computeIfAbsent(h, x -> new java.util.TreeSet<>()).add(source + "@" + stratum(r, h));
                }
                for (String h : CLIENTS) {
                    seen.computeIfAbsent(h, x -> new java.util.TreeSet<>()).add(cell(r, h, "SOURCE") + "@" + stratum(r, h));
                }
                if (polls == 1 || System.nanoTime() + 10_000_000_000L >= holdEnd) {
                    System.out.printf("%d s into the outage:%n%s", (System.nanoTime() - t0) / 1_000_000_000, r.out());
                }
                sleep(5_000);
            }
            System.out.printf("held %d s without upstreams, %d status polls, every client synced to h1/h2; sources@stratum seen: %s%n",
                    HOLD.toSeconds(), polls, seen);
        } finally {
            LAB.upstreams("start");
        }
        long t1 = System.nanoTime();
        Lab.Run back = pollStatus(inv, NtpDepthIT::normalStrata, Duration.ofSeconds(90), "servers back on the upstreams at 9, clients at 10");
        System.out.printf("upstreams started: servers back on them after %.1f s%n%s", (System.nanoTime() - t1) / 1e9, back.out());
    }

    @Test
    @Order(6)
    void timesyncdAndBackEachRerunChangingNothing() {
        String plain = LAB.inventory().toString();
        List<String> some = List.of("h4", "h5", "h6");
        String limit = String.join(",", some);
        Lab.Run to = LAB.tsync("apply", "--wait", "-i", plain, "--limit", limit, TIMESYNCD);
        assertEquals(0, to.exit(), to.all());
        assertTrue(to.out().contains("3 of 3 host(s) synced"), to.out());
        Lab.Run again = LAB.tsync("apply", "-i", plain, "--limit", limit, TIMESYNCD);
        assertEquals(0, again.exit(), again.all());
        some.forEach(h -> assertEquals(0, EngineIT.recap(again.out()).get(h).get("changed"), h + ":\n" + again.out()));
        Lab.Run s = LAB.tsync("status", "-i", plain, "--limit", limit, TIMESYNCD);
        assertEquals(0, s.exit(), s.all());
        for (String h : some) {
            assertEquals("timesyncd", cell(s, h, "DAEMON"), s.out());
            assertEquals("synced", cell(s, h, "VERDICT"), s.out());
            assertEquals("matches", cell(s, h, "PLAYBOOK"), s.out());
            assertTrue(cell(s, h, "SOURCE").matches("10\\.213\\.0\\.[234]"), s.out());
            String row = StatusIT.row(s, h);
            assertTrue(row.contains("systemd-timesyncd: server 0.kr.pool.ntp.org (10.213.0.2)")
                    || row.contains("systemd-timesyncd: server 1.asia.pool.ntp.org (10.213.0.3)"), row);
            assertFalse(LAB.ssh(h, "dpkg-query -W -f='${db:Status-Abbrev}' chrony").out().startsWith("ii"), h + ": chrony is gone");
        }
        System.out.print(s.out());

        Lab.Run back = tsync(key, "apply", "--wait", "-i", inv, "--limit", limit, PLAYBOOK);
        assertEquals(0, back.exit(), back.all());
        Lab.Run backAgain = tsync(key, "apply", "-i", inv, "--limit", limit, PLAYBOOK);
        assertEquals(0, backAgain.exit(), backAgain.all());
        some.forEach(h -> assertEquals(0, EngineIT.recap(backAgain.out()).get(h).get("changed"), h + ":\n" + backAgain.out()));
        Lab.Run chrony = pollStatus(inv, NtpDepthIT::normalStrata, Duration.ofSeconds(60), "the fleet on chrony again");
        some.forEach(h -> assertEquals("chrony", cell(chrony, h, "DAEMON"), chrony.out()));
    }

    @Test
    @Order(7)
    void aPtpClockTheHostLacksIsRefusedAtPlanTime() throws IOException {
        Path pb = Files.writeString(dir.resolve("kvm-clock.yaml"), """
                hosts: all
                ntp:
                  servers: [0.kr.pool.ntp.org]
                  refclocks:
                    - { phc: /dev/ptp_kvm, poll: 3, dpoll: -2, offset: 0 }
                """);
        Lab.Run r = LAB.tsync("apply", "--check", "-i", LAB.inventory().toString(), "--limit", "h3", pb.toString());
        assertEquals(4, r.exit(), r.all());
        assertTrue(r.out().contains("refclock /dev/ptp_kvm: no such device on this host (it has no PTP clock)"), r.out());
    }
}
