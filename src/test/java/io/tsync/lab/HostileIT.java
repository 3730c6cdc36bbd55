package io.tsync.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * A host cannot take down the controller (transport/Bounds, docs/faults.md row {@code hostile-hosts}).
 * Of three bookworm hosts of the lab instance "hstl", h1 answers the probes with endless output
 * ({@code chronyc} and {@code systemd-detect-virt} wrappers first on root's PATH that print forever),
 * h2 has a 300 MB {@code /etc/chrony/chrony.conf}, h3 is a plain host. {@code apply --check --diff},
 * {@code apply} and {@code status} each finish, h1 and h2 fail naming their bound, h3 converges, and
 * the controller's peak RSS (GNU time's maximum resident set size of the tsync JVM) stays under 300 MB.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileIT {
    static final LabInstance LAB = new LabInstance("hstl");
    static final String PLAYBOOK = "playbooks/kr.yaml";
    static final long MAX_RSS_KB = 300L * 1024;
    static final String ENDLESS = "h1: a command printed more than 8 MiB on stdout; tsync reads up to 8 MiB of it and closed the channel";
    static final String HUGE = "/etc/chrony/chrony.conf is 300 MiB; tsync reads config files up to 256 KiB";
    static String inv;
    /** The apply run with the faults in place, for the docs/faults.md row. */
    static Measured faultRun;

    @BeforeAll
    static void lab() {
        LAB.down();
        LAB.up(3);
        inv = LAB.inventory().toString();
        LAB.sshOk("h1", "printf '#!/bin/sh\\nexec yes endless output of a hostile host\\n' > /usr/local/sbin/chronyc"
                + " && cp /usr/local/sbin/chronyc /usr/local/sbin/systemd-detect-virt && chmod 755 /usr/local/sbin/chronyc /usr/local/sbin/systemd-detect-virt"
                + " && test \"$(command -v chronyc)\" = /usr/local/sbin/chronyc");
        LAB.sshOk("h2", "mkdir -p /etc/chrony && yes 'server 192.0.2.1 iburst' | head -c 314572800 > /etc/chrony/chrony.conf"
                + " && test \"$(wc -c < /etc/chrony/chrony.conf)\" = 314572800");
    }

    @AfterAll
    static void down() {
        LAB.down();
    }

    /** A tsync run and the peak resident memory of its JVM. */
    record Measured(Lab.Run run, long maxRssKb, double seconds) {
        String out() {
            return run.out();
        }

        /** The last output line of {@code host} containing {@code what}. */
        String line(String host, String what) {
            return run.out().lines().filter(l -> l.startsWith(host + " ") && l.contains(what)).reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError(host + ": no line with '" + what + "':\n" + run.all()));
        }
    }

    /** Runs the real jar in the lab namespace under GNU time, which writes the JVM's maximum RSS (KiB) to a file. */
    static Measured tsync(String... args) throws IOException {
        Path rss = Files.createTempFile("tsync-rss", ".txt");
        try {
            List<String> cmd = new ArrayList<>(List.of("lab/exec", "/usr/bin/time", "-o", rss.toString(), "-f", "%M",
                    "java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", Lab.JAR.toString()));
            cmd.addAll(List.of(args));
            long t0 = System.nanoTime();
            Lab.Run r = Lab.run(Duration.ofMinutes(10), cmd, null, Map.of("TSYNC_LAB", LAB.name(), "NO_COLOR", "1"));
            double secs = (System.nanoTime() - t0) / 1e9;
            // "Command exited with non-zero status N" comes first when it did
            long kb = Long.parseLong(Files.readString(rss).strip().lines().reduce((a, b) -> b).orElseThrow().strip());
            System.out.printf("HostileIT: tsync %s: exit %d, peak RSS %.1f MiB, %.1f s%n", String.join(" ", args), r.exit(), kb / 1024.0, secs);
            assertTrue(kb < MAX_RSS_KB, "controller peak RSS " + kb + " KiB, bound " + MAX_RSS_KB + " KiB:\n" + r.all());
            return new Measured(r, kb, secs);
        } finally {
            Files.deleteIfExists(rss);
        }
    }

    static Map<String, Integer> recap(Measured m, String host) {
        Map<String, Integer> r = EngineIT.recap(m.out()).get(host);
        assertTrue(r != null, "no recap line for " + host + ":\n" + m.run().all());
        return r;
    }

    @Test
    @Order(1)
    void checkDiffFinishesAndTheThirdHostWouldConverge() throws IOException {
        Measured m = tsync("apply", "--check", "--diff", "-i", inv, PLAYBOOK);
        assertEquals(4, m.run().exit(), m.run().all());
        assertTrue(m.line("h1", "FAILED").contains(ENDLESS), m.out());
        assertTrue(m.line("h2", "FAILED").contains(HUGE), m.out());
        assertTrue(recap(m, "h3").get("pending") > 0, m.out());
        assertTrue(m.out().contains("+++ h3:/etc/chrony/chrony.conf (tsync)"), "h3's diff:\n" + m.out());
        assertEquals(1, recap(m, "h1").get("failed"));
        assertEquals(1, recap(m, "h2").get("failed"));
    }

    @Test
    @Order(2)
    void applyFinishesAndTheThirdHostConverges() throws IOException {
        Measured m = tsync("apply", "-i", inv, PLAYBOOK);
        assertEquals(4, m.run().exit(), m.run().all());
        assertTrue(m.line("h1", "FAILED").contains(ENDLESS), m.out());
        assertTrue(m.line("h2", "FAILED").contains(HUGE), m.out());
        assertTrue(recap(m, "h3").get("changed") > 0, m.out());
        assertEquals(0, recap(m, "h3").get("failed") + recap(m, "h3").get("unreachable"), m.out());
        assertEquals("Asia/Seoul", LAB.timezone("h3"));
        assertEquals("UTC", LAB.timezone("h1").replace("Etc/", ""), "h1 untouched");
        assertEquals("314572800", LAB.sshOk("h2", "wc -c < /etc/chrony/chrony.conf").strip(), "h2's file untouched");
        faultRun = m;
    }

    @Test
    @Order(3)
    void statusFinishesNamingTheBounds() throws IOException {
        // the status probe alone: chronyc's endless output is cut on the host
        Measured plain = tsync("status", "-i", inv);
        assertNotEquals(0, plain.run().exit(), plain.out());
        assertTrue(plain.line("h1", "daemon down").contains("chronyc-sources, chronyc-tracking printed more than 256 KiB; tsync reads up to 256 KiB"
                + " of a status command's output"), plain.out());
        // with the playbook the facts probe runs too: h1's endless systemd-detect-virt meets the transport's bounds.
        // status reads its probe as it comes (the clock loop follows on the same channel), so which bound comes first
        // is a race between the flood and the reader: 8 MiB read, or 1 MiB queued faster than read (CI at 02e30c4)
        Measured m = tsync("status", "-i", inv, PLAYBOOK);
        assertNotEquals(0, m.run().exit(), m.out());
        String h1 = m.line("h1", "unreachable");
        assertTrue(h1.contains("h1: a command printed more than 8 MiB on stdout")
                || h1.contains("h1: a command printed more than 1 MiB of lines faster than tsync read them"), m.out());
        assertTrue(m.line("h2", "cannot plan").contains(HUGE), m.out());
        m.line("h3", "matches");
    }

    @Test
    @Order(4)
    void withoutTheFaultsTheNextRunConverges() throws IOException {
        assertTrue(faultRun != null, "the apply with the faults ran");
        LAB.sshOk("h1", "rm /usr/local/sbin/chronyc /usr/local/sbin/systemd-detect-virt");
        LAB.sshOk("h2", "rm /etc/chrony/chrony.conf");
        Measured next = tsync("apply", "-i", inv, PLAYBOOK);
        assertEquals(0, next.run().exit(), next.run().all());
        assertEquals(0, recap(next, "h3").get("changed"), next.out());
        assertTrue(recap(next, "h1").get("changed") > 0 && recap(next, "h2").get("changed") > 0, next.out());
        FaultsDoc.check(new FaultsDoc.Observed("hostile-hosts", faultRun.run().exit(),
                faultRun.line("h1", "FAILED").substring(3).strip() + " / " + faultRun.line("h2", "FAILED").substring(3).strip(),
                "untouched", faultRun.seconds(), next.run().exit(),
                String.format("h1, h2 converged; peak RSS %.0f MiB (fault run %.0f MiB)", next.maxRssKb() / 1024.0, faultRun.maxRssKb() / 1024.0)));
    }
}
