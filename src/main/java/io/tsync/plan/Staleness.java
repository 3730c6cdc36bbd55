package io.tsync.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * When a saved plan no longer holds; pure. A plan made from other inputs (playbook, inventory with
 * its group_vars/host_vars, templates, key values) or by another tsync is stale as a whole: its
 * steps were derived from things that are no longer there. A host whose facts moved on is stale
 * alone: the others go ahead.
 */
public final class Staleness {
    private Staleness() {}

    /** What differs between the inputs the plan was made from and those of this run; empty when none. */
    public static List<String> whole(SavedPlan plan, SavedPlan.Input playbook, SavedPlan.Input inventory, SavedPlan.Input templates,
                                     String version, List<SavedPlan.KeyDigest> keysNow) {
        List<String> out = new ArrayList<>();
        if (!Objects.equals(plan.tsyncVersion(), version)) {
            out.add("the plan was made by tsync " + plan.tsyncVersion() + ", this is tsync " + version);
        }
        input(out, "playbook", plan.playbook(), playbook);
        input(out, "inventory (with its group_vars/ and host_vars/)", plan.inventory(), inventory);
        input(out, "template set", plan.templates(), templates);
        for (SavedPlan.KeyDigest k : plan.keys()) {
            SavedPlan.KeyDigest now = keysNow.stream().filter(n -> n.id() == k.id() && n.source().equals(k.source())).findFirst().orElse(null);
            if (now == null) {
                out.add("key " + k.id() + " (" + k.source() + ") is no longer in the playbook");
            } else if (!now.hmac().equals(k.hmac())) {
                out.add("key " + k.id() + " (" + k.source() + ") has another value than when the plan was made");
            }
        }
        for (SavedPlan.KeyDigest n : keysNow) {
            if (plan.keys().stream().noneMatch(k -> k.id() == n.id() && k.source().equals(n.source()))) {
                out.add("key " + n.id() + " (" + n.source() + ") is new since the plan");
            }
        }
        return out;
    }

    private static void input(List<String> out, String what, SavedPlan.Input then, SavedPlan.Input now) {
        if (!Objects.equals(then.path(), now.path())) {
            out.add("the " + what + " was " + show(then.path()) + ", now " + show(now.path()));
        } else if (!then.sha256().equals(now.sha256())) {
            out.add("the " + what + " " + show(now.path()) + " changed since the plan (sha256 " + then.sha256().substring(0, 12)
                    + "... now " + now.sha256().substring(0, 12) + "...)");
        }
    }

    private static String show(String path) {
        return path == null ? "(none)" : path;
    }

    /** Why the host is refused since its facts differ from the plan's, or null when they do not. */
    public static String host(SavedPlan.HostPlan planned, Map<String, String> factsNow) {
        List<String> diffs = PlanFacts.differences(planned.facts(), factsNow);
        if (diffs.isEmpty()) {
            return null;
        }
        return planned.host() + " changed since the plan (" + String.join("; ", diffs) + "): plan again";
    }

    /**
     * Why the host is refused since what it would now do for play {@code play} is not what the plan
     * says, or null when it is the same.
     */
    public static String steps(SavedPlan.HostPlan planned, int play, List<SavedPlan.PlannedStep> now) {
        List<SavedPlan.PlannedStep> then = planned.steps().stream().filter(s -> s.play() == play).toList();
        boolean same = then.size() == now.size();
        for (int i = 0; same && i < then.size(); i++) {
            same = PlanFacts.same(then.get(i), now.get(i));
        }
        if (same) {
            return null;
        }
        return planned.host() + " would now do other steps than the plan says (planned: " + titles(then) + "; now: " + titles(now)
                + "): plan again";
    }

    private static String titles(List<SavedPlan.PlannedStep> steps) {
        return steps.isEmpty() ? "nothing" : String.join(", ", steps.stream().map(SavedPlan.PlannedStep::title).toList());
    }
}
