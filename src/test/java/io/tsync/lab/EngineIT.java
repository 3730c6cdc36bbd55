package io.tsync.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The engine's promises, shown on real lab hosts: converge, idempotence, --check, --diff, daemon switch, become, a host down. */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EngineIT {
    static List<String> hosts;
    static final String INV = Lab.INVENTORY.toString();
    static final String KR = "playbooks/kr.yaml";
    static final String KR_NTPD = "playbooks/kr-ntpd.yaml";

    @BeforeAll
    static void lab() {
        hosts = Lab.up(3);
        Lab.reset(hosts.toArray(String[]::new));
    }

    /** Per-host counters from the recap lines: "h1 : ok=5  changed=0  failed=0  unreachable=0". */
    static Map<String, Map<String, Integer>> recap(String out) {
        Map<String, Map<String, Integer>> m = new HashMap<>();
        Matcher line = Pattern.compile("(?m)^(\\S+)\\s+: (.*)$").matcher(out);
        while (line.find()) {
            Map<String, Integer> counts = new HashMap<>();
            Matcher kv = Pattern.compile("(\\w+)=(\\d+)").matcher(line.group(2));
            while (kv.find()) {
                counts.put(kv.group(1), Integer.parseInt(kv.group(2)));
            }
            m.put(line.group(1), counts);
        }
        return m;
    }

    static void assertAllZeroChanged(Lab.Run r) {
        assertEquals(0, r.exit(), r.all());
        Map<String, Map<String, Integer>> recap = recap(r.out());
        for (String h : hosts) {
            assertEquals(0, recap.get(h).get("changed"), h + " changed on a converged re-run:\n" + r.out());
        }
    }

    static void awaitSynced(String host) {
        Lab.await(host, "chronyc -n sources", out -> out.lines().anyMatch(l -> l.startsWith("^*")), Duration.ofSeconds(60),
                "a ^* (selected) chrony source");
    }

    @Test
    @Order(1)
    void freshHostsConvergeAndSync() {
        long t0 = System.nanoTime();
        Lab.Run r = Lab.tsync("apply", "-i", INV, KR);
        assertEquals(0, r.exit(), r.all());
        Map<String, Map<String, Integer>> recap = recap(r.out());
        for (String h : hosts) {
            assertTrue(recap.get(h).get("changed") > 0, r.out());
            assertTrue(Lab.timezone(h).strip().equals("Asia/Seoul"));
            assertTrue(Lab.sshOk(h, "cat /etc/chrony/chrony.conf").contains("server 0.kr.pool.ntp.org iburst"));
            assertEquals("active", Lab.sshOk(h, "systemctl is-active chrony").strip());
            assertEquals("enabled", Lab.sshOk(h, "systemctl is-enabled chrony").strip());
        }
        for (String h : hosts) {
            awaitSynced(h);
        }
        System.out.printf("converged and synced %d fresh hosts in %.1f s%n", hosts.size(), (System.nanoTime() - t0) / 1e9);
    }

    @Test
    @Order(2)
    void secondApplyChangesNothing() {
        assertAllZeroChanged(Lab.tsync("apply", "-i", INV, KR));
    }

    @Test
    @Order(3)
    void checkOnConvergedFleetExitsZero() {
        Map<String, String> before = new HashMap<>();
        hosts.forEach(h -> before.put(h, Lab.snapshot(h)));
        Lab.Run r = Lab.tsync("apply", "--check", "-i", INV, KR);
        assertEquals(0, r.exit(), r.all());
        hosts.forEach(h -> assertEquals(before.get(h), Lab.snapshot(h), h + " changed under --check"));
    }

    @Test
    @Order(4)
    void handEditIsDetectedByCheckDiffAndRepaired() {
        String h = hosts.get(1);
        Lab.sshOk(h, "sed -i 's/^server 2.asia.pool.ntp.org iburst$/server 2.asia.pool.ntp.org/' /etc/chrony/chrony.conf");
        Map<String, String> before = new HashMap<>();
        hosts.forEach(x -> before.put(x, Lab.snapshot(x)));
        Lab.Run r = Lab.tsync("apply", "--check", "--diff", "-i", INV, KR);
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.out().contains("-server 2.asia.pool.ntp.org\n+server 2.asia.pool.ntp.org iburst"), r.out());
        assertTrue(r.out().contains("--- " + h + ":/etc/chrony/chrony.conf"), r.out());
        for (String other : hosts) {
            if (!other.equals(h)) {
                assertFalse(r.out().contains("--- " + other + ":"), "diff shown for an unchanged host " + other + ":\n" + r.out());
            }
        }
        hosts.forEach(x -> assertEquals(before.get(x), Lab.snapshot(x), x + " changed under --check --diff"));
        Lab.Run fix = Lab.tsync("apply", "-i", INV, KR);
        assertEquals(0, fix.exit(), fix.all());
        assertEquals(2, recap(fix.out()).get(h).get("changed"), "write + restart:\n" + fix.out());
        assertAllZeroChanged(Lab.tsync("apply", "-i", INV, KR));
    }

    @Test
    @Order(5)
    void chronyToNtpsecAndBack() {
        Lab.Run toNtpd = Lab.tsync("apply", "-i", INV, KR_NTPD);
        assertEquals(0, toNtpd.exit(), toNtpd.all());
        for (String h : hosts) {
            assertEquals("active", Lab.sshOk(h, "systemctl is-active ntpsec").strip());
            Lab.await(h, "ntpq -pn", out -> out.contains("10.213.0."), Duration.ofSeconds(30), "ntpq to list the lab upstreams");
        }
        assertAllZeroChanged(Lab.tsync("apply", "-i", INV, KR_NTPD));
        Lab.Run back = Lab.tsync("apply", "-i", INV, KR);
        assertEquals(0, back.exit(), back.all());
        for (String h : hosts) {
            assertEquals("active", Lab.sshOk(h, "systemctl is-active chrony").strip());
            assertFalse(Lab.ssh(h, "systemctl is-active ntpsec").out().strip().equals("active"));
        }
        assertAllZeroChanged(Lab.tsync("apply", "-i", INV, KR));
        hosts.forEach(EngineIT::awaitSynced);
    }

    @Test
    @Order(6)
    void nonRootDeployUserConvergesWithSudo(@TempDir Path dir) throws Exception {
        String h = hosts.get(0);
        Lab.reset(h);
        Path inv = Lab.inventoryWith(dir, "deploy");
        Lab.Run r = Lab.tsync("apply", "-i", inv.toString(), "--limit", h, KR);
        assertEquals(0, r.exit(), r.all());
        assertTrue(recap(r.out()).get(h).get("changed") > 0, r.out());
        assertEquals("Asia/Seoul", Lab.timezone(h).strip());
        Lab.Run again = Lab.tsync("apply", "-i", inv.toString(), "--limit", h, KR);
        assertEquals(0, again.exit(), again.all());
        assertEquals(0, recap(again.out()).get(h).get("changed"), again.out());
    }

    @Test
    @Order(7)
    void oneHostDownOthersConverge() {
        String down = hosts.get(2);
        Lab.reset(hosts.get(0), hosts.get(1));
        Lab.stop(down);
        try {
            Lab.Run r = Lab.tsync("apply", "-i", INV, "--connect-timeout", "3", KR);
            assertEquals(5, r.exit(), "exit code 5 = unreachable host:\n" + r.all());
            Map<String, Map<String, Integer>> recap = recap(r.out());
            assertEquals(1, recap.get(down).get("unreachable"), r.out());
            for (String h : hosts.subList(0, 2)) {
                assertTrue(recap.get(h).get("changed") > 0, r.out());
                assertEquals(0, recap.get(h).get("failed"), r.out());
            }
        } finally {
            Lab.start(down);
        }
        Lab.Run r = Lab.tsync("apply", "-i", INV, KR);
        assertEquals(0, r.exit(), r.all());
        assertAllZeroChanged(Lab.tsync("apply", "-i", INV, KR));
    }

    /**
     * Two plays for one host: the second is planned on the facts the first left, so a play that
     * changed the host makes tsync gather facts again, and one that changed nothing (or --check,
     * which changes nothing) does not: one facts round trip saved per unchanged play. A run that
     * changes the host also gathers them once more after taking its run lock.
     */
    @Test
    @Order(8)
    void twoPlaysForOneHostGatherFactsAgainOnlyAfterAChange(@TempDir Path dir) throws Exception {
        String h = hosts.get(0);
        Lab.reset(h);
        Path pb = java.nio.file.Files.writeString(dir.resolve("two-plays.yaml"), """
                - name: time zone
                  hosts: %s
                  timezone: Asia/Seoul
                - name: ntp
                  hosts: %s
                  ntp:
                    daemon: chrony
                    servers:
                      - { host: 0.kr.pool.ntp.org, iburst: true }
                """.formatted(h, h));
        java.util.function.Function<Lab.Run, Long> probes = r -> r.out().lines().filter(l -> l.matches(h + "\\s+\\$ \\(facts probe\\)")).count();
        Lab.Run check = Lab.tsync("apply", "--check", "-v", "-i", INV, "--limit", h, pb.toString());
        assertEquals(2, check.exit(), check.all());
        assertEquals(1L, probes.apply(check), "--check: the second play is planned on the same facts\n" + check.out());
        Lab.Run apply = Lab.tsync("apply", "-v", "-i", INV, "--limit", h, pb.toString());
        assertEquals(0, apply.exit(), apply.all());
        assertEquals(5, recap(apply.out()).get(h).get("changed"), apply.out());
        // once before taking the run lock, once under it (another run may have changed the host), once after the first play's change
        assertEquals(3L, probes.apply(apply), "facts gathered again under the run lock and after the first play changed the host\n" + apply.out());
        Lab.Run again = Lab.tsync("apply", "-v", "-i", INV, "--limit", h, pb.toString());
        assertEquals(0, recap(again.out()).get(h).get("changed"), again.out());
        assertEquals(1L, probes.apply(again), "nothing changed: one facts round trip\n" + again.out());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> timings(String json) {
        return (Map<String, Object>) ((Map<String, Object>) io.tsync.report.Json.parse(json)).get("timings");
    }

    static double sum(Map<String, Object> seconds) {
        return seconds.values().stream().mapToDouble(v -> ((Number) v).doubleValue()).sum();
    }

    /**
     * --timings: the run's segments in --json add up to the java process's wall time (within
     * 10 %), each host's phases to its total; a host with changes shows its steps, its login's parts
     * and its wait for sync.
     */
    @Test
    @Order(9)
    @SuppressWarnings("unchecked")
    void timingsAddUpToTheRunsWallTime() {
        String h = hosts.get(0);
        Lab.reset(h);
        Lab.Run r = Lab.DEFAULT.tsyncTimed("apply", "--wait", "--json", "--timings", "-i", INV, KR);
        double wall = LabInstance.wall(r);
        assertEquals(0, r.exit(), r.all());
        Map<String, Object> t = timings(r.out());
        double segments = sum((Map<String, Object>) t.get("segments"));
        System.out.printf("apply --wait on %d hosts: %.2f s measured, segments add up to %.2f s, wallSeconds %s%n", hosts.size(), wall, segments,
                t.get("wallSeconds"));
        assertEquals(wall, segments, wall * 0.10, "segments " + t.get("segments") + " against the measured " + wall + " s");
        Map<String, Object> hostTimes = (Map<String, Object>) t.get("hosts");
        for (String host : hosts) {
            Map<String, Object> ht = (Map<String, Object>) hostTimes.get(host);
            Map<String, Object> phases = (Map<String, Object>) ht.get("phases");
            assertEquals(((Number) ht.get("totalSeconds")).doubleValue(), sum(phases), 0.01, host + ": " + ht);
            assertTrue(phases.containsKey("connect") && phases.containsKey("facts"), host + ": " + ht);
            Map<String, Object> login = (Map<String, Object>) ht.get("connect");
            assertTrue(login != null && ((Number) login.get("kexSeconds")).doubleValue() > 0, host + ": " + ht);
            // the lab's root shell is bash: the facts probe timed itself there, within its phase
            Map<String, Object> facts = (Map<String, Object>) ((Map<String, Object>) ht.get("probes")).get("facts");
            double remote = ((Number) facts.get("remoteSeconds")).doubleValue();
            assertTrue(remote > 0 && remote <= ((Number) phases.get("facts")).doubleValue(), host + ": " + ht);
            assertEquals(((Number) phases.get("facts")).doubleValue(), remote + ((Number) facts.get("transferSeconds")).doubleValue(), 0.002, host + ": " + ht);
        }
        Map<String, Object> factsTotal = ((List<Map<String, Object>>) t.get("phases")).stream().filter(p -> "facts".equals(p.get("phase"))).findFirst()
                .orElseThrow();
        assertEquals(hosts.size(), ((Number) factsTotal.get("timedHosts")).intValue(), factsTotal.toString());
        assertTrue(((Number) factsTotal.get("peakForks")).intValue() >= 1, factsTotal.toString());
        Map<String, Object> changed = (Map<String, Object>) hostTimes.get(h);
        Map<String, Object> phases = (Map<String, Object>) changed.get("phases");
        assertTrue(phases.containsKey("steps") && phases.containsKey("sync") && phases.containsKey("lock"), h + ": " + changed);
        assertFalse(((List<Object>) changed.get("steps")).isEmpty(), h + ": " + changed);
        // the human summary goes to stderr beside --json, slowest host first
        String slowest = ((List<String>) t.get("slowest")).get(0);
        assertTrue(r.err().contains("TIMINGS\n" + slowest + " "), r.err());

        Lab.Run status = Lab.DEFAULT.tsyncTimed("status", "--json", "-i", INV);
        wall = LabInstance.wall(status);
        assertEquals(0, status.exit(), status.all());
        Map<String, Object> statusTimings = timings(status.out());
        segments = sum((Map<String, Object>) statusTimings.get("segments"));
        // the status script timed itself too, within the host's status phase
        for (String host : hosts) {
            Map<String, Object> ht = (Map<String, Object>) ((Map<String, Object>) statusTimings.get("hosts")).get(host);
            Map<String, Object> probe = (Map<String, Object>) ((Map<String, Object>) ht.get("probes")).get("status");
            double remote = ((Number) probe.get("remoteSeconds")).doubleValue();
            assertTrue(remote > 0 && remote <= ((Number) ((Map<String, Object>) ht.get("phases")).get("status")).doubleValue(), host + ": " + ht);
        }
        System.out.printf("status on %d hosts: %.2f s measured, segments add up to %.2f s%n", hosts.size(), wall, segments);
        // a short run: the JVM's launch before its clock starts and its exit are a larger share; 0.5 s at least
        assertEquals(wall, segments, Math.max(wall * 0.10, 0.5), status.out());
    }
}
