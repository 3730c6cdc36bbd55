package io.tsync.run;

import io.tsync.clock.ClockPolicy;
import io.tsync.clock.Sntp;
import io.tsync.exec.Executor;
import io.tsync.exec.HostJob;
import io.tsync.exec.HostResult;
import io.tsync.exec.KeptConnections;
import io.tsync.exec.Outcome;
import io.tsync.exec.Parallel;
import io.tsync.exec.StatusGatherer;
import io.tsync.facts.FactsProbe;
import io.tsync.facts.HostFacts;
import io.tsync.load.HostPatterns;
import io.tsync.load.InvalidInputException;
import io.tsync.load.InventoryLoader;
import io.tsync.load.LocalInventory;
import io.tsync.load.Problem;
import io.tsync.load.Slice;
import io.tsync.model.Host;
import io.tsync.model.Inventory;
import io.tsync.render.Renderer;
import io.tsync.status.ClockVerdict;
import io.tsync.status.Verdict;
import io.tsync.transport.ExecResult;
import io.tsync.transport.SshOptions;
import io.tsync.transport.Transport;
import java.io.Console;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The hosts of one run and the work done on them, shared by apply, status, facts and the
 * Prometheus exporter: select hosts (inventory or {@code --local}, {@code --limit}, {@code --slice}),
 * connect, gather facts or status, execute plans, await sync. The load stage is {@link Targets}.
 */
public final class Fleet {
    /** The settings of a run, as the command line gives them. */
    public record Settings(Path inventory, boolean local, String limit, Slice slice, int forks, Path knownHosts, boolean acceptNew,
                           String sshConfig, int connectTimeout, int commandTimeout, int keepAlive, boolean askBecomePass) {}

    private final Settings settings;
    /** How many hosts were selected before the slice cut them, once {@link #limit} ran. */
    private int selectedBeforeSlice;
    /** How measured clocks are judged (--max-offset, --max-spread, --reference); the commands that poll set it. */
    private ClockPolicy clockPolicy = ClockPolicy.DEFAULT;
    /** The controller against --reference at the last poll; null without --reference. */
    private ClockVerdict.Reference lastReference;

    public Fleet(Settings settings) {
        this.settings = settings;
    }

    public int forks() {
        return settings.forks();
    }

    public Duration commandTimeout() {
        return Duration.ofSeconds(settings.commandTimeout());
    }

    /** A status or facts probe's timeout: the command timeout, at most a minute. */
    public Duration probeTimeout() {
        return Duration.ofSeconds(Math.min(settings.commandTimeout(), 60));
    }

    public Inventory loadInventory() throws InvalidInputException {
        return loadInventory(null);
    }

    /**
     * The inventory, with the group_vars/ and host_vars/ beside it and, as Ansible reads them, beside
     * the playbook; with {@code --local}, this machine alone ({@link LocalInventory}).
     */
    public Inventory loadInventory(Path playbookDir) throws InvalidInputException {
        if (settings.local()) {
            if (settings.inventory() != null) {
                throw new InvalidInputException(new Problem("--local", 0, 0, "--local converges this machine without an inventory; -i " + settings.inventory() + " was given too",
                        "drop -i to converge this machine, or drop --local and give this machine's host ansible_connection: local in the inventory"));
            }
            return LocalInventory.load(LocalInventory.hostname(), playbookDir);
        }
        return InventoryLoader.load(inventoryPath(settings.inventory()), playbookDir);
    }

    /** The inventory file: -i if given, else $TSYNC_INVENTORY, else inventory.yaml. */
    public static Path inventoryPath(Path option) {
        if (option != null) {
            return option;
        }
        String env = System.getenv("TSYNC_INVENTORY");
        return Path.of(env != null ? env : "inventory.yaml");
    }

