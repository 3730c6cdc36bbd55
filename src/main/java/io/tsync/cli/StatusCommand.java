package io.tsync.cli;

import io.tsync.exec.HostJob;
import io.tsync.exec.StatusGatherer;
import io.tsync.load.InvalidInputException;
import io.tsync.model.Host;
import io.tsync.model.Inventory;
import io.tsync.render.Renderer;
import io.tsync.report.ConsoleReporter;
import io.tsync.report.Json;
import io.tsync.report.MetricsServer;
import io.tsync.status.StatusJson;
import io.tsync.status.StatusPrometheus;
import io.tsync.status.StatusTable;
import io.tsync.status.Verdict;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "One table for the fleet: time, timezone, daemon, selected source, offsets, source states, verdict.",
        footerHeading = "%nExamples:%n", footer = {"  tsync status -i inventory.yaml playbooks/kr.yaml   # also: does each host match?",
                "  tsync status -i inventory.yaml --watch", "  tsync status -i inventory.yaml --json | jq '.hosts[].verdict'",
                "  tsync status -i inventory.yaml --serve 127.0.0.1:9469   # Prometheus: docs/monitoring.md", "",
                "Exit: 0 every host synced (and matching), 2 a host drifted from the playbook, 5 a host unreachable,",
                "  6 a host not synced (syncing, unsynced, daemon down)."})
