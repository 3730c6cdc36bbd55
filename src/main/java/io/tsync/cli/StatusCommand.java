package io.tsync.cli;

import io.tsync.exec.Executor;
import io.tsync.exec.HostJob;
import io.tsync.exec.KeptConnections;
import io.tsync.exec.StatusGatherer;
import io.tsync.exec.TimedConnector;
import io.tsync.load.InvalidInputException;
import io.tsync.pull.LastRun;
import io.tsync.render.Renderer;
import io.tsync.report.ConsoleReporter;
import io.tsync.report.Json;
import io.tsync.report.MetricsServer;
import io.tsync.report.Timings;
import io.tsync.run.Fleet;
import io.tsync.run.Prepared;
import io.tsync.run.Targets;
import io.tsync.clock.FleetSpread;
import io.tsync.status.ClockVerdict;
import io.tsync.status.HostStatus;
import io.tsync.status.StatusJson;
import io.tsync.status.StatusPrometheus;
import io.tsync.status.StatusTable;
import io.tsync.status.Verdict;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "status", mixinStandardHelpOptions = true, abbreviateSynopsis = true,
        description = "One table for the fleet: time, timezone, daemon, selected source, offsets, source states, verdict.",
        footerHeading = "%nExamples:%n", footer = {"  tsync status -i inventory.yaml playbooks/kr.yaml   # also: does each host match?",
                "  tsync status -i inventory.yaml --watch", "  tsync status -i inventory.yaml --json | jq '.hosts[].verdict'",
                "  tsync status -i inventory.yaml --serve 127.0.0.1:9469   # Prometheus: docs/monitoring.md", "",
                "Exit: 0 every host synced (and matching), 2 a host drifted from the playbook, 5 a host unreachable,",
                "  6 a host not synced (syncing, unsynced, daemon down, clock wrong) or the spread over --max-spread."})