    /**
     * The hosts this run handles: {@code hosts} narrowed by {@code --limit} (matching none is an
     * error), then cut by {@code --slice} (an empty slice is not: a worker of a matrix may get none).
     */
    public List<Host> limit(Inventory inv, List<Host> hosts) throws InvalidInputException {
        List<Host> out = hosts;
        String limit = settings.limit();
        if (limit != null) {
            // by name in a set: List.contains per host made --limit quadratic in the fleet's size
            Set<String> allowed = new HashSet<>(HostPatterns.select(inv, limit).stream().map(Host::name).toList());
            out = hosts.stream().filter(h -> allowed.contains(h.name())).toList();
            if (out.isEmpty()) {
                throw new InvalidInputException(new Problem("--limit", 0, 0, "'" + limit + "' matches no host of the selection",
                        "use host or group names from the inventory (tsync inventory lists them)"));
            }
        }
        Slice slice = settings.slice();
        if (slice == null) {
            return out;
        }
        selectedBeforeSlice = out.size();
        List<Host> sliced = slice.select(out, Host::name);
        System.err.println("tsync: slice " + slice + ": " + sliced.size() + " of the " + out.size() + " selected host(s)"
                + (sliced.isEmpty() ? ", nothing to do" : ""));
        return sliced;
    }

    /** The inventory's hosts as selected by --limit and --slice, without a playbook. */
    public Prepared hostsOnly() throws InvalidInputException {
        Inventory inv = loadInventory();
        List<HostJob> jobs = limit(inv, inv.hosts()).stream().map(h -> new HostJob(h, List.of())).toList();
        return new Prepared(inv, jobs, List.of());
    }

