package io.tsync.exec;

import io.tsync.facts.Facts;
import io.tsync.facts.FactsProbe;
import io.tsync.model.Host;
import io.tsync.model.Secret;
import io.tsync.platform.DaemonOptions;
import io.tsync.platform.Platform;
import io.tsync.platform.Platforms;
import io.tsync.plan.Desired;
import io.tsync.plan.Planner;
import io.tsync.plan.Step;
import io.tsync.render.KeyFiles;
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
 * Runs hosts in parallel (bounded by forks). Per host: connect once, gather facts in one exec,
 * plan, then apply the steps in order, stopping at the first failure (rolling a rejected config
 * back). Other hosts are never stopped by one host's failure.
 */
public final class Executor {
    /** Opens the transport for a host; SSH in production. */
    public interface Connector {
        Transport open(Host host) throws IOException;
    }

    /** Settings of one run. */
    public record Options(boolean check, boolean diff, int forks, Duration commandTimeout) {}

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
            List<Step> plan = new ArrayList<>();
            List<Step> applied = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            StringBuilder diff = new StringBuilder();
            int ok = 0;
            String platformId = null;
            Facts facts = null; // gathered again for a later play only when a play changed the host
            for (Desired desired : job.targets()) {
                if (facts == null) {
                    ExecResult fr = t.execUnprivileged(FactsProbe.command(), options.commandTimeout());
                    reporter.command(host.name(), "(facts probe)", fr);
                    if (!fr.ok()) {
                        return failed(host, plan, applied, ok, "gathering facts failed: " + fr.errorText(), platformId);
                    }
                    facts = FactsProbe.parse(fr.stdout());
                    facts = readKeyFilesPrivileged(t, host, facts, job);
                }
                Planned planned;
                try {
                    planned = plan(facts, desired, renderer);
                } catch (Planner.PlanRefused e) {
                    return failed(host, plan, applied, ok, e.getMessage(), platformId);
                }
                platformId = planned.platform();
                List<Step> steps = planned.steps();
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
                for (Step step : steps) {
                    if (cancelled.get()) {
                        return failed(host, plan, applied, ok, "interrupted before '" + step.title() + "'", platformId);
                    }
                    RemoteCommand cmd = Commands.of(step);
                    ExecResult r = t.exec(cmd.script(), cmd.stdin(), options.commandTimeout());
                    reporter.command(host.name(), cmd.script(), r);
                    // step_now says by how much it stepped; other steps say why they ran
                    String done = step instanceof Step.StepClock && !r.stdout().isBlank() ? r.stdout().strip() : step.reason();
                    reporter.stepDone(host.name(), step, r.ok(), r.ok() ? done : r.errorText());
                    if (!r.ok()) {
                        String msg = "'" + step.title() + "' failed (exit " + r.exit() + "): " + r.errorText();
                        msg += rollbackIfNeeded(t, step, applied);
                        return failed(host, plan, applied, ok, msg, platformId, warnings);
                    }
                    applied.add(step);
                }
            }
            Outcome outcome = options.check() ? (plan.isEmpty() ? Outcome.OK : Outcome.PENDING)
                    : (applied.isEmpty() ? Outcome.OK : Outcome.CHANGED);
            return new HostResult(host.name(), outcome, plan, applied, ok, null, diff.isEmpty() ? null : diff.toString(), platformId, warnings);
        } catch (IOException e) {
            return new HostResult(host.name(), Outcome.FAILED, List.of(), List.of(), 0, e.getMessage(), null, null);
        } catch (FactsProbe.FactsException | Renderer.RenderException e) {
            return new HostResult(host.name(), Outcome.FAILED, List.of(), List.of(), 0, e.getMessage(), null, null);
        }
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
        List<Step> written = applied.stream().filter(x -> x instanceof Step.WriteConfig || x instanceof Step.WriteKeys).toList();
        if (written.isEmpty()) {
            return "";
        }
        List<String> paths = written.stream().map(x -> x instanceof Step.WriteConfig w ? w.path() : ((Step.WriteKeys) x).path()).toList();
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

    private static HostResult failed(Host host, List<Step> plan, List<Step> applied, int ok, String msg, String platform) {
        return failed(host, plan, applied, ok, msg, platform, List.of());
    }

    private static HostResult failed(Host host, List<Step> plan, List<Step> applied, int ok, String msg, String platform, List<String> warnings) {
        return new HostResult(host.name(), Outcome.FAILED, plan, applied, ok, msg, null, platform, warnings);
    }

    /** Managed items per desired state: timezone; package, config, key file (with keys), enabled, running. */
    static int checks(Desired d) {
        return (d.timezone() != null ? 1 : 0) + (d.ntp() != null ? 4 : 0)
                + (d.ntp() != null && !d.ntp().advanced().keys().isEmpty() ? 1 : 0);
    }

    static int categories(List<Step> steps) {
        int tz = 0;
        int pkg = 0;
        int conf = 0;
        int keys = 0;
        int enable = 0;
        int run = 0;
        for (Step s : steps) {
            if (s instanceof Step.SetTimezone) {
                tz = 1;
            } else if (s instanceof Step.InstallPackage) {
                pkg = 1;
            } else if (s instanceof Step.WriteConfig) {
                conf = 1;
            } else if (s instanceof Step.WriteKeys) {
                keys = 1;
            } else if (s instanceof Step.EnableService) {
                enable = 1;
            } else if (s instanceof Step.StartService || s instanceof Step.RestartService) {
                run = 1;
            }
        }
        return tz + pkg + conf + keys + enable + run;
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
            } else if (s instanceof Step.WriteConfig w) {
                sb.append(UnifiedDiff.diff(w.previous() == null ? "" : w.previous(), w.content(),
                        host.name() + ":" + w.path() + (w.previous() == null ? " (absent)" : ""),
                        host.name() + ":" + w.path() + " (tsync)", 3));
            }
        }
        return sb.toString();
    }
}
