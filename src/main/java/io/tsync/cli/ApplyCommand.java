package io.tsync.cli;

import io.tsync.exec.Executor;
import io.tsync.exec.HostJob;
import io.tsync.exec.HostResult;
import io.tsync.exec.KeptConnections;
import io.tsync.exec.RunLock;
import io.tsync.exec.StatusGatherer;
import io.tsync.exec.TimingReporter;
import io.tsync.load.InvalidInputException;
import io.tsync.load.Problem;
import io.tsync.load.SavedPlanCodec;
import io.tsync.model.Rollout;
import io.tsync.plan.PlanGate;
import io.tsync.plan.PlanRecorder;
import io.tsync.plan.SavedPlan;
import io.tsync.render.Renderer;
import io.tsync.report.ConsoleReporter;
import io.tsync.report.Json;
import io.tsync.report.RunReport;
import io.tsync.report.Timings;
import io.tsync.run.Fleet;
import io.tsync.run.Prepared;
import io.tsync.run.Targets;
import io.tsync.status.StatusTable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

@Command(name = "apply", mixinStandardHelpOptions = true, customSynopsis = "tsync apply [OPTIONS] PLAYBOOK|PLAN",
        description = "Converge hosts to the playbook: gather facts, plan, apply only what differs.",
        footerHeading = "%nExamples:%n", footer = {"  tsync apply -i inventory.yaml playbooks/kr.yaml --check --diff   # exit 2 = drift",
                "  tsync apply -i inventory.yaml playbooks/kr.yaml --serial 1,50%% --wait"})
