package io.tsync.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tsync.report.Json;
import io.tsync.report.SchemaCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * Issue 13 on real hosts, in lab instance {@code scale} (12 fresh hosts): the bundle
 * (target/tsync-*-linux-*.tar.gz, its own Java runtime) converges a host without Java in local mode;
 * then four {@code --slice K/4} workers started together converge every host exactly once and their
 * reports merge into one.
 * Both use the bundle's launcher, so its trimmed runtime does SSH (ed25519 keys, curve25519) as well.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleIT {
    static final LabInstance LAB = new LabInstance("scale");
    static final Map<String, String> ENV = Map.of("TSYNC_LAB", "scale", "NO_COLOR", "1");
    static final String KR = "playbooks/kr.yaml";
    static List<String> hosts;
    static Path bundle;
    static String top;

    @TempDir
    static Path dir;

    /** The controller's copy of the bundle, unpacked as an operator would. */
    static Path tsync;

    @BeforeAll
    static void lab() throws IOException {
        try (Stream<Path> s = Files.list(Lab.ROOT.resolve("target"))) {
            bundle = s.filter(p -> p.getFileName().toString().matches("tsync-.*-linux-.*\\.tar\\.gz")).findFirst()
                    .orElseThrow(() -> new AssertionError("no target/tsync-*-linux-*.tar.gz: mvn package builds it when the JDK has its jmods"
                            + " (Debian 12's openjdk-17-jdk-headless has them)"));
        }
        top = bundle.getFileName().toString().replaceAll("-linux-.*", "");
        Lab.checked(Duration.ofMinutes(1), "tar", "-C", dir.toString(), "-xzf", bundle.toString());
        tsync = dir.resolve(top + "/bin/tsync");
        // fresh hosts: lab/down deletes the hosts' disks, so this instance never starts from a converged fleet
        // (cheaper than lab/reset of 12 hosts after lab/up, as after .ci/run's lab/down the instance is down anyway)
        long t0 = System.nanoTime();
        LAB.down();
        long t1 = System.nanoTime();
        hosts = LAB.up(12);
        System.out.printf("lab instance scale: down %.1f s, then 12 fresh hosts up in %.1f s%n", (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
    }

    @AfterAll
    static void down() {
        long t0 = System.nanoTime();
        LAB.down();
        System.out.printf("lab instance scale: down in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    /** A process whose stdin and stdout are files (a tarball in, a JSON report out). */
    static Process start(Path in, Path out, Path err, String... cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(Lab.ROOT.toFile());
        pb.environment().putAll(ENV);
        if (in != null) {
            pb.redirectInput(in.toFile());
        }
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        return pb.start();
    }

    static int finish(Process p, Duration max, String what) throws Exception {
        if (!p.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            fail(what + " did not end within " + max);
        }
        return p.exitValue();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> hostsOf(Object doc) {
        return (List<Map<String, Object>>) ((Map<String, Object>) doc).get("hosts");
    }

    /** {@code f} on every host at once: a dozen lab logins one after another cost more than the run they check. */
    static <T> Map<String, T> onEveryHost(Function<String, T> f) throws Exception {
        return LabInstance.onHosts(hosts, Duration.ofMinutes(3), f);
    }

    /**
     * After local mode converged h1: four slice workers started together converge the fleet. Each
     * host sees one login, h1 is found already right (the same desired state as the push run's),
     * the eleven others are changed, and the four reports merge into one listing all twelve.
     */
    @Test
    @Order(2)
    void fourSlicesStartedTogetherConvergeEveryHostExactlyOnce() throws Exception {
        long tb = System.nanoTime();
        Map<String, Integer> before = onEveryHost(LAB::sshLogins);
        System.out.printf("logins counted on 12 hosts in %.1f s%n", (System.nanoTime() - tb) / 1e9);
        long t0 = System.nanoTime();
        List<Process> workers = new ArrayList<>();
        for (int k = 1; k <= 4; k++) {
            workers.add(start(null, dir.resolve("apply-" + k + ".json"), dir.resolve("apply-" + k + ".err"), "lab/exec", tsync.toString(),
                    "apply", "-i", LAB.inventory().toString(), "--slice", k + "/4", "--json", KR));
        }
        for (int k = 1; k <= 4; k++) {
            int exit = finish(workers.get(k - 1), Duration.ofMinutes(5), "slice " + k + "/4");
            assertEquals(0, exit, "slice " + k + "/4:\n" + Files.readString(dir.resolve("apply-" + k + ".err")));
        }
        System.out.printf("4 slices converged %d hosts in %.1f s%n", hosts.size(), (System.nanoTime() - t0) / 1e9);

        int total = 0;
        for (int k = 1; k <= 4; k++) {
            SchemaCheck.assertValid("apply", Files.readString(dir.resolve("apply-" + k + ".json")));
            Object doc = Json.parse(Files.readString(dir.resolve("apply-" + k + ".json")));
            assertEquals(Map.of("index", (long) k, "count", 4L, "selectedHosts", 12L), ((Map<?, ?>) doc).get("slice"));
            total += hostsOf(doc).size();
        }
        assertEquals(12, total, "the slices hold every host once");
        // one login per host: sshLogins does not count the login asking, but the second call counts the first one's
        Map<String, String> after = onEveryHost(h -> LAB.sshOk(h, "journalctl -t sshd -o cat --no-pager | grep -c 'Accepted publickey';"
                + " readlink /etc/localtime | sed 's|^.*zoneinfo/||'"));
        for (String h : hosts) {
            String[] countAndZone = after.get(h).strip().split("\n");
            assertEquals(1, Integer.parseInt(countAndZone[0]) - 1 - before.get(h) - 1, h + ": tsync logins during the four slices");
            assertEquals("Asia/Seoul", countAndZone[1], h);
        }

        Path out = dir.resolve("fleet.json");
        int exit = finish(start(null, out, dir.resolve("merge.err"), tsync.toString(), "report", "merge",
                dir.resolve("apply-1.json").toString(), dir.resolve("apply-2.json").toString(),
                dir.resolve("apply-3.json").toString(), dir.resolve("apply-4.json").toString()), Duration.ofMinutes(1), "report merge");
        assertEquals(0, exit, Files.readString(dir.resolve("merge.err")));
        SchemaCheck.assertValid("apply", Files.readString(out));
        Object fleet = Json.parse(Files.readString(out));
        assertEquals(hosts.stream().sorted().toList(), hostsOf(fleet).stream().map(h -> (String) h.get("host")).sorted().toList());
        for (Map<String, Object> h : hostsOf(fleet)) {
            assertEquals(h.get("host").equals("h1") ? "ok" : "changed", h.get("outcome"), h.get("host") + " in " + out);
        }
        assertEquals(Map.of("ok", 1L, "changed", 11L, "failed", 0L, "unreachable", 0L), ((Map<?, ?>) fleet).get("summary"));
    }

    static Map<String, Integer> recap(String out, String host) {
        Matcher line = Pattern.compile("(?m)^" + host + "\\s+: (.*)$").matcher(out);
        assertTrue(line.find(), "no recap line for " + host + ":\n" + out);
        Map<String, Integer> counts = new HashMap<>();
        Matcher kv = Pattern.compile("(\\w+)=(\\d+)").matcher(line.group(1));
        while (kv.find()) {
            counts.put(kv.group(1), Integer.parseInt(kv.group(2)));
        }
        return counts;
    }

    @Test
    @Order(1)
    void theBundleConvergesAHostWithoutJavaInLocalMode() throws Exception {
        String h = "h1";
        assertNotEquals(0, LAB.ssh(h, "command -v java").exit(), "the host must not have Java");
        long t0 = System.nanoTime();
        assertEquals(0, finish(start(bundle, dir.resolve("copy.out"), dir.resolve("copy.err"), "lab/ssh", h, "cat > /tmp/bundle.tgz"),
                Duration.ofMinutes(2), "copying the bundle"), () -> read(dir.resolve("copy.err")));
        Lab.Run copy = Lab.run(Duration.ofMinutes(1), List.of("lab/ssh", h, "cat > /tmp/kr.yaml"), Files.readString(Lab.ROOT.resolve(KR)), ENV);
        assertEquals(0, copy.exit(), copy.all());
        LAB.sshOk(h, "tar -C /opt -xzf /tmp/bundle.tgz && rm /tmp/bundle.tgz");
        String t = "/opt/" + top + "/bin/tsync";
        System.out.printf("bundle (%.1f MB, %s MB unpacked) copied and unpacked on %s in %.1f s%n", Files.size(bundle) / 1e6,
                LAB.sshOk(h, "du -sm /opt/" + top + " | cut -f1").strip(), h, (System.nanoTime() - t0) / 1e9);
        for (int i = 0; i < 3; i++) {
            Lab.Run v = LAB.ssh(h, "cd /tmp && TIMEFORMAT='%R s wall, %U s user, %S s sys' && time " + t + " --version");
            assertEquals(0, v.exit(), v.all());
            System.out.println("time bin/tsync --version on " + h + ": " + v.out().strip() + ", " + v.err().strip());
        }

        Lab.Run first = LAB.ssh(h, "cd /tmp && " + t + " apply --local --wait 90s kr.yaml");
        assertEquals(0, first.exit(), first.all());
        assertTrue(recap(first.out(), h).get("changed") >= 4, first.out());
        assertTrue(first.out().contains("1 of 1 host(s) synced"), "--wait in local mode:\n" + first.out());
        assertEquals("Asia/Seoul", LAB.timezone(h));
        assertEquals("active", LAB.sshOk(h, "systemctl is-active chrony").strip());

        Lab.Run again = LAB.ssh(h, "cd /tmp && " + t + " apply --local kr.yaml");
        assertEquals(0, again.exit(), again.all());
        assertEquals(0, recap(again.out(), h).get("changed"), again.out());

        String snapshot = LAB.snapshot(h);
        Lab.Run check = LAB.ssh(h, "cd /tmp && " + t + " apply --local --check kr.yaml");
        assertEquals(0, check.exit(), check.all());
        assertEquals(snapshot, LAB.snapshot(h), "--check changed the host");

        LAB.sshOk(h, "sed -i 's/^server 2.asia.pool.ntp.org iburst$/server 2.asia.pool.ntp.org/' /etc/chrony/chrony.conf");
        Lab.Run drift = LAB.ssh(h, "cd /tmp && " + t + " apply --local --check --diff kr.yaml");
        assertEquals(2, drift.exit(), drift.all());
        assertTrue(drift.out().contains("-server 2.asia.pool.ntp.org\n+server 2.asia.pool.ntp.org iburst"), drift.out());
        Lab.Run repair = LAB.ssh(h, "cd /tmp && " + t + " apply --local kr.yaml");
        assertEquals(0, repair.exit(), repair.all());
        assertEquals(2, recap(repair.out(), h).get("changed"), "write + restart:\n" + repair.out());

        Lab.Run status = LAB.ssh(h, "cd /tmp && " + t + " status --local --wait-synced 60 kr.yaml");
        assertEquals(0, status.exit(), status.all());
        assertTrue(status.out().lines().anyMatch(l -> l.startsWith(h + " ") && l.contains(" synced ") && l.contains(" matches ")), status.out());
        System.out.printf("local mode on %s (copy, converge and wait, re-run, check, drift, repair, status): %.1f s%n", h,
                (System.nanoTime() - t0) / 1e9);
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
