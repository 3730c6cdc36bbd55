package io.tsync.cli;

import io.tsync.exec.HostJob;
import io.tsync.exec.StatusGatherer;
import io.tsync.load.InvalidInputException;
import io.tsync.model.Host;
import io.tsync.model.Inventory;
import io.tsync.render.Renderer;
import io.tsync.report.ConsoleReporter;
import io.tsync.report.Json;
import io.tsync.status.StatusJson;
import io.tsync.status.StatusTable;
import io.tsync.status.Verdict;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
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
        footerHeading = "%nExamples:%n", footer = {"  tsync status -i inventory.yaml", "  tsync status -i inventory.yaml playbooks/kr.yaml   # also: does each host match?",
                "  tsync status -i inventory.yaml --watch", "  tsync status -i inventory.yaml --json | jq '.hosts[].verdict'", "",
                "Exit: 0 every host synced (and matching), 2 a host drifted from the playbook, 5 a host unreachable,",
                "  6 a host not synced (syncing, unsynced, daemon down)."})
final class StatusCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "PLAYBOOK", description = "Also show whether each host matches this playbook")
    Path playbook;

    @Mixin
    FleetOptions fleet;

    @Option(names = "--json", description = "Machine-readable output (schema tsync.status/v1, docs/status-json.md)")
    boolean json;

    @Option(names = "--watch", arity = "0..1", fallbackValue = "2", paramLabel = "SECONDS", description = "Refresh every SECONDS (default 2) until interrupted")
    Integer watch;

    @Option(names = "--wait-synced", paramLabel = "SECONDS", description = "Poll until every host is synced, at most SECONDS")
    Integer waitSynced;

    @Override
    public Integer call() throws Exception {
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
        Duration timeout = Duration.ofSeconds(Math.min(fleet.commandTimeout, 60));
        try (io.tsync.exec.KeptConnections kept = new io.tsync.exec.KeptConnections(connector, Duration.ofSeconds(fleet.connectTimeout))) {
            return show(jobs, kept, renderer, timeout);
        }
    }

    /** One table, or a table every --watch seconds, or polls until --wait-synced; one SSH connection per host throughout. */
    private int show(List<HostJob> jobs, io.tsync.exec.Executor.Connector connector, Renderer renderer, Duration timeout) throws InterruptedException {
        if (watch != null) {
            while (true) {
                List<StatusGatherer.Row> rows = StatusGatherer.gather(jobs, connector, fleet.forks, renderer, timeout);
                System.out.print("\u001b[H\u001b[2J");
                System.out.println("tsync status  " + java.time.LocalTime.now().withNano(0) + "  (every " + watch + " s, Ctrl-C to stop)");
                print(rows);
                Thread.sleep(watch * 1000L);
            }
        }
        List<StatusGatherer.Row> rows = waitSynced == null
                ? StatusGatherer.gather(jobs, connector, fleet.forks, renderer, timeout)
                : awaitSynced(jobs, connector, fleet.forks, renderer, timeout, Duration.ofSeconds(waitSynced));
        print(rows);
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

    void print(List<StatusGatherer.Row> rows) {
        List<io.tsync.status.HostStatus> statuses = rows.stream().map(StatusGatherer.Row::status).toList();
        if (json) {
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