final class ApplyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PLAYBOOK|PLAN", description = "Playbook YAML file, or a plan saved by --check --out (JSON)")
    Path playbook;

    @Mixin
    FleetOptions fleet;

    @Mixin
    WaveOptions waves;

    @Option(names = {"-C", "--check"}, description = "Show what would change; change nothing")
    boolean check;

    @Option(names = {"-D", "--diff"}, description = "Show unified diffs of config files and the timezone change")
    boolean diff;

    @Option(names = "--templates", paramLabel = "DIR", description = "Templates overriding the built-in chrony.conf.ftl / ntp.conf.ftl")
    Path templates;

    @Option(names = {"-v", "--verbose"}, description = "More output")
    boolean verbose;

    @Option(names = "--wait", arity = "0..1", fallbackValue = "60s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Then wait until changed hosts sync, clocks within --max-offset (60s)")
    Duration wait;

    /** "60", "60s", "2m"; anything else is not a duration, so picocli leaves it for PLAYBOOK ("--wait kr.yaml"). */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            if (!value.strip().toLowerCase(Locale.ROOT).matches("\\d{1,6}[sm]?")) {
                throw new TypeConversionException("'" + value + "' is not a duration like 60s or 2m");
            }
            return parseDuration(value);
        }
    }

    @Mixin
    ClockOptions clock = new ClockOptions();

    @Option(names = "--lock-timeout", defaultValue = "120s", paramLabel = "TIME", converter = DurationConverter.class,
            description = "Wait at most this for dpkg/yum/dnf locks and other runs (default ${DEFAULT-VALUE})")
    Duration lockTimeout;

    @Option(names = "--json", description = "The plan/recap as JSON on stdout (tsync.apply/v1, docs/json.md)")
    boolean json;

    @Option(names = "--out", paramLabel = "PLAN", description = "With --check: save the plan (JSON, no secrets); tsync apply PLAN runs it")
    Path out;

    @Option(names = "--junit", paramLabel = "FILE", description = "Write a JUnit XML report: a test case per host (and per wave)")
    Path junit;

    /** What the run lock's owner file says this run is (pull: the repository and commit it applies). */
    String ownerCommand;

    @Override
    public Integer call() {
        return execute().code();
    }

    /** A run's exit code and its hosts' results (none when it ended before any host was run). */
    record Ran(int code, List<HostResult> results) {}

    Ran execute() {
        Timings timings = Timings.sinceJvmStart(fleet.forks);
        timings.segment("load");
        // a saved plan names its playbook, inventory and templates; their contents must be those it was made from
        SavedPlan saved = null;
        Path playbook = this.playbook;
        Path templates = this.templates;
        List<HostJob> jobs;
        Prepared prepared;
        Renderer renderer;
        Executor.Connector connector;
        Fleet run;
        Rollout rollout;
        try {
            if (out != null && !check) {
                throw new InvalidInputException(new Problem("--out", 0, 0, "--out saves the plan of a check; it was given without --check",
                        "tsync apply --check --out " + out + " " + playbook));
            }
            if (SavedPlanCodec.sniff(playbook)) {
                SavedPlans.refuseOptions(playbook, fleet, out);
                saved = SavedPlanCodec.read(playbook);
                playbook = Path.of(saved.playbook().path());
                templates = templates != null || saved.templates().path() == null ? templates : Path.of(saved.templates().path());
                if (fleet.inventory == null && !fleet.local && saved.inventory().path() != null) {
                    fleet.inventory = Path.of(saved.inventory().path());
                }
            }
            run = fleet.get();
            run.clockPolicy(clock.policy(null));
            prepared = Targets.prepare(run, playbook, templates, true);
            rollout = waves.resolve(playbook);
            printWarnings(prepared.warnings());
            jobs = saved == null ? prepared.jobs() : SavedPlans.jobs(this.playbook, saved, prepared.jobs());
            InvalidInputException stale = saved == null ? null
                    : SavedPlans.stale(this.playbook, saved, playbook, fleet.local ? null : Fleet.inventoryPath(fleet.inventory), templates, jobs);
            if (stale != null) {
                throw stale;
            }
            renderer = new Renderer(templates);
            connector = run.connector(prepared.inventory(), jobs.stream().map(HostJob::host).toList());
        } catch (InvalidInputException e) {
            System.err.println(e.getMessage());
            return new Ran(ExitCodes.INVALID_INPUT, List.of());
        } catch (IOException e) {
            System.err.println("tsync: cannot read templates: " + e.getMessage());
            return new Ran(ExitCodes.INVALID_INPUT, List.of());
        }
        int width = jobs.stream().mapToInt(j -> j.host().name().length()).max().orElse(4);
        long started = System.nanoTime();
        ConsoleReporter reporter = new ConsoleReporter(json ? System.err : System.out, ConsoleReporter.colorWanted() && !json, check, verbose, width,
                jobs.size(), !json && ConsoleReporter.progressWanted(jobs.size()));
        // with --wait, each host's connection stays open from apply to the last poll: one login per host
        KeptConnections kept = (wait != null || rollout.serial() != null) && !check ? run.keep(connector) : null;
        try {
            RunLock.Owner owner = RunLock.Owner.current(Instant.now(), ownerCommand != null ? ownerCommand : "apply " + playbook);
            String salt = out != null ? SavedPlans.newSalt() : null;
            PlanRecorder recorder = out != null ? new PlanRecorder(salt) : null;
            Executor executor = new Executor(new Executor.Options(check, diff, run.forks(), run.commandTimeout(), lockTimeout, owner),
                    renderer, kept != null ? kept : connector, new TimingReporter(reporter, timings), saved != null ? new PlanGate(saved) : recorder);
            timings.segment("hosts");
            // a saved plan (--out) covers every host; its waves run when it is applied
            if (rollout.serial() != null && out == null) {
                return WaveApply.run(run, rollout, waves.waveTimeout, executor, kept != null ? kept : connector, renderer, reporter, jobs, check,
                        new WaveApply.Output(json ? System.err : System.out, json, junit, verbose, width, playbook.toString(), timings, fleet.timings));
            }
            Fleet.Applied applied = run.execute(executor, jobs, a -> {
                timings.segment("report");
                reporter.recap(a.results());
                if (a.cancelled()) {
                    System.out.println("interrupted: hosts stopped after their current step");
                    System.out.flush();
                }
            });
            List<HostResult> results = applied.results();
            if (applied.shuttingDown()) {
                return new Ran(ExitCodes.INTERRUPTED, results);
            }
            int code = ExitCodes.ofApply(results, check);
            if (recorder != null) {
                SavedPlans.write(out, playbook, fleet.local ? null : Fleet.inventoryPath(fleet.inventory), templates, jobs, results, recorder, salt, code);
            }
            if (junit != null) {
                try {
                    Map<String, Double> hostSeconds = new HashMap<>();
                    timings.snapshot().hosts().forEach(h -> hostSeconds.put(h.host(), h.total()));
                    Files.writeString(junit, RunReport.junit(playbook.toString(), check, results, (System.nanoTime() - started) / 1e9, hostSeconds));
                } catch (IOException e) {
                    System.err.println("tsync: cannot write " + junit + ": " + e.getMessage());
                }
            }
            List<HostJob> changed = Fleet.changed(jobs, results);
            if (kept != null && !changed.isEmpty()) {
                try {
                    timings.segment("wait");
                    code = awaitChanged(run, changed, kept, renderer, code, timings);
                    timings.segment("report");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Ran(ExitCodes.INTERRUPTED, results);
                }
            }
            // the JSON report comes last, so that it holds the wait and the whole run's timings
            timings.finish();
            Timings.RunTimes times = timings.snapshot();
            if (json) {
                Map<String, Object> doc = RunReport.document(playbook.toString(), check, results, code, run.sliceJson());
                doc.put("timings", Timings.json(times));
                System.out.println(Json.write(doc));
            }
            if (fleet.timings) {
                (json ? System.err : System.out).print(Timings.summary(times));
            }
            return new Ran(code, results);
        } finally {
            if (kept != null) {
                kept.close();
            }
        }
    }

    /** --wait: polls the changed hosts until synced, prints their status; NOT_SYNCED if one is not and all else went well. */
    private int awaitChanged(Fleet run, List<HostJob> changed, KeptConnections kept, Renderer renderer, int code, Timings timings)
            throws InterruptedException {
        // with --json, stdout carries the report alone
        PrintStream out = json ? System.err : System.out;
        out.println();
        out.println("waiting up to " + wait.toSeconds() + " s for " + changed.size() + " changed host(s) to sync...");
        long t0 = System.nanoTime();
        // each host's sync phase: from the wait's start to the poll that found it synced (or the wait's end)
        Set<String> seen = new HashSet<>();
        List<StatusGatherer.Row> rows = run.awaitSynced(changed, kept, renderer, wait, poll -> {
            for (StatusGatherer.Row r : poll) {
                if (r.synced() && seen.add(r.status().host())) {
                    timings.host(r.status().host()).add(Timings.Phase.SYNC, System.nanoTime() - t0);
                }
            }
        });
        for (StatusGatherer.Row r : rows) {
            if (seen.add(r.status().host())) {
                timings.host(r.status().host()).add(Timings.Phase.SYNC, System.nanoTime() - t0);
            }
        }
        out.print(StatusTable.render(rows.stream().map(StatusGatherer.Row::status).toList(), ConsoleReporter.colorWanted() && !json));
        long notSynced = rows.stream().filter(r -> !r.synced()).count();
        out.printf("%d of %d host(s) synced after %.1f s%n", rows.size() - notSynced, rows.size(), (System.nanoTime() - t0) / 1e9);
        return notSynced > 0 && code == ExitCodes.OK ? ExitCodes.NOT_SYNCED : code;
    }

    static Duration parseDuration(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        if (t.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        if (t.endsWith("s")) {
            t = t.substring(0, t.length() - 1);
        }
        return Duration.ofSeconds(Long.parseLong(t));
    }

    /** Warnings on stderr, as "file:line:column: warning: ..." with their fix, once each. */
    static void printWarnings(List<Problem> warnings) {
        for (Problem w : warnings) {
            System.err.println(w.renderWarning());
        }
    }
}
