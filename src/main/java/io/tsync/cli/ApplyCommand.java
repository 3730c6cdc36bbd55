package io.tsync.cli;

import io.tsync.exec.Executor;
import io.tsync.exec.HostJob;
import io.tsync.exec.HostResult;
import io.tsync.exec.Outcome;
import io.tsync.exec.RunLock;
import io.tsync.load.DesiredResolver;
import io.tsync.load.InvalidInputException;
import io.tsync.load.InventoryLoader;
import io.tsync.load.KeyMaterial;
import io.tsync.load.LocalInventory;
import io.tsync.load.NtpChecks;
import io.tsync.load.PlaybookLoader;
import io.tsync.load.Problem;
import io.tsync.model.Host;
import io.tsync.model.Inventory;
import io.tsync.model.Play;
import io.tsync.model.Playbook;
import io.tsync.plan.Desired;
import io.tsync.render.Renderer;
import io.tsync.report.ConsoleReporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Converge hosts to the playbook: gather facts, plan, apply only what differs.",
        footerHeading = "%nExamples:%n", footer = {"  tsync apply -i inventory.yaml playbooks/kr.yaml",
                "  tsync apply -i inventory.yaml playbooks/kr.yaml --check --diff   # exit 2 = drift",
                "  tsync apply -i inventory.yaml playbooks/kr.yaml --limit 'web*,!web3'"})
