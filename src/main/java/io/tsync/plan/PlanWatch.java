package io.tsync.plan;

import io.tsync.facts.Facts;
import io.tsync.model.Host;
import java.util.List;

/**
 * Sees each play's plan of a host before anything of it runs: a saved plan's recorder keeps it
 * ({@code apply --check --out}), a saved plan's gate compares it with what was saved ({@code apply
 * PLAN}) and refuses the host when the world moved on.
 */
public interface PlanWatch {
    /**
     * @param play  the play's index in the host's list of plays
     * @param facts the facts the plan was made from; null when an earlier play of this run already
     *              changed the host (its facts then differ from any saved plan's by design)
     * @return why the host must not go ahead (the executor reports it as the host's failure and
     *         changes nothing more on it), or null
     */
    String admit(Host host, int play, Facts facts, List<Step> steps);
}
