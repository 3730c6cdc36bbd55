package io.tsync.plan;

import io.tsync.facts.Facts;
import io.tsync.model.Host;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code apply PLAN}: lets a host go ahead only while its facts are those the plan was made from and
 * its plan is the saved one, step for step (the same files, by hash; the same keys, by HMAC).
 */
public final class PlanGate implements PlanWatch {
    private final SavedPlan plan;
    private final Map<String, SavedPlan.HostPlan> byHost;

    public PlanGate(SavedPlan plan) {
        this.plan = plan;
        this.byHost = plan.hosts().stream().collect(Collectors.toMap(SavedPlan.HostPlan::host, Function.identity()));
    }

    @Override
    public String admit(Host host, int play, Facts facts, List<Step> steps) {
        SavedPlan.HostPlan planned = byHost.get(host.name());
        if (planned == null) {
            return host.name() + " is not in the plan";
        }
        if (facts != null) {
            String stale = Staleness.host(planned, PlanFacts.items(facts, plan.salt()));
            if (stale != null) {
                return stale;
            }
        }
        return Staleness.steps(planned, play, steps.stream().map(s -> PlanFacts.signature(play, s, plan.salt())).toList());
    }
}
