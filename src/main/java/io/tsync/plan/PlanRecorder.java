package io.tsync.plan;

import io.tsync.facts.Facts;
import io.tsync.model.Host;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@code apply --check --out}: keeps, per host, the facts each plan was made from and its steps' signatures. */
public final class PlanRecorder implements PlanWatch {
    /** One host's facts (as items) and its steps, all plays. */
    public record Recorded(Map<String, String> facts, List<SavedPlan.PlannedStep> steps) {}

    private final String salt;
    private final Map<String, Map<String, String>> facts = new ConcurrentHashMap<>();
    private final Map<String, List<SavedPlan.PlannedStep>> steps = new ConcurrentHashMap<>();

    public PlanRecorder(String salt) {
        this.salt = salt;
    }

    @Override
    public String admit(Host host, int play, Facts f, List<Step> planned) {
        if (f != null && play == 0) {
            facts.put(host.name(), PlanFacts.items(f, salt));
        }
        List<SavedPlan.PlannedStep> mine = steps.computeIfAbsent(host.name(), h -> new ArrayList<>());
        synchronized (mine) {
            mine.removeIf(s -> s.play() == play);
            planned.forEach(s -> mine.add(PlanFacts.signature(play, s, salt)));
        }
        return null;
    }

    /** What was recorded for {@code host}, or null when its facts were never gathered (unreachable, failed before planning). */
    public Recorded of(String host) {
        Map<String, String> f = facts.get(host);
        return f == null ? null : new Recorded(f, List.copyOf(steps.getOrDefault(host, List.of())));
    }
}
