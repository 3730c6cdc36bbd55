package io.tsync.exec;

import io.tsync.clock.ClockOffset;
import io.tsync.clock.ClockProbe;
import io.tsync.facts.Facts;
import io.tsync.facts.FactsProbe;
import io.tsync.plan.Desired;
import io.tsync.render.Renderer;
import io.tsync.status.HostStatus;
import io.tsync.status.StatusProbe;
import io.tsync.status.Verdict;
import io.tsync.transport.RemoteProcess;
import io.tsync.transport.Transport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Gathers the sync status of hosts in parallel: per host one connection and ONE exec running the
 * facts probe and the status probe together; with a playbook, also whether the host matches it
 * (the planner finds nothing to do). Then, in the same exec, the host's clock against the
 * controller's ({@link ClockProbe}).
 */
public final class StatusGatherer {
    private StatusGatherer() {}

    /**
     * A host's status, and with a playbook, "matches" / "drift: ..." (else null); its platform as
     * os-release names it ({@code debian12}, {@code ubuntu24.04}; null when unknown).
     */
    public record Row(HostStatus status, String playbook, int pendingChanges, String platform) {
        public Row(HostStatus status, String playbook, int pendingChanges) {
            this(status, playbook, pendingChanges, null);
        }

        public boolean synced() {
            return status.verdict() == Verdict.SYNCED;
        }
    }

    /** Prints os-release's ID and VERSION_ID lines after "@platform"; {@link #platform} reads them. */
    static final String PLATFORM_COMMAND = "echo @platform; grep -E '^(ID|VERSION_ID)=' /etc/os-release 2>/dev/null || true";

    /** {@code ID} and {@code VERSION_ID} joined ({@code debian12}) from the lines after "@platform", or null. */
    static String platform(String output) {
        String id = null;
        String version = "";
        boolean in = false;
        for (String line : output.split("\n")) {
            if (line.equals("@platform")) {
                in = true;
            } else if (in && (line.startsWith("@") || line.isEmpty())) {
                break;
            } else if (in && line.startsWith("ID=")) {
                id = unquote(line.substring(3));
            } else if (in && line.startsWith("VERSION_ID=")) {
                version = unquote(line.substring(11));
            }
        }
        String p = id == null || id.isEmpty() ? null : id + version;
        return p == null || !p.matches("[A-Za-z0-9._+-]{1,64}") ? null : p;
    }

    private static String unquote(String v) {
        String s = v.strip();
        return s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'")) ? s.substring(1, s.length() - 1) : s;
    }

    /** The longest wait for one answer of the clock probe. */
    static final Duration CLOCK_TIMEOUT = Duration.ofSeconds(10);

    /** The status with its measured clock, or with why it could not be measured in its detail. */
    static HostStatus measured(HostStatus status, ClockOffset clock, String failed) {
        if (status.verdict() == Verdict.UNREACHABLE) {
            return status;
        }
        if (clock != null) {
            return status.withClock(clock, status.verdict(), status.detail());
        }
        String note = "clock not measured: " + (failed == null || failed.isBlank() ? "no answer" : failed.strip());
        return status.withClock(null, status.verdict(), status.detail().isEmpty() ? note : status.detail() + "; " + note);
    }

    public static List<Row> gather(List<HostJob> jobs, Executor.Connector connector, int forks, Renderer renderer, Duration timeout) {
        return Parallel.map(jobs, forks, "tsync-status", job -> one(job, connector, renderer, timeout),
                (job, e) -> new Row(StatusProbe.unreachable(job.host().name(), "internal error: " + e), null, 0));
    }

    static Row one(HostJob job, Executor.Connector connector, Renderer renderer, Duration timeout) {
        String name = job.host().name();
        boolean withPlaybook = !job.targets().isEmpty() && renderer != null;
        // the whole script says how long it ran on the host (label "status"), after the status probe's @end
        String script = RemoteElapsed.wrap("status", (withPlaybook ? FactsProbe.command() + "\n" : "") + PLATFORM_COMMAND + "\n" + StatusProbe.command());
        String out;
        ClockOffset clock = null;
        String clockFailed = null;
        // one channel: the probes, then the clock loop answering the controller's pings on the same shell
        try (Transport t = connector.open(job.host()); RemoteProcess p = t.start(ClockProbe.after(script))) {
            out = ClockProbe.probeOutput(name, p, timeout);
            try {
                clock = ClockProbe.sample(p, timeout.compareTo(CLOCK_TIMEOUT) < 0 ? timeout : CLOCK_TIMEOUT);
            } catch (IOException e) {
                clockFailed = e.getMessage();
            }
        } catch (IOException e) {
            return new Row(StatusProbe.unreachable(name, e.getMessage()), withPlaybook ? "-" : null, 0);
        }
        int split = out.indexOf(StatusProbe.HEADER);
        HostStatus status = measured(StatusProbe.parse(name, split < 0 ? out : out.substring(split)), clock, clockFailed);
        String platform = platform(split < 0 ? out : out.substring(0, split));
        if (!withPlaybook) {
            return new Row(status, null, 0, platform);
        }
        try {
            Facts facts = FactsProbe.parse(split < 0 ? out : out.substring(0, split));
            List<String> titles = new ArrayList<>();
            for (Desired d : job.targets()) {
                Executor.plan(facts, d, renderer).steps().forEach(s -> titles.add(s.title()));
            }
            String match = titles.isEmpty() ? "matches" : "drift: " + String.join(", ", titles);
            return new Row(status, match, titles.size(), platform);
        } catch (Exception e) {
            return new Row(status, "cannot plan: " + e.getMessage(), 1, platform);
        }
    }
}
