package io.tsync.run;

import static io.tsync.transport.Shell.quote;

import io.tsync.exec.Commands;
import io.tsync.exec.HostResult;
import io.tsync.exec.RemoteCommand;
import io.tsync.plan.Step;
import io.tsync.transport.ExecResult;
import io.tsync.transport.Transport;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Puts a host of a stopped wave back on the time config it had before this run: the files this run
 * wrote come back from their {@code .tsync-bak} copies and the daemon that ran before runs on them
 * again ({@link Commands#rollback}, as after a failed restart). A host whose config this run created
 * (first install) has nothing to go back to and is left as it is.
 */
final class WaveRollback {
    private WaveRollback() {}

    /** What rolling back {@code r} would do: a script to run, or why nothing is run. */
    sealed interface Plan permits Run, Leave {}

    record Run(RemoteCommand command, List<String> paths, String unit, List<String> previousUnits) implements Plan {}

    record Leave(String why) implements Plan {}

    static Plan plan(HostResult r) {
        List<Step> written = r.applied().stream().filter(s -> s instanceof Step.WriteConfig || s instanceof Step.WriteKeys).toList();
        if (written.isEmpty()) {
            return new Leave("left as it is: this run wrote none of its time config files, so there is nothing to put back");
        }
        Step.WriteConfig config = written.stream().filter(Step.WriteConfig.class::isInstance).map(Step.WriteConfig.class::cast).findFirst().orElse(null);
        if (config != null && config.previous() == null) {
            return new Leave("left as it is: it had no " + config.path() + " before this run (first install), so there is no previous config to go back to");
        }
        List<String> paths = written.stream().map(s -> s instanceof Step.WriteConfig w ? w.path() : ((Step.WriteKeys) s).path()).toList();
        String unit = config != null ? config.unit() : ((Step.WriteKeys) written.get(0)).unit();
        List<String> previous = r.applied().stream().filter(Step.StopService.class::isInstance).map(s -> ((Step.StopService) s).unit()).toList();
        RemoteCommand restore = Commands.rollback(paths, unit);
        if (previous.isEmpty()) {
            return new Run(restore, paths, unit, previous);
        }
        // the run switched daemons: stop the new one and start the one it stopped, if its package is still there
        StringBuilder s = new StringBuilder(restore.script());
        s.append("systemctl disable --now ").append(quote(unit)).append(" 2>&1 || true\n");
        for (String old : previous) {
            s.append("o=").append(quote(old)).append("\n")
                    .append("if systemctl cat \"$o\" >/dev/null 2>&1; then systemctl enable --now \"$o\" 2>&1 || true; echo \"$o $(systemctl is-active \"$o\")\"; ")
                    .append("else echo \"$o is no longer installed\"; fi\n");
        }
        return new Run(RemoteCommand.of(s.toString()), paths, unit, previous);
    }

    /** Runs the rollback on {@code t}; the line the recap shows. */
    static String run(Transport t, Plan plan, Duration timeout) {
        if (plan instanceof Leave l) {
            return l.why();
        }
        Run run = (Run) plan;
        try {
            ExecResult r = t.exec(run.command().script(), run.command().stdin(), timeout);
            String last = r.stdout().strip().lines().reduce((a, b) -> b).orElse("?");
            return "rolled back: restored the previous " + String.join(" and ", run.paths())
                    + (run.previousUnits().isEmpty() ? " and restarted " + run.unit() + " (" + last + ")"
                    : ", stopped " + run.unit() + " and started " + String.join(", ", run.previousUnits()) + " again (" + last + ")");
        } catch (IOException e) {
            return "ROLLBACK FAILED: " + e.getMessage() + "; the host keeps the new config";
        }
    }
}
