package io.tsync.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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

/**
 * tsync's Prometheus output against Debian's Prometheus 2.42 on three hosts converged with
 * playbooks/kr.yaml (lab instance {@code prom}): promtool accepts the textfile output and the
 * rules of docs/prometheus/, and a real Prometheus scraping {@code tsync status --serve} sees every
 * host synced, then a host whose chrony was stopped unsynced within two scrape intervals. The
 * instance stays up for the next run, as the default lab does ({@code TSYNC_LAB=prom lab/down}; .ci/run
 * stops every instance at its end).
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusIT {
    static final LabInstance LAB = new LabInstance("prom");
    static final Map<String, String> ENV = Map.of("TSYNC_LAB", LAB.name());
    static final String PLAYBOOK = "playbooks/kr.yaml";
    static final int SCRAPE_SECONDS = 5;
    static final String SERVE = "127.0.0.1:19469";
    static final String PROMETHEUS = "127.0.0.1:19090";
    static List<String> hosts;
    static String inv;

    /** Three hosts less for the lab classes that run after this one. */
    @AfterAll
    static void down() {
        LAB.down();
    }

    @BeforeAll
    static void convergedLab() {
        // CI starts on a fresh machine: install Debian's prometheus (promtool with it) and curl if missing
        Lab.checked(Duration.ofMinutes(10), "bash", "src/test/resources/lab/ensure-packages",
                "prometheus=prometheus", "promtool=prometheus", "curl=curl");
        long t0 = System.nanoTime();
        // no lab/reset: the hosts lab/up creates are fresh, and apply converges any it left running
        hosts = LAB.up(3);
        inv = LAB.inventory().toString();
        LAB.upstreams("start");
        long t1 = System.nanoTime();
        Lab.Run r = LAB.tsync("apply", "--wait=90s", "-i", inv, PLAYBOOK);
        assertEquals(0, r.exit(), r.all());
        System.out.printf("prom lab: up in %.1f s, converged and synced in %.1f s%n", (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
    }

    /**
     * Containers share this machine's clock, so the true offset of every host is 0: each measurement must contain it
     * (|offset| within its error, plus the microsecond of $EPOCHREALTIME's resolution), and on an idle link the error
     * is under 1 ms. A busy machine delays single answers by milliseconds, so up to five status runs are taken and
     * each host's best (smallest error) must be under 1 ms; every run's figures are printed. --reference against a
     * lab upstream (which serves this machine's clock too) agrees the same way; one that does not answer exits 6.
     */
    @Test
    @Order(0)
    void measuredOffsetsOnContainersAreZeroWithinTheirError() {
        Map<String, double[]> best = new LinkedHashMap<>();
        for (int run = 1; run <= 5 && (best.size() < hosts.size() || best.values().stream().anyMatch(b -> b[1] >= 0.001)); run++) {
            Lab.Run r = LAB.tsync("status", "-i", inv, "--json");
            assertEquals(0, r.exit(), r.all());
            Map<?, ?> doc = (Map<?, ?>) io.tsync.report.Json.parse(r.out());
            StringBuilder line = new StringBuilder("status run " + run + ":");
            for (Object o : (List<?>) doc.get("hosts")) {
                Map<?, ?> h = (Map<?, ?>) o;
                String host = (String) h.get("host");
                double offset = ((Number) h.get("measuredOffsetSeconds")).doubleValue();
                double error = ((Number) h.get("measuredErrorSeconds")).doubleValue();
                line.append(String.format(" %s %+.1fus±%.1fus", host, offset * 1e6, error * 1e6));
                assertTrue(Math.abs(offset) <= error + 2e-6, host + ": the shared clock's offset 0 lies outside " + offset + " ± " + error);
                best.merge(host, new double[] {offset, error}, (a, b) -> b[1] < a[1] ? b : a);
            }
            double spread = ((Number) doc.get("fleetSpreadSeconds")).doubleValue();
            double spreadError = ((Number) doc.get("fleetSpreadErrorSeconds")).doubleValue();
            System.out.printf("%s; spread %.1fus±%.1fus%n", line, spread * 1e6, spreadError * 1e6);
            assertTrue(spread <= spreadError + 4e-6, "spread " + spread + " ± " + spreadError);
        }
        assertEquals(hosts, List.copyOf(best.keySet()));
        best.forEach((host, b) -> {
            assertTrue(b[1] < 0.001, host + ": error " + b[1] + " s, not under 1 ms in five runs");
            assertTrue(Math.abs(b[0]) < 0.001, host + ": offset " + b[0] + " s");
        });

        Lab.Run ref = LAB.tsync("status", "-i", inv, "--json", "--reference", "10.213.0.2");
        assertEquals(0, ref.exit(), ref.all());
        Map<?, ?> r = (Map<?, ?>) ((Map<?, ?>) io.tsync.report.Json.parse(ref.out())).get("reference");
        double c = ((Number) r.get("controllerOffsetSeconds")).doubleValue();
        double ce = ((Number) r.get("controllerErrorSeconds")).doubleValue();
        System.out.printf("controller vs lab upstream 10.213.0.2 (SNTP): %+.1fus±%.1fus%n", c * 1e6, ce * 1e6);
        assertTrue(Math.abs(c) <= ce + 2e-6, "the upstream serves this machine's clock: " + c + " ± " + ce);
        Lab.Run silent = LAB.tsync("status", "-i", inv, "--reference", "10.213.0.9");
        assertEquals(6, silent.exit(), silent.all());
        assertTrue(silent.out().contains("--reference 10.213.0.9 did not answer"), silent.all());
    }

    @Test
    @Order(1)
    void textfileOutputPassesPromtoolCheckMetrics() {
        Lab.Run r = LAB.tsync("status", "-i", inv, PLAYBOOK, "--format", "prometheus");
        assertEquals(0, r.exit(), r.all());
        for (String h : hosts) {
            assertTrue(r.out().contains("\ntsync_synced{host=\"" + h + "\"} 1\n"), r.out());
            assertTrue(r.out().contains("\ntsync_playbook_match{host=\"" + h + "\"} 1\n"), r.out());
            assertTrue(r.out().contains("\ntsync_host_info{host=\"" + h + "\",daemon=\"chrony\",platform=\"debian12\",timezone=\"Asia/Seoul\"} 1\n"), r.out());
        }
        Lab.Run check = Lab.run(Duration.ofMinutes(1), List.of("promtool", "check", "metrics"), r.out());
        assertEquals(0, check.exit(), check.all() + "\n" + r.out());
        assertEquals("", check.all().strip(), "promtool's lint has nothing to say");
    }

    @Test
    @Order(2)
    void rulesAndScrapeConfigPassPromtool() {
        Lab.Run rules = Lab.checked(Duration.ofMinutes(1), "promtool", "check", "rules", "docs/prometheus/tsync-rules.yml");
        assertTrue(rules.all().contains("SUCCESS: 7 rules found"), rules.all());
        Lab.Run tests = Lab.checked(Duration.ofMinutes(1), "promtool", "test", "rules", "docs/prometheus/tsync-rules.test.yml");
        assertTrue(tests.all().contains("SUCCESS"), tests.all());
        Lab.checked(Duration.ofMinutes(1), "promtool", "check", "config", "docs/prometheus/prometheus.yml");
    }

    @Test
    @Order(3)
    void prometheusScrapingServeSeesADaemonStopWithinTwoScrapes() throws Exception {
        Path dir = Files.createTempDirectory("tsync-prom-");
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, String.join("\n",
                "global:",
                "  scrape_interval: " + SCRAPE_SECONDS + "s",
                "  evaluation_interval: " + SCRAPE_SECONDS + "s",
                "scrape_configs:",
                "  - job_name: tsync",
                "    static_configs:",
                "      - targets: [\"" + SERVE + "\"]",
                ""));
        Process prometheus = null;
        try (Lab.Background serve = LAB.tsyncInBackground("status", "-i", inv, "--serve", SERVE, "--interval", "1")) {
            serve.awaitLine(l -> l.startsWith("tsync: serving http://" + SERVE + "/metrics"), Duration.ofSeconds(60), "serving");
            ProcessBuilder pb = new ProcessBuilder("lab/exec", "prometheus", "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=" + PROMETHEUS)
                    .directory(Lab.ROOT.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile());
            pb.environment().putAll(ENV);
            prometheus = pb.start();
            try {
                long t0 = System.nanoTime();
                Map<String, String> synced = awaitQuery(v -> hosts.stream().allMatch(h -> "1".equals(v.get(h))), Duration.ofSeconds(90),
                        "tsync_synced 1 for every host", dir);
                System.out.printf("prometheus: tsync_synced 1 for %s %.1f s after it started%n", synced.keySet(), (System.nanoTime() - t0) / 1e9);

                String stopped = hosts.get(1);
                LAB.sshOk(stopped, "systemctl stop chrony");
                long t1 = System.nanoTime();
                Map<String, String> after = awaitQuery(v -> "0".equals(v.get(stopped)), Duration.ofSeconds(60),
                        "tsync_synced 0 for " + stopped, dir);
                double secs = (System.nanoTime() - t1) / 1e9;
                System.out.printf("prometheus: tsync_synced 0 for %s %.1f s after systemctl stop chrony (scrape interval %d s)%n", stopped, secs, SCRAPE_SECONDS);
                assertTrue(secs <= 2 * SCRAPE_SECONDS, stopped + " seen unsynced after " + secs + " s, more than two scrape intervals");
                for (String h : hosts) {
                    assertEquals(h.equals(stopped) ? "0" : "1", after.get(h), h + ": " + after);
                }
            } finally {
                LAB.sshOk(hosts.get(1), "systemctl start chrony");
                stop(prometheus);
                stop(serve.process);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** SIGTERM to the process by its PID (lab/exec execs into it), then waits for it to end. */
    static void stop(Process p) throws InterruptedException {
        if (p == null || !p.isAlive()) {
            return;
        }
        Lab.checked(Duration.ofSeconds(10), "kill", "-TERM", String.valueOf(p.pid()));
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("process " + p.pid() + " did not end on SIGTERM");
        }
    }

    private static final Pattern SAMPLE = Pattern.compile("\\{\"metric\":\\{[^}]*\"host\":\"([^\"]+)\"[^}]*},\"value\":\\[[0-9.e+-]+,\"([^\"]+)\"]}");

    /** Prometheus' HTTP API (/api/v1/query?query=tsync_synced, from inside the lab namespace) until the values by host satisfy {@code ok}. */
    static Map<String, String> awaitQuery(java.util.function.Predicate<Map<String, String>> ok, Duration max, String what, Path dir)
            throws InterruptedException, IOException {
        long deadline = System.nanoTime() + max.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            Lab.Run r = Lab.run(Duration.ofSeconds(20), List.of("lab/exec", "curl", "-sS", "--max-time", "5", "--get",
                    "--data-urlencode", "query=tsync_synced", "http://" + PROMETHEUS + "/api/v1/query"), null, ENV);
            last = r.all();
            Map<String, String> byHost = new LinkedHashMap<>();
            if (r.exit() == 0 && r.out().contains("\"status\":\"success\"")) {
                Matcher m = SAMPLE.matcher(r.out());
                while (m.find()) {
                    byHost.put(m.group(1), m.group(2));
                }
                if (ok.test(byHost)) {
                    return byHost;
                }
            }
            Thread.sleep(250);
        }
        Path log = dir.resolve("prometheus.log");
        fail("Prometheus never answered " + what + " within " + max.toSeconds() + " s; last answer:\n" + last
                + "\nprometheus.log (end):\n" + (Files.exists(log) ? String.join("\n", tail(Files.readAllLines(log), 20)) : "-"));
        return Map.of();
    }

    private static List<String> tail(List<String> lines, int n) {
        return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }
}
