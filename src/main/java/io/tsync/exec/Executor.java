package io.tsync.exec;

import io.tsync.facts.Facts;
import io.tsync.facts.FactsProbe;
import io.tsync.model.Host;
import io.tsync.model.Secret;
import io.tsync.platform.DaemonOptions;
import io.tsync.platform.Platform;
import io.tsync.platform.Platforms;
import io.tsync.plan.Desired;
import io.tsync.plan.PlanWatch;
import io.tsync.plan.Planner;
import io.tsync.plan.Step;
import io.tsync.render.KeyFiles;
import io.tsync.render.Renderer;
import io.tsync.report.Timings;
import io.tsync.report.UnifiedDiff;
import io.tsync.transport.ExecResult;
import io.tsync.transport.HostKeyException;
import io.tsync.transport.OutputTooLargeException;
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
    private final PlanWatch watch;

    public Executor(Options options, Renderer renderer, Connector connector, Reporter reporter) {
        this(options, renderer, connector, reporter, null);
    }

    /** @param watch sees each play's plan before it runs and may refuse the host (a saved plan's recorder or gate); null: none */
    public Executor(Options options, Renderer renderer, Connector connector, Reporter reporter, PlanWatch watch) {
        this.options = options;
        this.renderer = renderer;
        this.connector = connector;
        this.reporter = reporter;
        this.watch = watch;
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
            reporter.phase(host.name(), Timings.Phase.CONNECT);
            t = connector.open(host);
            reporter.connected(host.name(), t.connectTimes());
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
                reporter.phase(host.name(), Timings.Phase.LOCK);
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
        List<String> warnings = new ArrayList<>();
        StringBuilder diff = new StringBuilder();
        int ok = 0;
        String platformId = null;
        Facts facts = null; // gathered again for a later play only when a play changed the host
        int play = -1;
        for (Desired desired : job.targets()) {
            play++;
            if (facts == null) {
                reporter.phase(host.name(), Timings.Phase.FACTS);
                ExecResult fr;
                try {
                    fr = t.execUnprivileged(FactsProbe.command(), options.commandTimeout());
                } catch (IOException e) {
                    return done(broken(t, host, plan, applied, ok, "while gathering facts", e, platformId));
                }
                reporter.command(host.name(), "(facts probe)", fr);
                if (!fr.ok()) {
                    return done(failed(host, plan, applied, ok, "gathering facts failed: " + fr.errorText(), platformId));
                }
                facts = FactsProbe.parse(fr.stdout());
                facts = readKeyFilesPrivileged(t, host, facts, job);
            }
            Planned planned;
            reporter.phase(host.name(), Timings.Phase.PLAN);
            try {
                planned = plan(facts, desired, renderer);
            } catch (Planner.PlanRefused e) {
                return done(failed(host, plan, applied, ok, e.getMessage(), platformId));
            }
            platformId = planned.platform();
            List<Step> steps = planned.steps();
            String refused = watch == null ? null : watch.admit(host, play, applied.isEmpty() ? facts : null, steps);
            if (refused != null) {
                return done(failed(host, plan, applied, ok, refused, platformId));
            }
            if (!options.check() && !steps.isEmpty() && lock == null) {
                plan.addAll(steps);
                return new Pass(null, plan, platformId);
            }
            // once per host: a pass that stopped above to take the run lock reported nothing
            for (String w : planned.warnings()) {
                if (!warnings.contains(w)) {
                    warnings.add(w);
                    reporter.warning(host.name(), w);
                }
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
                reporter.phase(host.name(), Timings.Phase.LOCK);
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
            reporter.phase(host.name(), Timings.Phase.STEPS);
            for (Step step : steps) {
                if (cancelled.get()) {
                    return done(failed(host, plan, applied, ok, "interrupted before '" + step.title() + "'", platformId));
                }
                if (!lock.held() && !t.alive()) {
                    return done(broken(t, host, plan, applied, ok, "before '" + step.title() + "'",
                            new IOException("the run lock's channel closed with the connection"), platformId));
                }
                if (!lock.held()) {
                    return done(failed(host, plan, applied, ok, "lost the run lock before '" + step.title()
                            + "' (the connection dropped or its process on the host was killed); stopped so that no other run interleaves", platformId));
                }
                RemoteCommand cmd = Commands.of(step, lockLeft);
                Duration timeout = step instanceof Step.InstallPackage ? options.commandTimeout().plus(lockLeft) : options.commandTimeout();
                ExecResult r;
                try {
                    r = t.exec(cmd.script(), cmd.stdin(), timeout);
                } catch (IOException e) {
                    reporter.stepDone(host.name(), step, false, e.getMessage());
                    return done(broken(t, host, plan, applied, ok, "during '" + step.title() + "'", e, platformId));
                }
                reporter.command(host.name(), cmd.script(), r);
                // step_now says by how much it stepped; other steps say why they ran
                String done = step instanceof Step.StepClock && !r.stdout().isBlank() ? r.stdout().strip() : step.reason();
                reporter.stepDone(host.name(), step, r.ok(), r.ok() ? done : r.errorText());
                if (r.exit() == Commands.HOST_STOPPING) {
                    return done(new HostResult(host.name(), Outcome.UNREACHABLE, plan, applied, ok, r.errorText() + " during '" + step.title()
                            + "' (a reboot?); its config was not rolled back: the next run converges it", null, platformId));
                }
                if (!r.ok()) {
                    String msg = "'" + step.title() + "' failed (exit " + r.exit() + "): " + r.errorText();
                    if (step instanceof Step.InstallPackage ip) {
                        var holder = PackageLockWait.timedOut(r.stdout()).or(() -> PackageLockWait.parseApt(r.stderr()));
                        if (holder.isPresent()) {
                            msg = lockTimedOut(ip.packages().lock().name(), holder.get(), applied, step);
                        }
                    }
                    msg += rollbackIfNeeded(t, step, applied);
                    return done(failed(host, plan, applied, ok, msg, platformId, warnings));
                }
                applied.add(step);
            }
        }
        Outcome outcome = options.check() ? (plan.isEmpty() ? Outcome.OK : Outcome.PENDING)
                : (applied.isEmpty() ? Outcome.OK : Outcome.CHANGED);
        return done(new HostResult(host.name(), outcome, plan, applied, ok, null, diff.isEmpty() ? null : diff.toString(), platformId, warnings));
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

    /**
     * The facts probe runs without sudo, so a key file only root may read has no hash in its facts; when a
     * play of this host has keys, read the key files' state again with sudo (one more exec, only then).
     */
    private Facts readKeyFilesPrivileged(Transport t, Host host, Facts facts, HostJob job) throws IOException {
        boolean keys = job.targets().stream().anyMatch(d -> d.ntp() != null && !d.ntp().advanced().keys().isEmpty());
        boolean unread = facts.keyFiles().values().stream().anyMatch(k -> k.sha256() == null);
        if (!keys || !unread) {
            return facts;
        }
        ExecResult r = t.exec(FactsProbe.keyFilesCommand(), new byte[0], options.commandTimeout());
        reporter.command(host.name(), "(key files, with sudo)", r);
        return r.ok() ? facts.withKeyFiles(FactsProbe.keyFiles(r.stdout())) : facts;
    }

    /** A host's plan and the platform row it was made for. */
    public record Planned(String platform, List<Step> steps, List<String> warnings) {
        public Planned(String platform, List<Step> steps) {
            this(platform, steps, List.of());
        }
    }

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
        Secret keyFile = null;
        if (desired.ntp() != null) {
            var spec = platform.daemon(desired.ntp().daemon()).orElse(null);
            if (spec == null) {
                throw new Planner.PlanRefused(desired.ntp().daemon().key() + " is not available on " + platform.id()
                        + (platform.whyNot(desired.ntp().daemon()).isEmpty() ? "" : ": " + platform.whyNot(desired.ntp().daemon())));
            }
            // what this platform's build of the daemon lacks (ntpsec: peers, xleave), at the playbook's line
            List<DaemonOptions.Refusal> lacks = DaemonOptions.refusals(desired.ntp(), spec);
            if (!lacks.isEmpty()) {
                throw new Planner.PlanRefused(platform.id() + " (" + spec.pkg() + ") cannot do what the playbook asks: "
                        + String.join("; ", lacks.stream().map(DaemonOptions.Refusal::describe).toList()));
            }
            rendered = renderer.render(spec, desired.ntp());
            if (!desired.ntp().advanced().keys().isEmpty()) {
                keyFile = KeyFiles.render(desired.ntp().daemon(), desired.ntp().advanced().keys());
            }
        }
        Planner.Plan p = Planner.plan(facts, platform, desired, rendered, keyFile);
        return new Planned(platform.id(), p.steps(), p.warnings());
    }

    /** A (re)start failed after this run wrote the config: put the previous file back and restart on it. */
    private String rollbackIfNeeded(Transport t, Step failed, List<Step> applied) {
        String unit = failed instanceof Step.RestartService r ? r.unit() : failed instanceof Step.StartService s ? s.unit() : null;
        if (unit == null) {
            return "";
        }
        List<Step> written = applied.stream().filter(x -> x instanceof Step.WriteConfig || x instanceof Step.WriteKeys
                || x instanceof Step.WriteTrustedCerts).toList();
        if (written.isEmpty()) {
            return "";
        }
        List<String> paths = written.stream().map(x -> x instanceof Step.WriteConfig w ? w.path()
                : x instanceof Step.WriteTrustedCerts c ? c.path() : ((Step.WriteKeys) x).path()).toList();
        try {
            RemoteCommand rb = Commands.rollback(paths, unit);
            ExecResult r = t.exec(rb.script(), rb.stdin(), options.commandTimeout());
            applied.removeAll(written);
            return "\n  rolled back: restored the previous " + String.join(" and ", paths) + " and restarted " + unit + " ("
                    + r.stdout().strip().lines().reduce((a, b) -> b).orElse("?") + ")";
        } catch (IOException e) {
            return "\n  ROLLBACK FAILED: " + e.getMessage();
        }
    }

    /**
     * A command that got no answer: the connection dropped (host rebooted, sshd session killed, the
     * network gone silent until the keep-alives gave up) or the command timed out. The steps already
     * applied stay counted. A lost connection makes the host unreachable, as Ansible has it; whether
     * the interrupted step ran to its end on the host is unknown, and the next run finds out.
     */
    private static HostResult broken(Transport t, Host host, List<Step> plan, List<Step> applied, int ok, String when, IOException e,
                                     String platform) {
        if (e instanceof OutputTooLargeException) {
            // the host answered, with too much: a bound of transport/Bounds, which the message names
            return failed(host, plan, applied, ok, e.getMessage() + " (" + when + ")", platform);
        }
        if (t.alive()) {
            return failed(host, plan, applied, ok, "no answer " + when + ": " + e.getMessage(), platform);
        }
        return new HostResult(host.name(), Outcome.UNREACHABLE, plan, applied, ok, "connection lost " + when + ": " + e.getMessage()
                + (applied.isEmpty() ? "" : "\n  applied before: " + String.join(", ", applied.stream().map(Step::title).toList()))
                + "\n  the interrupted step may or may not have finished on the host; the next run converges it", null, platform);
    }

    private static HostResult failed(Host host, List<Step> plan, List<Step> applied, int ok, String msg, String platform) {
        return failed(host, plan, applied, ok, msg, platform, List.of());
    }

    private static HostResult failed(Host host, List<Step> plan, List<Step> applied, int ok, String msg, String platform, List<String> warnings) {
        return new HostResult(host.name(), Outcome.FAILED, plan, applied, ok, msg, null, platform, warnings);
    }

    /** Managed items per desired state: timezone; package, config, key file (with keys), NTS certificates (with them), enabled, running. */
    static int checks(Desired d) {
        return (d.timezone() != null ? 1 : 0) + (d.ntp() != null ? 4 : 0)
                + (d.ntp() != null && !d.ntp().advanced().keys().isEmpty() ? 1 : 0)
                + (d.ntp() != null && d.ntp().advanced().ntsTrustedCerts() != null ? 1 : 0);
    }

    static int categories(List<Step> steps) {
        int tz = 0;
        int pkg = 0;
        int conf = 0;
        int keys = 0;
        int certs = 0;
        int enable = 0;
        int run = 0;
        for (Step s : steps) {
            if (s instanceof Step.SetTimezone || s instanceof Step.InstallPackage p && p.pkg().equals(Platforms.TZDATA)) {
                tz = 1;
            } else if (s instanceof Step.InstallPackage) {
                pkg = 1;
            } else if (s instanceof Step.WriteConfig) {
                conf = 1;
            } else if (s instanceof Step.WriteKeys) {
                keys = 1;
            } else if (s instanceof Step.WriteTrustedCerts) {
                certs = 1;
            } else if (s instanceof Step.EnableService) {
                enable = 1;
            } else if (s instanceof Step.StartService || s instanceof Step.RestartService) {
                run = 1;
            }
        }
        return tz + pkg + conf + keys + certs + enable + run;
    }

    static String diffOf(Host host, List<Step> steps) {
        StringBuilder sb = new StringBuilder();
        for (Step s : steps) {
            if (s instanceof Step.SetTimezone tz) {
                sb.append("--- ").append(host.name()).append(": timezone\n-").append(tz.from()).append("\n+").append(tz.to()).append('\n');
            } else if (s instanceof Step.WriteKeys k) {
                // never the content: only that it changes
                sb.append("--- ").append(host.name()).append(":").append(k.path()).append(k.exists() ? "" : " (absent)").append('\n')
                        .append("+++ ").append(host.name()).append(":").append(k.path()).append(" (tsync)\n")
                        .append("key file changed (").append(k.reason()).append("); its content is not shown\n");
            } else if (s instanceof Step.WriteTrustedCerts c) {
                sb.append("--- ").append(host.name()).append(":").append(c.path()).append(c.exists() ? "" : " (absent)").append('\n')
                        .append("+++ ").append(host.name()).append(":").append(c.path()).append(" (tsync)\n")
                        .append("NTS trusted certificates changed (").append(c.reason()).append(")\n");
            } else if (s instanceof Step.WriteConfig w) {
                sb.append(UnifiedDiff.diff(w.previous() == null ? "" : w.previous(), w.content(),
                        host.name() + ":" + w.path() + (w.previous() == null ? " (absent)" : ""),
                        host.name() + ":" + w.path() + " (tsync)", 3));
            }
        }
        return sb.toString();
    }
}
