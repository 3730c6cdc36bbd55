package io.tsync.exec;

import io.tsync.facts.Facts;
import io.tsync.facts.FactsProbe;
import io.tsync.model.Host;
import io.tsync.platform.Platform;
import io.tsync.platform.Platforms;
import io.tsync.plan.Desired;
import io.tsync.plan.Planner;
import io.tsync.plan.Step;
import io.tsync.render.Renderer;
import io.tsync.report.UnifiedDiff;
import io.tsync.transport.ExecResult;
import io.tsync.transport.HostKeyException;
import io.tsync.transport.Transport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs hosts in parallel (bounded by forks). Per host: connect once, gather facts in one exec and
 * plan. A host with changes to make then takes its run lock ({@link RunLock}), gathers facts and
 * plans again (another run may have changed it meanwhile) and applies the steps in order, stopping
 * at the first failure (rolling a rejected config back). Other hosts are never stopped by one
 * host's failure.
 */
public final class Executor {
    /** Opens the transport for a host; SSH in production. */
    public interface Connector {
        Transport open(Host host) throws IOException;
    }

    /** Settings of one run. */
    /**
     * Settings of one run.
     *
     * @param lockTimeout how long a host waits for its package manager's lock and for another run's
     *                    run lock ({@link RunLock})
     * @param owner       who this run is, written on each host whose run lock it takes
     */
    public record Options(boolean check, boolean diff, int forks, Duration commandTimeout, Duration lockTimeout, RunLock.Owner owner) {}

    private final Options options;
    private final Renderer renderer;
    private final Connector connector;
    private final Reporter reporter;
    private final AtomicBoolean cancelled = new AtomicBoolean();

    public Executor(Options options, Renderer renderer, Connector connector, Reporter reporter) {
        this.options = options;
        this.renderer = renderer;
        this.connector = connector;
        this.reporter = reporter;
    }

    /** Asks every host to stop after its current step (Ctrl-C / SIGTERM). */
    public void cancel() {
        cancelled.set(true);
    }

    public boolean cancelled() {
        return cancelled.get();
    }

    public List<HostResult> run(List<HostJob> jobs) {
        return Parallel.map(jobs, options.forks(), "tsync-host", job -> {
            HostResult r = runHost(job);
            reporter.hostDone(r);
            return r;
        }, (job, e) -> new HostResult(job.host().name(), Outcome.FAILED, List.of(), List.of(), 0, "internal error: " + e, null, null));
    }

    HostResult runHost(HostJob job) {
        Host host = job.host();
        Transport t;
        try {
            if (cancelled.get()) {
                return new HostResult(host.name(), Outcome.FAILED, List.of(), List.of(), 0, "not started: run interrupted", null, null);
            }
            t = connector.open(host);
        } catch (HostKeyException e) {
            return new HostResult(host.name(), Outcome.UNREACHABLE, List.of(), List.of(), 0, e.getMessage(), null, null);
        } catch (IOException e) {
            return new HostResult(host.name(), Outcome.UNREACHABLE, List.of(), List.of(), 0, e.getMessage(), null, null);
        }
        try (t) {
            // a converged host (and --check) ends here: one facts exec, no lock
            Pass first = converge(t, job, null);
            if (first.result() != null) {
                return first.result();
            }
            RunLock.Held lock;
            try {
                lock = RunLock.acquire(t, options.owner(), options.lockTimeout(), options.commandTimeout(),
                        holder -> reporter.waiting(host.name(), "run lock held by " + holder.describe() + ", up to "
                                + options.lockTimeout().toSeconds() + " s"), cancelled::get);
            } catch (RunLock.Busy e) {
                return new HostResult(host.name(), Outcome.FAILED, first.plan(), List.of(), 0, e.getMessage(), null, first.platform());
            }
            try (lock) {
                // another run may have changed the host before this one got the lock: plan again on fresh facts
                return converge(t, job, lock).result();
            }
        } catch (IOException e) {
            return new HostResult(host.name(), Outcome.FAILED, List.of(), List.of(), 0, e.getMessage(), null, null);
        } catch (FactsProbe.FactsException | Renderer.RenderException e) {
            return new HostResult(host.name(), Outcome.FAILED, List.of(), List.of(), 0, e.getMessage(), null, null);
        }
    }

    /**
     * One walk over a host's plays: the host's result, or (result null) the plan that showed this
     * run has changes to make and must hold the run lock first.
     */
    private record Pass(HostResult result, List<Step> plan, String platform) {}

