package io.tsync.run;

import io.tsync.exec.Executor;
import io.tsync.exec.HostJob;
import io.tsync.exec.HostResult;
import io.tsync.exec.Outcome;
import io.tsync.exec.StatusGatherer;
import io.tsync.model.Rollout;
import io.tsync.render.Renderer;
import io.tsync.transport.Transport;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A staged rollout (serial): converges the hosts wave by wave, each wave gated on the proof that
 * every host it changed is in sync (as {@code apply --wait}), and stops when a wave's failed share
 * is above max_fail_percentage. Hosts of later waves are not connected to. With on_unsynced:
 * rollback, the stopped wave's changed hosts that did not sync get their previous config back.
 */
public final class WaveRunner {
    /** How a wave ended. */
    public enum WaveOutcome {
        PASSED("passed"), STOPPED("stopped"), NOT_STARTED("not started"), PLANNED("planned");

        private final String label;

        WaveOutcome(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One wave and what became of it.
     *
     * @param failed     the hosts that failed the wave, each with why (failed, unreachable, not synced in time)
     * @param rolledBack the hosts rolled back (or left, with why), each with what was done
     * @param reason     why the wave stopped the rollout, or why it did not start; null otherwise
     * @param syncedAt   when every changed host of the wave was seen in sync; null when one was not (or none changed)
     */
    public record Wave(int index, int of, List<String> hosts, WaveOutcome outcome, double seconds, int changed, int synced,
                       Map<String, String> failed, Map<String, String> rolledBack, String reason, Instant started, Instant syncedAt) {
        public Wave {
            hosts = List.copyOf(hosts);
            failed = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(failed));
            rolledBack = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rolledBack));
        }

