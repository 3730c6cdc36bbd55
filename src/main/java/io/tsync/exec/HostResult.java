package io.tsync.exec;

import io.tsync.plan.Step;
import java.util.List;

/**
 * The result of one host's run.
 *
 * @param plan    every step planned (in --check: every step that would run)
 * @param applied the steps that ran successfully
 * @param ok      managed items found already right (timezone, package, config, enabled, running)
 * @param message why the host failed or is unreachable; null otherwise
 * @param diff    unified diffs of planned changes (only with --diff)
 * @param warnings what the operator should know that is no step (step_now skipped, a drop-in overriding tsync's)
 */
public record HostResult(String host, Outcome outcome, List<Step> plan, List<Step> applied, int ok, String message, String diff,
                         String platform, List<String> warnings) {
    public HostResult {
        plan = List.copyOf(plan);
        applied = List.copyOf(applied);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    public HostResult(String host, Outcome outcome, List<Step> plan, List<Step> applied, int ok, String message, String diff, String platform) {
        this(host, outcome, plan, applied, ok, message, diff, platform, List.of());
    }

    public int changed() {
        return applied.size();
    }
}