    /** The {@code slice} member of a JSON report: which slice of how many selected hosts; null without --slice. */
    public Map<String, Object> sliceJson() {
        if (settings.slice() == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", settings.slice().index());
        m.put("count", settings.slice().count());
        m.put("selectedHosts", selectedBeforeSlice);
        return m;
    }

    // ---------------------------------------------------------------- connect

    SshOptions sshOptions() {
        String pw = System.getenv("TSYNC_BECOME_PASSWORD");
        if (settings.askBecomePass()) {
            Console c = System.console();
            if (c != null) {
                char[] chars = c.readPassword("BECOME password: ");
                pw = chars == null ? null : new String(chars);
            }
        }
        return new SshOptions(Duration.ofSeconds(settings.connectTimeout()), commandTimeout(), Duration.ofSeconds(settings.keepAlive()), pw);
    }

    /** The key and known_hosts files of {@code hosts} that cannot be read here; reads no key. */
    public List<Problem> missingConnectionFiles(Inventory inv, List<Host> hosts) {
        return Connectors.missingFiles(settings, inv, hosts);
    }

    /** A connector for these hosts: local ones on this machine, the others over SSH (keys unlocked now). */
    public Executor.Connector connector(Inventory inv, List<Host> hosts) throws InvalidInputException {
        return Connectors.connector(settings, sshOptions(), inv, hosts);
    }

    /** Connections kept open between uses (polling, apply then --wait): one login per host. */
    public KeptConnections keep(Executor.Connector connector) {
        return new KeptConnections(connector, Duration.ofSeconds(settings.connectTimeout()));
    }

    // ---------------------------------------------------------------- facts and status

    /** Each host's facts, in parallel (at most --forks at once), in inventory order: one unprivileged exec per host. */
    public List<HostFacts> facts(List<Host> hosts, Executor.Connector connector) {
        Duration timeout = probeTimeout();
        return Parallel.map(hosts, forks(), "tsync-facts", h -> facts(h, connector, timeout),
                (h, e) -> HostFacts.failed(h.name(), "internal error: " + e));
    }

    static HostFacts facts(Host host, Executor.Connector connector, Duration timeout) {
        Transport t;
        try {
            t = connector.open(host);
        } catch (IOException e) {
            return HostFacts.unreachable(host.name(), e.getMessage());
        }
        try (t) {
            ExecResult r = t.execUnprivileged(FactsProbe.command(), timeout);
            if (!r.ok()) {
                return HostFacts.failed(host.name(), "facts probe failed (exit " + r.exit() + "): " + r.errorText());
            }
            return HostFacts.parse(host.name(), r.stdout());
        } catch (IOException e) {
            return HostFacts.failed(host.name(), e.getMessage());
        }
    }

    public void clockPolicy(ClockPolicy policy) {
        this.clockPolicy = policy;
    }

    public ClockPolicy clockPolicy() {
        return clockPolicy;
    }

    /** The controller against --reference at the last poll; null without --reference. */
    public ClockVerdict.Reference lastReference() {
        return lastReference;
    }

    /**
     * Each host's sync status once, its measured clock judged by the {@link #clockPolicy} (stated against
     * --reference, measured once per poll); with a renderer, also whether it matches its targets.
     */
    public List<StatusGatherer.Row> status(List<HostJob> jobs, Executor.Connector connector, Renderer renderer) {
        List<StatusGatherer.Row> rows = StatusGatherer.gather(jobs, connector, forks(), renderer, probeTimeout());
        ClockPolicy policy = clockPolicy;
        if (policy.reference() != null) {
            try {
                lastReference = new ClockVerdict.Reference(policy.reference(), Sntp.query(policy.reference(), Duration.ofSeconds(2)), null);
            } catch (IOException e) {
                lastReference = new ClockVerdict.Reference(policy.reference(), null, e.getMessage());
            }
        }
        ClockVerdict.Reference ref = lastReference;
        return rows.stream().map(r -> new StatusGatherer.Row(ClockVerdict.judge(r.status(), policy, ref), r.playbook(),
                r.pendingChanges(), r.platform())).toList();
    }

    /** Polls (every 2 s at most) until all hosts are synced or {@code max} passes; returns the last status. */
    public List<StatusGatherer.Row> awaitSynced(List<HostJob> jobs, Executor.Connector connector, Renderer renderer, Duration max)
            throws InterruptedException {
        return awaitSynced(jobs, connector, renderer, max, rows -> {});
    }

    /** As {@link #awaitSynced(List, Executor.Connector, Renderer, Duration)}, showing each poll's rows to {@code eachPoll}. */
    public List<StatusGatherer.Row> awaitSynced(List<HostJob> jobs, Executor.Connector connector, Renderer renderer, Duration max,
                                                Consumer<List<StatusGatherer.Row>> eachPoll) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            long started = System.nanoTime();
            List<StatusGatherer.Row> rows = status(jobs, connector, renderer);
            eachPoll.accept(rows);
            boolean allSynced = rows.stream().allMatch(StatusGatherer.Row::synced);
            boolean hopeless = rows.stream().anyMatch(r -> r.status().verdict() == Verdict.UNREACHABLE);
            if (allSynced || hopeless || System.nanoTime() >= deadline) {
                return rows;
            }
            long sleep = Math.max(0, Duration.ofSeconds(2).toNanos() - (System.nanoTime() - started));
            Thread.sleep(Math.min(sleep, Math.max(0, deadline - System.nanoTime())) / 1_000_000);
        }
    }

    // ---------------------------------------------------------------- execute

    /** What {@link #execute} did: each host's result; whether Ctrl-C stopped it; whether the JVM is exiting. */
    public record Applied(List<HostResult> results, boolean cancelled, boolean shuttingDown) {}

    /**
     * Runs {@code executor} over {@code jobs}. On Ctrl-C / SIGTERM every host finishes (or rolls back)
     * its current step and stops; {@code recap} is called before the JVM exits (the hook waits for it,
     * bounded by the command timeout).
     */
    public Applied execute(Executor executor, List<HostJob> jobs, Consumer<Applied> recap) {
        CountDownLatch recapDone = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            executor.cancel();
            try {
                recapDone.await(settings.commandTimeout() + 10L, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tsync-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        List<HostResult> results = executor.run(jobs);
        Applied applied = new Applied(results, executor.cancelled(), false);
        recap.accept(applied);
        recapDone.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return new Applied(results, applied.cancelled(), true);
        }
        return applied;
    }

    /** The jobs whose host changed in {@code results}: the ones {@code apply --wait} polls. */
    public static List<HostJob> changed(List<HostJob> jobs, List<HostResult> results) {
        Set<String> changed = results.stream().filter(r -> r.outcome() == Outcome.CHANGED).map(HostResult::host).collect(Collectors.toSet());
        return jobs.stream().filter(j -> changed.contains(j.host().name())).toList();
    }
}
