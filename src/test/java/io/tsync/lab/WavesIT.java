package io.tsync.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.report.Json;
import io.tsync.report.SchemaCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Staged rollouts on six real hosts (booted once, shared): serial [1, "50%"] makes waves of 1, 3 and 2
 * hosts, each proven in sync before the next starts; a playbook whose only server is a lab upstream
 * that drops NTP (nft, udp/123) stops at wave 1, leaves the other five hosts exactly as they were and
 * unconnected, and with --rollback-unsynced puts wave 1's host back on its previous config, in sync.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WavesIT {
    static final LabInstance LAB = new LabInstance("wave");
    static final List<String> HOSTS = List.of("h1", "h2", "h3", "h4", "h5", "h6");
    static final String GOOD = "src/test/resources/lab/waves-good.yaml";
    static final String DROPPED = "src/test/resources/lab/waves-dropped.yaml";
    /** The lab upstream the dropped playbook names (lab/lib.sh UPSTREAM_IPS[2]); its udp/123 is dropped in the lab namespace. */
    static final String DROPPED_UPSTREAM = "10.213.0.4";
    static String inv;
    static long started;

    @BeforeAll
    static void lab() {
        started = System.nanoTime();
        LAB.down(); // fresh hosts: what an earlier run left does not count
        LAB.up(HOSTS.size());
        LAB.upstreams("start");
        inv = LAB.inventory().toString();
    }

    @AfterAll
    static void down() {
        LAB.down();
        System.out.printf("WavesIT wall time (lab up to down): %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    @Test
    @Order(1)
    void aGoodPlaybookRollsOutInThreeWavesEachSyncedBeforeTheNext() {
        Lab.Run check = LAB.tsync("apply", "--check", "-i", inv, GOOD);
        assertEquals(2, check.exit(), check.all());
        assertTrue(check.out().contains("wave 1/3: 1 host would run: h1\n"), check.out());
        assertTrue(check.out().contains("wave 2/3: 3 hosts would run: h2, h3, h4\n"), check.out());
        assertTrue(check.out().contains("wave 3/3: 2 hosts would run: h5, h6\n"), check.out());

        Lab.Run r = LAB.tsync("apply", "--json", "-i", inv, "--wave-timeout", "60s", GOOD);
        assertEquals(0, r.exit(), r.all());
        SchemaCheck.assertValid("apply", r.out());
        assertTrue(r.err().contains("wave 2/3: 3 hosts\n"), r.err());
        List<Map<String, Object>> waves = waves(r);
        assertEquals(List.of(List.of("h1"), List.of("h2", "h3", "h4"), List.of("h5", "h6")), waves.stream().map(w -> w.get("hosts")).toList());
        Map<String, Instant> daemonStarted = new LinkedHashMap<>();
        for (String h : HOSTS) {
            daemonStarted.put(h, daemonStart(h));
        }
        Instant previousSynced = null;
        for (Map<String, Object> w : waves) {
            assertEquals("passed", w.get("outcome"), w.toString());
            List<?> hosts = (List<?>) w.get("hosts");
            assertEquals(hosts.size(), ((Number) w.get("changed")).intValue(), w.toString());
            assertEquals(hosts.size(), ((Number) w.get("synced")).intValue(), w.toString());
            Instant syncedAt = Instant.parse((String) w.get("syncedAt"));
            for (Object h : hosts) {
                Instant start = daemonStarted.get((String) h);
                // the wave's daemons started after the previous wave was proven synced, and before this one was
                if (previousSynced != null) {
                    assertTrue(start.isAfter(previousSynced), h + "'s chrony started at " + start + ", before the previous wave synced at " + previousSynced);
                }
                assertTrue(start.isBefore(syncedAt), h + "'s chrony started at " + start + ", after its wave synced at " + syncedAt);
            }
            previousSynced = syncedAt;
        }

        Lab.Run again = LAB.tsync("apply", "--json", "-i", inv, GOOD);
        assertEquals(0, again.exit(), again.all());
        assertEquals(0, ((Number) ((Map<?, ?>) ((Map<?, ?>) Json.parse(again.out())).get("summary")).get("changed")).intValue(), again.out());
        assertTrue(waves(again).stream().allMatch(w -> "passed".equals(w.get("outcome")) && ((Number) w.get("changed")).intValue() == 0), again.out());
    }

    @Test
    @Order(2)
    void aWaveThatCannotSyncIsRolledBackAndTheRestAreNotTouched() {
        dropNtpTo(DROPPED_UPSTREAM);
        Map<String, String> before = states();
        Map<String, Integer> logins = logins();
        Lab.Run r = LAB.tsync("apply", "-i", inv, "--wave-timeout", "8s", "--rollback-unsynced", DROPPED);
        assertEquals(6, r.exit(), r.all());
        assertTrue(r.out().contains("wave 1/3: stopped the rollout: 1 of 1 host(s) failed, above max_fail_percentage 0: h1 did not sync within 8 s"), r.out());
        assertTrue(r.out().contains("h1   : rolled back: restored the previous /etc/chrony/chrony.conf and restarted chrony (active)"), r.out());
        untouched(before, logins, r);
        // h1: its previous config and daemon, and in sync on them again
        String h1 = state("h1");
        assertEquals(config(before.get("h1")), config(h1), "h1's chrony.conf is the one before the run");
        assertTrue(h1.contains("ActiveState=active"), h1);
        assertNotEquals(pid(before.get("h1")), pid(h1), "chronyd was restarted on the restored config");
        LAB.await("h1", "chronyc -n sources", out -> out.lines().anyMatch(l -> l.startsWith("^*")), Duration.ofSeconds(60), "h1 in sync again after the rollback");
    }

    @Test
    @Order(3)
    void withoutRollbackTheStoppedWaveKeepsItsChangeAndTheRestAreNotTouched() {
        dropNtpTo(DROPPED_UPSTREAM);
        Map<String, String> before = states();
        Map<String, Integer> logins = logins();
        Lab.Run r = LAB.tsync("apply", "--json", "--junit", "/tmp/tsync-waves-" + LAB.name() + ".xml", "-i", inv, "--wave-timeout", "8s", DROPPED);
        assertEquals(6, r.exit(), r.all());
        SchemaCheck.assertValid("apply", r.out());
        List<Map<String, Object>> waves = waves(r);
        assertEquals(List.of("stopped", "not started", "not started"), waves.stream().map(w -> w.get("outcome")).toList());
        assertEquals(0, ((Number) waves.get(0).get("synced")).intValue());
        assertNull(waves.get(0).get("syncedAt"));
        assertEquals(Map.of(), waves.get(0).get("rolledBack"), "nothing is undone without --rollback-unsynced");
        assertTrue(((String) waves.get(1).get("reason")).startsWith("wave 1/3 stopped the rollout"), waves.get(1).toString());
        untouched(before, logins, r);
        assertNotEquals(config(before.get("h1")), config(state("h1")), "h1 keeps the new config");
        assertTrue(LAB.sshOk("h1", "cat /etc/chrony/chrony.conf").contains(DROPPED_UPSTREAM));
    }

    /** h2..h6: the same config hash, daemon PID and unit state as before, not one login, and listed not started in the recap. */
    private static void untouched(Map<String, String> before, Map<String, Integer> logins, Lab.Run r) {
        for (String h : HOSTS.subList(1, HOSTS.size())) {
            // first: the count since logins() took it holds that call's own login, and nothing of tsync's
            assertEquals(logins.get(h) + 1, LAB.sshLogins(h), h + " was connected to");
            assertEquals(before.get(h), state(h), h + " changed");
            assertTrue(r.all().contains(String.format("%-4s : not started (wave ", h)), h + " not listed as not started:\n" + r.all());
        }
    }

    private static void dropNtpTo(String upstream) {
        String ns = "tsync-" + LAB.name();
        Lab.run(Duration.ofSeconds(30), List.of("ip", "netns", "exec", ns, "nft", "delete", "table", "inet", "tsyncwave"), null);
        Lab.Run r = Lab.run(Duration.ofSeconds(30), List.of("ip", "netns", "exec", ns, "nft", "-f", "-"),
                "table inet tsyncwave {\n chain input { type filter hook input priority 0; policy accept; ip daddr " + upstream
                        + " udp dport 123 drop; }\n}\n");
        assertEquals(0, r.exit(), "nft: " + r.all());
    }

    /** A host's time config hash, chronyd's PID and its unit's state. */
    private static String state(String host) {
        return LAB.sshOk(host, "LC_ALL=C; sha256sum /etc/chrony/chrony.conf; systemctl show -p MainPID,ActiveState,SubState,UnitFileState,ActiveEnterTimestamp chrony");
    }

    private static Map<String, String> states() {
        Map<String, String> m = new LinkedHashMap<>();
        HOSTS.forEach(h -> m.put(h, state(h)));
        return m;
    }

    private static Map<String, Integer> logins() {
        Map<String, Integer> m = new LinkedHashMap<>();
        HOSTS.forEach(h -> m.put(h, LAB.sshLogins(h)));
        return m;
    }

    private static String config(String state) {
        return state.lines().findFirst().orElseThrow().split(" ")[0];
    }

    private static String pid(String state) {
        return state.lines().filter(l -> l.startsWith("MainPID=")).findFirst().orElseThrow();
    }

    /** When chronyd last became active on the host, to the microsecond (the hosts share this machine's clock). */
    private static Instant daemonStart(String host) {
        String s = LAB.sshOk(host, "systemctl show -p ActiveEnterTimestamp --value --timestamp=us+utc chrony").strip();
        // "Sat 2026-12-05 13:30:01.123456 UTC"
        String[] p = s.split(" ");
        assertNotNull(p.length == 4 ? p[1] : null, "ActiveEnterTimestamp: " + s);
        return Instant.parse(p[1] + "T" + p[2] + "Z");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> waves(Lab.Run r) {
        return (List<Map<String, Object>>) ((Map<String, Object>) Json.parse(r.out())).get("waves");
    }
}