    /**
     * Gathers facts, plans and (holding {@code lock}) applies each play in turn. Without the lock it
     * stops at the first play that would change the host.
     */
    private Pass converge(Transport t, HostJob job, RunLock.Held lock) throws IOException, FactsProbe.FactsException, Renderer.RenderException {
        Host host = job.host();
        List<Step> plan = new ArrayList<>();
        List<Step> applied = new ArrayList<>();
        StringBuilder diff = new StringBuilder();
        int ok = 0;
        String platformId = null;
        Facts facts = null; // gathered again for a later play only when a play changed the host
        for (Desired desired : job.targets()) {
            if (facts == null) {
                ExecResult fr = t.execUnprivileged(FactsProbe.command(), options.commandTimeout());
                reporter.command(host.name(), "(facts probe)", fr);
                if (!fr.ok()) {
                    return done(failed(host, plan, applied, ok, "gathering facts failed: " + fr.errorText(), platformId));
                }
                facts = FactsProbe.parse(fr.stdout());
            }
            Planned planned;
            try {
                planned = plan(facts, desired, renderer);
            } catch (Planner.PlanRefused e) {
                return done(failed(host, plan, applied, ok, e.getMessage(), platformId));
            }
            platformId = planned.platform();
            List<Step> steps = planned.steps();
            if (!options.check() && !steps.isEmpty() && lock == null) {
                plan.addAll(steps);
                return new Pass(null, plan, platformId);
            }
            plan.addAll(steps);
            ok += checks(desired) - categories(steps);
            if (options.diff()) {
                diff.append(diffOf(host, steps));
            }
            if (options.check() || steps.isEmpty()) {
                continue;
            }
            facts = null;
            // wait for the package manager before the play's first change, so that a lock held past
            // the bound leaves the host as it was (not with its old daemon stopped and no new one)
            Duration lockLeft = options.lockTimeout();
            Step.InstallPackage install = steps.stream().filter(Step.InstallPackage.class::isInstance)
                    .map(Step.InstallPackage.class::cast).findFirst().orElse(null);
            if (install != null) {
                PackageLockWait.Result waited = PackageLockWait.await(t, install.packages().lock(), lockLeft, options.commandTimeout(),
                        holder -> reporter.waiting(host.name(), install.packages().lock().name() + " held by " + holder.describe()
                                + ", up to " + options.lockTimeout().toSeconds() + " s"), cancelled::get);
                if (waited.stillHeld() != null) {
                    return done(failed(host, plan, applied, ok, lockTimedOut(install.packages().lock().name(), waited.stillHeld(), applied, steps.get(0)),
                            platformId));
                }
                lockLeft = lockLeft.minus(waited.waited());
                lockLeft = lockLeft.isNegative() ? Duration.ZERO : lockLeft;
            }
            for (Step step : steps) {
                if (cancelled.get()) {
                    return done(failed(host, plan, applied, ok, "interrupted before '" + step.title() + "'", platformId));
                }
                if (!lock.held()) {
                    return done(failed(host, plan, applied, ok, "lost the run lock before '" + step.title()
                            + "' (the connection dropped or its process on the host was killed); stopped so that no other run interleaves", platformId));
                }
                RemoteCommand cmd = Commands.of(step, lockLeft);
                Duration timeout = step instanceof Step.InstallPackage ? options.commandTimeout().plus(lockLeft) : options.commandTimeout();
                ExecResult r = t.exec(cmd.script(), cmd.stdin(), timeout);
                reporter.command(host.name(), cmd.script(), r);
                reporter.stepDone(host.name(), step, r.ok(), r.ok() ? step.reason() : r.errorText());
                if (!r.ok()) {
                    String msg = "'" + step.title() + "' failed (exit " + r.exit() + "): " + r.errorText();
                    if (step instanceof Step.InstallPackage ip) {
                        var holder = PackageLockWait.timedOut(r.stdout()).or(() -> PackageLockWait.parseApt(r.stderr()));
                        if (holder.isPresent()) {
                            msg = lockTimedOut(ip.packages().lock().name(), holder.get(), applied, step);
                        }
                    }
                    msg += rollbackIfNeeded(t, step, applied);
                    return done(failed(host, plan, applied, ok, msg, platformId));
                }
                applied.add(step);
            }
        }
        Outcome outcome = options.check() ? (plan.isEmpty() ? Outcome.OK : Outcome.PENDING)
                : (applied.isEmpty() ? Outcome.OK : Outcome.CHANGED);
        return done(new HostResult(host.name(), outcome, plan, applied, ok, null, diff.isEmpty() ? null : diff.toString(), platformId));
    }

    private static Pass done(HostResult r) {
        return new Pass(r, r.plan(), r.platform());
    }