final class StatusCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "PLAYBOOK", description = "Also show whether each host matches this playbook")
    Path playbook;

    @Mixin
    FleetOptions fleet;

    @Option(names = "--json", description = "Machine-readable output (schema tsync.status/v1, docs/status-json.md)")
    boolean json;

    /** Lower case: picocli shows and completes the constants as typed. */
    enum Format { table, json, prometheus }

    @Option(names = "--format", paramLabel = "FORMAT", description = "table (default), json (as --json) or prometheus (docs/monitoring.md)")
    Format format;

    @Option(names = "--serve", paramLabel = "ADDR:PORT", description = "Answer Prometheus at http://ADDR:PORT/metrics, polling every --interval")
    String serve;

    @Option(names = "--interval", defaultValue = "30", paramLabel = "SECONDS", description = "Seconds between polls for --serve (default ${DEFAULT-VALUE})")
    int interval;

    @Option(names = "--watch", arity = "0..1", fallbackValue = "2", paramLabel = "SECONDS", description = "Refresh every SECONDS (default 2) until interrupted")
    Integer watch;

    @Option(names = "--wait-synced", paramLabel = "SECONDS", description = "Poll until every host is synced, at most SECONDS")
    Integer waitSynced;

    @Override
    public Integer call() throws Exception {
        Instant started = Instant.now();
        String conflict = serve != null && (watch != null || waitSynced != null || json || format != null)
                ? "--serve answers in the Prometheus format and polls by itself: leave out --watch, --wait-synced, --json and --format"
                : json && format != null && format != Format.json ? "--json and --format " + format + " ask for two formats: give one"
                : interval < 1 ? "--interval must be at least 1 second" : null;
        if (conflict != null) {
            System.err.println("tsync: " + conflict);
            return ExitCodes.INVALID_INPUT;
        }
        if (json) {
            format = Format.json;
        }
        InetSocketAddress listen = null;
        try {
            listen = serve == null ? null : MetricsServer.address(serve);
        } catch (IllegalArgumentException e) {
            System.err.println("tsync: --serve " + e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        List<HostJob> jobs;
        Renderer renderer = null;
        Inventory inv;
        try {
            if (playbook != null) {
                ApplyCommand.Prepared prepared = ApplyCommand.prepare(fleet, playbook, null);
                inv = prepared.inventory();
                jobs = prepared.jobs();
                renderer = new Renderer(null);
            } else {
                inv = fleet.loadInventory();
                jobs = new ArrayList<>();
                for (Host h : fleet.limit(inv, inv.hosts())) {
                    jobs.add(new HostJob(h, List.of()));
                }
            }
        } catch (InvalidInputException e) {
            System.err.println(e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        io.tsync.exec.Executor.Connector connector;
        try {
            connector = fleet.connector(inv, jobs.stream().map(HostJob::host).toList());
        } catch (InvalidInputException e) {
            System.err.println(e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        return poll(jobs, connector, renderer, Duration.ofSeconds(Math.min(fleet.commandTimeout, 60)), started, listen);
    }

    /** Polls once, or again and again (--watch, --wait-synced, --serve) over connections kept open between polls. */
    int poll(List<HostJob> jobs, io.tsync.exec.Executor.Connector connector, Renderer renderer, Duration timeout, Instant started,
             InetSocketAddress listen) throws InterruptedException {
        if (listen == null && watch == null && waitSynced == null) {
            // one poll: each host's connection closes when its row is read, so a run holds at most
            // --forks connections (and their reader threads and sockets), not one per host
            return show(jobs, connector, renderer, timeout, started);
        }
        try (io.tsync.exec.KeptConnections kept = new io.tsync.exec.KeptConnections(connector, Duration.ofSeconds(fleet.connectTimeout))) {
            if (listen != null) {
                return serve(listen, jobs, kept, renderer, timeout);
            }
            return show(jobs, kept, renderer, timeout, started);
        }
    }

    /** Answers /metrics from the latest poll, polling every --interval over the kept connections, until stopped. */
    private int serve(InetSocketAddress listen, List<HostJob> jobs, io.tsync.exec.Executor.Connector connector, Renderer renderer,
                      Duration timeout) throws InterruptedException {
        MetricsServer server;
        try {
            server = new MetricsServer(listen, StatusPrometheus.CONTENT_TYPE, () -> {
                Instant t0 = Instant.now();
                return prometheus(StatusGatherer.gather(jobs, connector, fleet.forks, renderer, timeout), t0);
            }, Duration.ofSeconds(interval), System.err);
        } catch (IOException e) {
            System.err.println("tsync: cannot listen on " + serve + ": " + e.getMessage());
            System.err.println("  fix: choose a free port, or an address of this machine (:PORT for every interface)");
            return ExitCodes.INVALID_INPUT;
        }
        try (server) {
            String host = serve.substring(0, serve.lastIndexOf(':'));
            System.out.println("tsync: serving http://" + (host.isEmpty() ? "*" : host) + ":" + server.address().getPort()
                    + "/metrics, polling " + jobs.size() + " host(s) every " + interval + " s");
            System.out.flush();
            server.run();
        }
        return ExitCodes.OK;
    }

    /** One table, or a table every --watch seconds, or polls until --wait-synced; one SSH connection per host throughout. */
    private int show(List<HostJob> jobs, io.tsync.exec.Executor.Connector connector, Renderer renderer, Duration timeout,
                     Instant started) throws InterruptedException {
        if (watch != null) {
            while (true) {
                Instant t0 = Instant.now();
                List<StatusGatherer.Row> rows = StatusGatherer.gather(jobs, connector, fleet.forks, renderer, timeout);
                System.out.print("\u001b[H\u001b[2J");
                System.out.println("tsync status  " + java.time.LocalTime.now().withNano(0) + "  (every " + watch + " s, Ctrl-C to stop)");
                print(rows, t0);
                Thread.sleep(watch * 1000L);
            }
        }
        List<StatusGatherer.Row> rows = waitSynced == null
                ? StatusGatherer.gather(jobs, connector, fleet.forks, renderer, timeout)
                : awaitSynced(jobs, connector, fleet.forks, renderer, timeout, Duration.ofSeconds(waitSynced));
        print(rows, started);
        return exitCode(rows);
    }

    /** Polls (every 2 s at most) until all hosts are synced or the deadline passes; returns the last status. */
    static List<StatusGatherer.Row> awaitSynced(List<HostJob> jobs, io.tsync.exec.Executor.Connector connector, int forks, Renderer renderer,
                                                Duration timeout, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            long started = System.nanoTime();
            List<StatusGatherer.Row> rows = StatusGatherer.gather(jobs, connector, forks, renderer, timeout);
            boolean allSynced = rows.stream().allMatch(StatusGatherer.Row::synced);
            boolean hopeless = rows.stream().anyMatch(r -> r.status().verdict() == Verdict.UNREACHABLE);
            if (allSynced || hopeless || System.nanoTime() >= deadline) {
                return rows;
            }
            long sleep = Math.max(0, Duration.ofSeconds(2).toNanos() - (System.nanoTime() - started));
            Thread.sleep(Math.min(sleep, Math.max(0, deadline - System.nanoTime())) / 1_000_000);
        }
    }

    void print(List<StatusGatherer.Row> rows, Instant started) {
        List<io.tsync.status.HostStatus> statuses = rows.stream().map(StatusGatherer.Row::status).toList();
        if (format == Format.prometheus) {
            System.out.print(prometheus(rows, started));
        } else if (format == Format.json) {
            Map<String, Object> doc = StatusJson.document(statuses);
            if (playbook != null) {
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> hosts = (List<Map<String, Object>>) doc.get("hosts");
                for (int i = 0; i < hosts.size(); i++) {
                    Map<String, Object> h = new LinkedHashMap<>(hosts.get(i));
                    h.put("playbookMatch", rows.get(i).pendingChanges() == 0);
                    h.put("playbookDetail", rows.get(i).playbook());
                    hosts.set(i, h);
                }
            }
            doc.put("slice", fleet.sliceJson());
            System.out.println(Json.write(doc));
        } else {
            List<String> match = playbook == null ? null : rows.stream().map(StatusGatherer.Row::playbook).toList();
            System.out.print(StatusTable.render(statuses, match, ConsoleReporter.colorWanted()));
        }
        System.out.flush();
    }

    /** The rows in Prometheus' text format; the run's duration counts from {@code started}. */
    String prometheus(List<StatusGatherer.Row> rows, Instant started) {
        List<StatusPrometheus.Host> hosts = rows.stream().map(r -> new StatusPrometheus.Host(r.status(), r.platform(),
                playbook == null || r.status().verdict() == Verdict.UNREACHABLE ? null : r.pendingChanges() == 0)).toList();
        Instant now = Instant.now();
        return StatusPrometheus.render(hosts, Duration.between(started, now), now);
    }

    static int exitCode(List<StatusGatherer.Row> rows) {
        if (rows.stream().anyMatch(r -> r.status().verdict() == Verdict.UNREACHABLE)) {
            return ExitCodes.HOST_UNREACHABLE;
        }
        if (rows.stream().anyMatch(r -> !r.synced())) {
            return ExitCodes.NOT_SYNCED;
        }
        if (rows.stream().anyMatch(r -> r.pendingChanges() > 0)) {
            return ExitCodes.CHANGES_PENDING;
        }
        return ExitCodes.OK;
    }
}