final class ApplyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PLAYBOOK", description = "Playbook YAML file")
    Path playbook;

    @Mixin
    FleetOptions fleet;

    @Option(names = {"-C", "--check"}, description = "Show what would change; change nothing")
    boolean check;

    @Option(names = {"-D", "--diff"}, description = "Show unified diffs of config files and the timezone change")
    boolean diff;

    @Option(names = "--templates", paramLabel = "DIR", description = "Templates overriding the built-in chrony.conf.ftl / ntp.conf.ftl")
    Path templates;

    @Option(names = {"-v", "--verbose"}, description = "More output")
    boolean verbose;

    @Option(names = "--wait", arity = "0..1", fallbackValue = "60s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "After applying, wait until every changed host is synced (default 60s; e.g. 90s, 2m), then show their status")
    Duration wait;

    /** "60", "60s", "2m"; anything else is not a duration, so picocli leaves it for PLAYBOOK ("--wait kr.yaml"). */
    static final class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            if (!value.strip().toLowerCase(java.util.Locale.ROOT).matches("\\d{1,6}[sm]?")) {
                throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a duration like 60s or 2m");
            }
            return parseDuration(value);
        }
    }

    @Option(names = "--lock-timeout", defaultValue = "120s", paramLabel = "TIME", converter = DurationConverter.class,
            description = "Wait at most this for dpkg/yum/dnf locks and other runs (default ${DEFAULT-VALUE})")
    Duration lockTimeout;

    @Option(names = "--json", description = "Print the plan/recap as JSON (schema tsync.apply/v1, docs/json.md); progress goes to stderr")
    boolean json;

    @Option(names = "--junit", paramLabel = "FILE", description = "Write a JUnit XML report: one test case per host (failed, unreachable, drift)")
    Path junit;

    @Override
    public Integer call() {
        Prepared prepared;
        try {
            prepared = prepare(fleet, playbook, templates, true);
        } catch (InvalidInputException e) {
            System.err.println(e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        printWarnings(prepared.warnings());
        Renderer renderer;
        try {
            renderer = new Renderer(templates);
        } catch (IOException e) {
            System.err.println("tsync: cannot read templates: " + e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        List<HostJob> jobs = prepared.jobs();
        Executor.Connector connector;
        try {
            connector = fleet.connector(prepared.inventory(), jobs.stream().map(HostJob::host).toList());
        } catch (InvalidInputException e) {
            System.err.println(e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        int width = jobs.stream().mapToInt(j -> j.host().name().length()).max().orElse(4);
        long started = System.nanoTime();
        ConsoleReporter reporter = new ConsoleReporter(json ? System.err : System.out, ConsoleReporter.colorWanted() && !json, check, verbose, width,
                jobs.size(), !json && ConsoleReporter.progressWanted(jobs.size()));
        // with --wait, each host's connection stays open from apply to the last poll: one login per host
        io.tsync.exec.KeptConnections kept = wait != null && !check
                ? new io.tsync.exec.KeptConnections(connector, Duration.ofSeconds(fleet.connectTimeout)) : null;
        try {
            RunLock.Owner owner = RunLock.Owner.current(Instant.now(), "apply " + playbook);
            Executor executor = new Executor(new Executor.Options(check, diff, fleet.forks, Duration.ofSeconds(fleet.commandTimeout), lockTimeout, owner),
                    renderer, kept != null ? kept : connector, reporter);
            // Ctrl-C / SIGTERM: every host finishes (or rolls back) its current step and stops; the
            // recap below is printed before the JVM exits (the hook waits for it, bounded).
            java.util.concurrent.CountDownLatch recapPrinted = new java.util.concurrent.CountDownLatch(1);
            Thread hook = new Thread(() -> {
                executor.cancel();
                try {
                    recapPrinted.await(fleet.commandTimeout + 10L, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "tsync-interrupt");
            Runtime.getRuntime().addShutdownHook(hook);
            List<HostResult> results = executor.run(jobs);
            reporter.recap(results);
            if (executor.cancelled()) {
                System.out.println("interrupted: hosts stopped after their current step");
                System.out.flush();
            }
            recapPrinted.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                return ExitCodes.INTERRUPTED;
            }
            int code = exitCode(results, check);
            if (junit != null) {
                try {
                    Files.writeString(junit, io.tsync.report.RunReport.junit(playbook.toString(), check, results, (System.nanoTime() - started) / 1e9));
                } catch (IOException e) {
                    System.err.println("tsync: cannot write " + junit + ": " + e.getMessage());
                }
            }
            if (json) {
                Map<String, Object> doc = io.tsync.report.RunReport.document(playbook.toString(), check, results, code);
                doc.put("slice", fleet.sliceJson());
                System.out.println(io.tsync.report.Json.write(doc));
            }
            if (wait != null && !check) {
                Duration max = wait;
                Set<String> changedNames = results.stream().filter(r -> r.outcome() == Outcome.CHANGED)
                        .map(HostResult::host).collect(Collectors.toSet());
                List<HostJob> changed = jobs.stream().filter(j -> changedNames.contains(j.host().name())).toList();
                if (!changed.isEmpty()) {
                    System.out.println();
                    System.out.println("waiting up to " + max.toSeconds() + " s for " + changed.size() + " changed host(s) to sync...");
                    try {
                        long t0 = System.nanoTime();
                        List<io.tsync.exec.StatusGatherer.Row> rows = StatusCommand.awaitSynced(changed, kept, fleet.forks,
                                renderer, Duration.ofSeconds(Math.min(fleet.commandTimeout, 60)), max);
                        System.out.print(io.tsync.status.StatusTable.render(rows.stream().map(io.tsync.exec.StatusGatherer.Row::status).toList(),
                                ConsoleReporter.colorWanted()));
                        long notSynced = rows.stream().filter(r -> !r.synced()).count();
                        System.out.printf("%d of %d host(s) synced after %.1f s%n", rows.size() - notSynced, rows.size(), (System.nanoTime() - t0) / 1e9);
                        if (notSynced > 0 && code == ExitCodes.OK) {
                            code = ExitCodes.NOT_SYNCED;
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return ExitCodes.INTERRUPTED;
                    }
                }
            }
            return code;
        } finally {
            if (kept != null) {
                kept.close();
            }
        }
    }

    static Duration parseDuration(String s) {
        String t = s.strip().toLowerCase(java.util.Locale.ROOT);
        if (t.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        if (t.endsWith("s")) {
            t = t.substring(0, t.length() - 1);
        }
        return Duration.ofSeconds(Long.parseLong(t));
    }

    static int exitCode(List<HostResult> results, boolean check) {
        boolean failed = results.stream().anyMatch(r -> r.outcome() == Outcome.FAILED);
        boolean unreachable = results.stream().anyMatch(r -> r.outcome() == Outcome.UNREACHABLE);
        if (failed) {
            return ExitCodes.HOST_FAILED;
        }
        if (unreachable) {
            return ExitCodes.HOST_UNREACHABLE;
        }
        if (check && results.stream().anyMatch(r -> r.outcome() == Outcome.PENDING)) {
            return ExitCodes.CHANGES_PENDING;
        }
        return ExitCodes.OK;
    }

    /**
     * A run's input, loaded and checked: the inventory and, per selected host, its desired states; and
     * what validate and apply warn about (leap smearing, keys not readable here).
     */
    record Prepared(Inventory inventory, List<HostJob> jobs, List<Problem> warnings) {}

    /** Warnings on stderr, as "file:line:column: warning: ..." with their fix, once each. */
    static void printWarnings(List<Problem> warnings) {
        for (Problem w : warnings) {
            String where = w.line() > 0 ? w.file() + ":" + w.line() + ":" + w.column() : w.file();
            System.err.println(where + ": warning: " + w.message() + (w.fix() == null ? "" : "\n  fix: " + w.fix()));
        }
    }

    /**
     * As {@link #prepare(FleetOptions, Path, Path, boolean)} without needing the keys' values (validate,
     * status). Key and known_hosts files are {@link FleetOptions#connector}'s to check, so validate (this
     * alone) runs without them.
     */
    static Prepared prepare(FleetOptions fleet, Path playbookFile, Path templates) throws InvalidInputException {
        return prepare(fleet, playbookFile, templates, false);
    }

    /**
     * Everything that needs no connection: load, select, resolve per-host overrides, read the keys'
     * values ({@code needKeys}: a key whose value is not there is an error, else a warning). Throws
     * before any host is contacted.
     */
    static Prepared prepare(FleetOptions fleet, Path playbookFile, Path templates, boolean needKeys) throws InvalidInputException {
        List<Problem> warnings = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        Playbook pb = null;
        Inventory inv = null;
        try {
            pb = PlaybookLoader.load(playbookFile);
        } catch (InvalidInputException e) {
            problems.addAll(e.problems());
        }
        try {
            inv = fleet.loadInventory(playbookFile.toAbsolutePath().getParent());
        } catch (InvalidInputException e) {
            problems.addAll(e.problems());
        }
        if (templates != null && !Files.isDirectory(templates)) {
            problems.add(new Problem("--templates", 0, 0, templates + " is not a directory", "point --templates at a folder holding chrony.conf.ftl / ntp.conf.ftl"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        Map<Host, List<Desired>> targets = new LinkedHashMap<>();
        for (Host h : inv.hosts()) {
            targets.put(h, new ArrayList<>());
        }
        for (Play play : pb.plays()) {
            List<Host> hosts = InventoryLoader.select(inv, play.hosts());
            if (hosts.isEmpty()) {
                boolean local = inv.file().equals(LocalInventory.NAME);
                problems.add(new Problem(play.location().file(), play.location().line(), play.location().column(),
                        "play '" + play.name() + "' matches no host of " + (local ? "local mode" : "inventory " + inv.file()) + " (hosts: " + play.hosts() + ")",
                        local ? LocalInventory.hostsFix(inv) : "use host or group names defined in the inventory"));
                continue;
            }
            for (Host h : hosts) {
                try {
                    Desired d = DesiredResolver.resolve(play, h);
                    if (d.ntp() != null) {
                        addOnce(warnings, NtpChecks.warnings(d.ntp()));
                        List<Problem> keyProblems = new ArrayList<>();
                        List<Problem> keyWarnings = new ArrayList<>();
                        d = new Desired(d.timezone(), KeyMaterial.resolve(d.ntp(), System.getenv(), needKeys, keyProblems, keyWarnings));
                        addOnce(problems, keyProblems);
                        addOnce(warnings, keyWarnings);
                    }
                    targets.get(h).add(d);
                } catch (InvalidInputException e) {
                    problems.addAll(e.problems());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        List<Host> selected = fleet.limit(inv, targets.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).toList());
        List<HostJob> jobs = new ArrayList<>();
        for (Host h : selected) {
            jobs.add(new HostJob(h, targets.get(h)));
        }
        return new Prepared(inv, List.copyOf(jobs), List.copyOf(warnings));
    }

    /** Adds problems not yet listed: a play's key or warning is the same for each of its hosts. */
    private static void addOnce(List<Problem> to, List<Problem> from) {
        for (Problem p : from) {
            if (!to.contains(p)) {
                to.add(p);
            }
        }
    }
}