    /** "dpkg lock still held by unattended-upgr (pid 1234) after 120 s (--lock-timeout) ...": what to do next included. */
    private String lockTimedOut(String lockName, PackageLockWait.Holder holder, List<Step> applied, Step next) {
        return lockName + " still held by " + holder.describe() + " after " + options.lockTimeout().toSeconds() + " s (--lock-timeout; "
                + holder.file() + "): " + (applied.isEmpty() ? "nothing was changed" : "stopped before '" + next.title() + "'")
                + "; run again once it is released, or raise --lock-timeout";
    }

    /** A host's plan and the platform row it was made for. */
    public record Planned(String platform, List<Step> steps) {}

    /**
     * Facts + desired state → steps: picks the platform row, renders the config, runs the planner.
     * Refuses unknown platforms and daemons a platform lacks, with a message for the operator.
     */
    public static Planned plan(Facts facts, Desired desired, Renderer renderer) throws Planner.PlanRefused, Renderer.RenderException {
        Platform platform = Platforms.lookup(facts.osId(), facts.osIdLike(), facts.osVersionId()).orElse(null);
        if (platform == null) {
            throw new Planner.PlanRefused("unsupported platform '" + facts.prettyName() + "' (ID=" + facts.osId()
                    + ", VERSION_ID=" + facts.osVersionId() + "); tsync supports (os-release ID and major version) " + Platforms.supported());
        }
        String rendered = null;
        if (desired.ntp() != null) {
            var spec = platform.daemon(desired.ntp().daemon()).orElse(null);
            if (spec == null) {
                throw new Planner.PlanRefused(desired.ntp().daemon().key() + " is not available on " + platform.id()
                        + (platform.noNtpHint() == null ? "" : ": " + platform.noNtpHint()));
            }
            rendered = renderer.render(spec, desired.ntp());
        }
        return new Planned(platform.id(), Planner.plan(facts, platform, desired, rendered));
    }

    /** A (re)start failed after this run wrote the config: put the previous file back and restart on it. */
    private String rollbackIfNeeded(Transport t, Step failed, List<Step> applied) {
        String unit = failed instanceof Step.RestartService r ? r.unit() : failed instanceof Step.StartService s ? s.unit() : null;
        if (unit == null) {
            return "";
        }
        Step.WriteConfig written = applied.stream().filter(Step.WriteConfig.class::isInstance).map(Step.WriteConfig.class::cast)
                .reduce((a, b) -> b).orElse(null);
        if (written == null) {
            return "";
        }
        try {
            RemoteCommand rb = Commands.rollback(written.path(), unit);
            ExecResult r = t.exec(rb.script(), rb.stdin(), options.commandTimeout());
            applied.remove(written);
            return "\n  rolled back: restored the previous " + written.path() + " and restarted " + unit + " ("
                    + r.stdout().strip().lines().reduce((a, b) -> b).orElse("?") + ")";
        } catch (IOException e) {
            return "\n  ROLLBACK FAILED: " + e.getMessage();
        }
    }

    private static HostResult failed(Host host, List<Step> plan, List<Step> applied, int ok, String msg, String platform) {
        return new HostResult(host.name(), Outcome.FAILED, plan, applied, ok, msg, null, platform);
    }

    /** Managed items per desired state: timezone; package, config, enabled, running. */
    static int checks(Desired d) {
        return (d.timezone() != null ? 1 : 0) + (d.ntp() != null ? 4 : 0);
    }

    static int categories(List<Step> steps) {
        int tz = 0;
        int pkg = 0;
        int conf = 0;
        int enable = 0;
        int run = 0;
        for (Step s : steps) {
            if (s instanceof Step.SetTimezone) {
                tz = 1;
            } else if (s instanceof Step.InstallPackage) {
                pkg = 1;
            } else if (s instanceof Step.WriteConfig) {
                conf = 1;
            } else if (s instanceof Step.EnableService) {
                enable = 1;
            } else if (s instanceof Step.StartService || s instanceof Step.RestartService) {
                run = 1;
            }
        }
        return tz + pkg + conf + enable + run;
    }

    static String diffOf(Host host, List<Step> steps) {
        StringBuilder sb = new StringBuilder();
        for (Step s : steps) {
            if (s instanceof Step.SetTimezone tz) {
                sb.append("--- ").append(host.name()).append(": timezone\n-").append(tz.from()).append("\n+").append(tz.to()).append('\n');
            } else if (s instanceof Step.WriteConfig w) {
                sb.append(UnifiedDiff.diff(w.previous() == null ? "" : w.previous(), w.content(),
                        host.name() + ":" + w.path() + (w.previous() == null ? " (absent)" : ""),
                        host.name() + ":" + w.path() + " (tsync)", 3));
            }
        }
        return sb.toString();
    }
}
