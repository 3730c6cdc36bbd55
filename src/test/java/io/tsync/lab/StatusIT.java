package io.tsync.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tsync.report.SchemaCheck;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** tsync status and apply --wait on real hosts: synced, upstreams lost and regained, ntpsec, daemon down, unreachable. */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatusIT {
    static List<String> hosts;
    static final String INV = Lab.INVENTORY.toString();
    static final String FAST = "src/test/resources/lab/kr-fastpoll.yaml";
    static final String NTPD = "src/test/resources/lab/kr-ntpd-fastpoll.yaml";

    @BeforeAll
    static void lab() {
        hosts = Lab.up(3);
        Lab.reset(hosts.toArray(String[]::new));
        Lab.upstreams("start");
    }

    /** The table row of a host (plain text, NO_COLOR). */
    static String row(Lab.Run r, String host) {
        return r.out().lines().filter(l -> l.startsWith(host + " ")).findFirst().orElseGet(() -> fail("no row for " + host + ":\n" + r.all()));
    }

    /** Column value by header name, from the whitespace-aligned table. */
    static String cell(Lab.Run r, String host, String header) {
        String head = r.out().lines().filter(l -> l.startsWith("HOST")).findFirst().orElseThrow();
        int from = head.indexOf(" " + header + " ") + 1;
        String row = row(r, host);
        String rest = row.substring(Math.min(from, row.length()));
        // the cell ends at the next run of two spaces
        int end = rest.indexOf("  ");
        return (end < 0 ? rest : rest.substring(0, end)).strip();
    }

    static Lab.Run pollStatus(Predicate<Lab.Run> until, Duration max, String what, String... extra) {
        long deadline = System.nanoTime() + max.toNanos();
        Lab.Run r;
        do {
            String[] args = new String[3 + extra.length];
            args[0] = "status";
            args[1] = "-i";
            args[2] = INV;
            System.arraycopy(extra, 0, args, 3, extra.length);
            r = Lab.tsync(args);
            if (until.test(r)) {
                return r;
            }
        } while (System.nanoTime() < deadline);
        fail("status did not show " + what + " within " + max.toSeconds() + " s; last:\n" + r.all());
        return r;
    }

    @Test
    @Order(1)
    void applyWaitProvesEveryHostSynced() {
        Map<String, Integer> logins = new java.util.HashMap<>();
        hosts.forEach(h -> logins.put(h, Lab.sshLogins(h)));
        long t0 = System.nanoTime();
        Lab.Run r = Lab.tsync("apply", "--wait", "-i", INV, FAST);
        double secs = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, r.exit(), r.all());
        assertTrue(secs < 60, "apply --wait took " + secs + " s");
        assertTrue(r.out().contains("3 of 3 host(s) synced"), r.out());
        for (String h : hosts) {
            // the wait polls every 2 s until chrony selects a source (several polls on fresh hosts)
            // over the connection apply opened: one login per host for the whole run
            assertEquals(1, Lab.sshLogins(h) - logins.get(h) - 1, h + ": SSH logins during apply --wait\n" + r.out());
        }
        Lab.Run s = Lab.tsync("status", "-i", INV, FAST);
        assertEquals(0, s.exit(), s.all());
        for (String h : hosts) {
            assertEquals("synced", cell(s, h, "VERDICT"), s.out());
            assertEquals("1", cell(s, h, "*"), s.out());
            assertEquals("matches", cell(s, h, "PLAYBOOK"), s.out());
        }
        System.out.printf("apply --wait: 3 fresh hosts converged and synced in %.1f s%n", secs);
    }

    @Test
    @Order(2)
    void losingTheUpstreamsShowsUnsyncedAndRecovers() {
        Lab.upstreams("stop");
        try {
            long t0 = System.nanoTime();
            Lab.Run r = pollStatus(x -> x.exit() == 6 && hosts.stream().allMatch(h -> cell(x, h, "VERDICT").equals("unsynced")),
                    Duration.ofSeconds(90), "every host unsynced");
            for (String h : hosts) {
                assertEquals("3", cell(r, h, "?"), r.out());
            }
            System.out.printf("upstreams stopped: all hosts unsynced after %.1f s%n", (System.nanoTime() - t0) / 1e9);
        } finally {
            Lab.upstreams("start");
        }
        long t1 = System.nanoTime();
        pollStatus(x -> x.exit() == 0, Duration.ofSeconds(90), "every host synced again");
        System.out.printf("upstreams started: all hosts synced again after %.1f s%n", (System.nanoTime() - t1) / 1e9);
    }

    @Test
    @Order(3)
    void ntpsecHostInTheSameTable() {
        String h = hosts.get(2);
        Lab.Run a = Lab.tsync("apply", "-i", INV, "--limit", h, NTPD);
        assertEquals(0, a.exit(), a.all());
        Lab.Run r = pollStatus(x -> cell(x, h, "VERDICT").equals("synced"), Duration.ofSeconds(90), h + " synced with ntpsec");
        assertEquals("ntpd", cell(r, h, "DAEMON"), r.out());
        assertTrue(cell(r, h, "SOURCE").startsWith("10.213.0."), r.out());
        assertEquals("chrony", cell(r, hosts.get(0), "DAEMON"), r.out());
        Lab.Run json = Lab.tsync("status", "-i", INV, "--json");
        assertTrue(json.out().contains("\"schema\": \"tsync.status/v1\""), json.out());
        assertTrue(json.out().contains("\"daemon\": \"ntpd\""), json.out());
        SchemaCheck.assertValid("status", json.out());
    }

    @Test
    @Order(4)
    void daemonDownAndUnreachableDoNotStopTheTable() {
        Lab.sshOk(hosts.get(1), "systemctl stop chrony");
        Lab.stop(hosts.get(0));
        try {
            Lab.Run r = Lab.tsync("status", "-i", INV, "--connect-timeout", "3");
            assertEquals(5, r.exit(), r.all());
            assertEquals("unreachable", cell(r, hosts.get(0), "VERDICT"), r.out());
            assertEquals("daemon down", cell(r, hosts.get(1), "VERDICT"), r.out());
            assertEquals("synced", cell(r, hosts.get(2), "VERDICT"), r.out());
        } finally {
            Lab.start(hosts.get(0));
            Lab.sshOk(hosts.get(1), "systemctl start chrony");
        }
    }
}