final class StatusCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "PLAYBOOK", description = "Also show whether each host matches this playbook")
    Path playbook;

    @Mixin
    FleetOptions fleet;

    @Mixin
    ClockOptions clock = new ClockOptions();

    @Option(names = "--max-spread", defaultValue = "0", paramLabel = "DUR", converter = ClockOptions.BoundConverter.class,
            description = "Exit 6 if the fleet's measured clocks are further apart (default 0: off)")
    Duration maxSpread;

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

    /** This run's timings (--timings, and always in --json); null in the Prometheus exporter. */
    private Timings timings;

    @Override
    public Integer call() throws Exception {
        Instant started = Instant.now();
        timings = Timings.sinceJvmStart(fleet.get().forks());
        timings.segment("load");
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
        Fleet run = fleet.get();
        run.clockPolicy(clock.policy(maxSpread));
        Prepared prepared;
        Executor.Connector connector;
        try {
            prepared = playbook != null ? Targets.prepare(run, playbook, null) : run.hostsOnly();
            connector = new TimedConnector(run.connector(prepared.inventory(), prepared.jobs().stream().map(HostJob::host).toList()),
                    timings, Timings.Phase.STATUS);
        } catch (InvalidInputException e) {
            System.err.println(e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        timings.segment("hosts");
        return poll(run, prepared.jobs(), connector, playbook != null ? new Renderer(null) : null, started, listen);
    }

    /** Polls once, or again and again (--watch, --wait-synced, --serve) over connections kept open between polls. */
    int poll(Fleet run, List<HostJob> jobs, Executor.Connector connector, Renderer renderer, Instant started, InetSocketAddress listen)
            throws InterruptedException {
        if (listen == null && watch == null && waitSynced == null) {
            // one poll: each host's connection closes when its row is read, so a run holds at most
            // --forks connections (and their reader threads and sockets), not one per host
            return show(run, jobs, connector, renderer, started);
        }
        try (KeptConnections kept = run.keep(connector)) {
            if (listen != null) {
                return serve(listen, run, jobs, kept, renderer);
            }
            return show(run, jobs, kept, renderer, started);
        }
    }

    /** Answers /metrics from the latest poll, polling every --interval over the kept connections, until stopped. */
    private int serve(InetSocketAddress listen, Fleet run, List<HostJob> jobs, Executor.Connector connector, Renderer renderer)
            throws InterruptedException {
        MetricsServer server;
        try {
            server = new MetricsServer(listen, StatusPrometheus.CONTENT_TYPE, () -> {
                Instant t0 = Instant.now();
                return prometheus(run.status(jobs, connector, renderer), t0);
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
    private int show(Fleet run, List<HostJob> jobs, Executor.Connector connector, Renderer renderer, Instant started)
            throws InterruptedException {
        if (watch != null) {
            while (true) {
                Instant t0 = Instant.now();
                List<StatusGatherer.Row> rows = run.status(jobs, connector, renderer);
                System.out.print("\u001b[H\u001b[2J");
                System.out.println("tsync status  " + LocalTime.now().withNano(0) + "  (every " + watch + " s, Ctrl-C to stop)");
                print(rows, t0, run.sliceJson());
                Thread.sleep(watch * 1000L);
            }
        }
        List<StatusGatherer.Row> rows = waitSynced == null
                ? run.status(jobs, connector, renderer)
                : run.awaitSynced(jobs, connector, renderer, Duration.ofSeconds(waitSynced));
        print(rows, started, run.sliceJson());
        return clockExit(ExitCodes.ofStatus(rows), rows, run);
    }

    /** 6 when the fleet's spread is over --max-spread or --reference did not answer, unless a worse code stands. */
    static int clockExit(int code, List<StatusGatherer.Row> rows, Fleet run) {
        if (code != ExitCodes.OK && code != ExitCodes.CHANGES_PENDING) {
            return code;
        }
        FleetSpread spread = ClockVerdict.spread(rows.stream().map(StatusGatherer.Row::status).toList());
        boolean tooFar = spread != null && spread.exceeds(run.clockPolicy().maxSpread());
        boolean noReference = run.lastReference() != null && run.lastReference().controller() == null;
        return tooFar || noReference ? ExitCodes.NOT_SYNCED : code;
    }

    void print(List<StatusGatherer.Row> rows, Instant started, Map<String, Object> slice) {
        Timings.RunTimes times = null;
        if (timings != null) {
            timings.segment("report");
            times = timings.snapshot();
        }
        List<HostStatus> statuses = rows.stream().map(StatusGatherer.Row::status).toList();
        LastRun pulled = fleet.local && format != Format.prometheus ? LastRun.onThisMachine(System.err) : null;
        if (format == Format.prometheus) {
            System.out.print(prometheus(rows, started));
        } else if (format == Format.json) {
            List<StatusJson.PlaybookMatch> matches = playbook == null ? null
                    : rows.stream().map(r -> new StatusJson.PlaybookMatch(r.pendingChanges() == 0, r.playbook())).toList();
            Map<String, Object> doc = StatusJson.document(statuses, matches, slice);
            if (fleet.get().lastReference() != null) {
                doc.put("reference", StatusJson.reference(fleet.get().lastReference()));
            }
            if (pulled != null) {
                doc.put("lastPull", Json.parse(pulled.toJson()));
            }
            if (times != null) {
                doc.put("timings", Timings.json(times));
            }
            System.out.println(Json.write(doc));
        } else {
            List<String> match = playbook == null ? null : rows.stream().map(StatusGatherer.Row::playbook).toList();
            System.out.print(StatusTable.render(statuses, match, ConsoleReporter.colorWanted()));
            System.out.println(ClockVerdict.spreadLine(ClockVerdict.spread(statuses), fleet.get().clockPolicy()));
            ClockVerdict.Reference ref = fleet.get().lastReference();
            if (ref != null) {
                System.out.println(ref.controller() != null ? "offsets against " + ref.server() + " (this machine: "
                        + StatusTable.offset(-ref.controller().seconds()) + "±" + StatusTable.rms(ref.controller().errorSeconds()) + ")"
                        : "--reference " + ref.server() + " did not answer (" + ref.error() + "): offsets are against this machine's clock");
            }
            if (pulled != null) {
                System.out.println(pulled.summary());
            }
        }
        if (times != null && fleet.timings) {
            (format == Format.table ? System.out : System.err).print(Timings.summary(times));
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
}