        static Wave notRun(int index, int of, List<String> hosts, WaveOutcome outcome, String reason) {
            return new Wave(index, of, hosts, outcome, 0, 0, 0, Map.of(), Map.of(), reason, null, null);
        }
    }

    /**
     * What the rollout did: the results of the hosts that ran, every wave, whether a changed host did not
     * sync in time, and whether Ctrl-C / SIGTERM stopped it.
     */
    public record Result(List<HostResult> results, List<Wave> waves, boolean notSynced, boolean cancelled, boolean shuttingDown) {}

    private final Fleet fleet;
    private final Rollout rollout;
    private final Duration waveTimeout;
    private final Renderer renderer;
    private final Executor.Connector connector;
    private final PrintStream out;
    private final boolean verbose;

    public WaveRunner(Fleet fleet, Rollout rollout, Duration waveTimeout, Renderer renderer, Executor.Connector connector, PrintStream out,
                      boolean verbose) {
        this.fleet = fleet;
        this.rollout = rollout;
        this.waveTimeout = waveTimeout;
        this.renderer = renderer;
        this.connector = connector;
        this.out = out;
        this.verbose = verbose;
    }

    /** --check: the waves a rollout would run, announced; nothing is connected to. */
    public List<Wave> plan(List<HostJob> jobs) {
        List<List<HostJob>> waves = WavePlanner.split(jobs, rollout.serial());
        List<Wave> out = new ArrayList<>();
        for (int k = 0; k < waves.size(); k++) {
            Wave w = Wave.notRun(k + 1, waves.size(), names(waves.get(k)), WaveOutcome.PLANNED, null);
            announce(w, "would run");
            out.add(w);
        }
        return out;
    }

    /**
     * Runs the waves in order. {@code onInterrupt} gets the results so far when Ctrl-C / SIGTERM stops a
     * wave (before the JVM exits).
     */
    public Result run(Executor executor, List<HostJob> jobs, Consumer<List<HostResult>> onInterrupt) throws InterruptedException {
        List<List<HostJob>> waves = WavePlanner.split(jobs, rollout.serial());
        List<HostResult> all = new ArrayList<>();
        List<Wave> done = new ArrayList<>();
        boolean notSynced = false;
        for (int k = 0; k < waves.size(); k++) {
            List<HostJob> wave = waves.get(k);
            Wave planned = Wave.notRun(k + 1, waves.size(), names(wave), WaveOutcome.PLANNED, null);
            announce(planned, null);
            Instant started = Instant.now();
            long t0 = System.nanoTime();
            List<HostResult> before = List.copyOf(all);
            Fleet.Applied a = fleet.execute(executor, wave, ap -> {
                if (ap.cancelled()) {
                    List<HostResult> so = new ArrayList<>(before);
                    so.addAll(ap.results());
                    onInterrupt.accept(so);
                }
            });
            all.addAll(a.results());
            if (a.cancelled() || a.shuttingDown()) {
                done.add(new Wave(k + 1, waves.size(), names(wave), WaveOutcome.STOPPED, secs(t0), changedCount(a.results()), 0, failures(a.results()),
                        Map.of(), "run interrupted", started, null));
                addNotStarted(done, waves, k, "the run was interrupted in wave " + (k + 1) + "/" + waves.size());
                return new Result(all, done, notSynced, a.cancelled(), a.shuttingDown());
            }
            Map<String, String> failed = failures(a.results());
            List<HostJob> changed = Fleet.changed(wave, a.results());
            int synced = 0;
            Instant syncedAt = null;
            List<String> unsynced = new ArrayList<>();
            if (!changed.isEmpty()) {
                out.printf("wave %d/%d: waiting up to %d s for %d changed host(s) to sync...%n", k + 1, waves.size(), waveTimeout.toSeconds(), changed.size());
                out.flush();
                List<StatusGatherer.Row> rows = fleet.awaitSynced(changed, connector, renderer, waveTimeout);
                for (StatusGatherer.Row row : rows) {
                    if (row.synced()) {
                        synced++;
                    } else {
                        unsynced.add(row.status().host());
                        failed.put(row.status().host(), "did not sync within " + waveTimeout.toSeconds() + " s (--wave-timeout): "
                                + row.status().verdict().label() + (row.status().detail() == null ? "" : ", " + row.status().detail()));
                    }
                }
                if (unsynced.isEmpty()) {
                    syncedAt = Instant.now();
                } else {
                    notSynced = true;
                }
            }
            boolean stop = WavePlanner.stops(failed.size(), wave.size(), rollout.failPercentage());
            if (!stop) {
                Wave w = new Wave(k + 1, waves.size(), names(wave), WaveOutcome.PASSED, secs(t0), changed.size(), synced, failed, Map.of(), null, started, syncedAt);
                done.add(w);
                out.printf("wave %d/%d: passed in %.1f s: %d changed, %d synced%s%n", k + 1, waves.size(), w.seconds(), changed.size(), synced,
                        failed.isEmpty() ? "" : ", " + failed.size() + " failed (within max_fail_percentage " + rollout.failPercentage() + ")");
                out.flush();
                continue;
            }
            String reason = failed.size() + " of " + wave.size() + " host(s) failed, above max_fail_percentage " + rollout.failPercentage() + ": "
                    + String.join("; ", failed.entrySet().stream().map(e -> e.getKey() + " " + firstLine(e.getValue())).toList());
            Map<String, String> rolledBack = new LinkedHashMap<>();
            if (rollout.rollback()) {
                for (String host : unsynced) {
                    rolledBack.put(host, rollback(wave, a.results(), host));
                }
            }
            done.add(new Wave(k + 1, waves.size(), names(wave), WaveOutcome.STOPPED, secs(t0), changed.size(), synced, failed, rolledBack, reason, started, syncedAt));
            out.printf("wave %d/%d: stopped the rollout: %s%n", k + 1, waves.size(), reason);
            rolledBack.forEach((h, what) -> out.println("  " + h + ": " + what));
            addNotStarted(done, waves, k, "wave " + (k + 1) + "/" + waves.size() + " stopped the rollout (" + failed.size() + " of " + wave.size()
                    + " host(s) failed, above max_fail_percentage " + rollout.failPercentage() + ")");
            out.flush();
            return new Result(all, done, notSynced, false, false);
        }
        return new Result(all, done, notSynced, false, false);
    }

    private String rollback(List<HostJob> wave, List<HostResult> results, String host) {
        HostResult r = results.stream().filter(x -> x.host().equals(host)).findFirst().orElseThrow();
        WaveRollback.Plan plan = WaveRollback.plan(r);
        if (plan instanceof WaveRollback.Leave l) {
            return l.why();
        }
        HostJob job = wave.stream().filter(j -> j.host().name().equals(host)).findFirst().orElseThrow();
        try (Transport t = connector.open(job.host())) {
            return WaveRollback.run(t, plan, fleet.commandTimeout());
        } catch (IOException e) {
            return "ROLLBACK FAILED: cannot connect: " + e.getMessage() + "; the host keeps the new config";
        }
    }

    private void addNotStarted(List<Wave> done, List<List<HostJob>> waves, int stoppedAt, String reason) {
        for (int j = stoppedAt + 1; j < waves.size(); j++) {
            Wave w = Wave.notRun(j + 1, waves.size(), names(waves.get(j)), WaveOutcome.NOT_STARTED, reason);
            done.add(w);
            out.printf("wave %d/%d: not started: %d host(s)%s%n", j + 1, waves.size(), w.hosts().size(), verbose ? " (" + String.join(", ", w.hosts()) + ")" : "");
        }
    }

    private void announce(Wave w, String what) {
        out.printf("wave %d/%d: %d host%s%s%s%n", w.index(), w.of(), w.hosts().size(), w.hosts().size() == 1 ? "" : "s", what == null ? "" : " " + what,
                verbose || what != null ? ": " + String.join(", ", w.hosts()) : "");
        out.flush();
    }

    private static Map<String, String> failures(List<HostResult> results) {
        Map<String, String> m = new LinkedHashMap<>();
        for (HostResult r : results) {
            if (r.outcome() == Outcome.FAILED || r.outcome() == Outcome.UNREACHABLE) {
                m.put(r.host(), r.outcome().name().toLowerCase(Locale.ROOT) + ": " + (r.message() == null ? "" : r.message()));
            }
        }
        return m;
    }

    private static int changedCount(List<HostResult> results) {
        return (int) results.stream().filter(r -> r.outcome() == Outcome.CHANGED).count();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static List<String> names(List<HostJob> jobs) {
        return jobs.stream().map(j -> j.host().name()).toList();
    }

    private static double secs(long t0) {
        return Math.round((System.nanoTime() - t0) / 1e8) / 10.0;
    }
}
