package io.tsync.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link SyncJudge} concluded from one daemon's sections: the verdict, the figures behind it and the notes
 * that explain it. Any figure may be {@code null} when unknown.
 *
 * @param summarize whether the detail opens with a count of the sources by state ({@link SourceSummary})
 * @param lead notes that open the detail: why the daemon is down or unreadable, or which server timesyncd uses
 * @param notes notes that follow, after the probe's own (output truncated)
 */
record SyncJudgement(Verdict verdict, List<Source> sources, String selectedSource, Integer stratum,
        Double lastOffsetSeconds, Double rmsOffsetSeconds, Integer reach, String leap, boolean summarize,
        List<String> lead, List<String> notes) {

    SyncJudgement {
        sources = List.copyOf(sources);
        lead = List.copyOf(lead);
        notes = List.copyOf(notes);
    }

    /** The daemon is down (or not installed): no figures, {@code lead} says why. */
    static SyncJudgement down(List<String> lead, List<String> notes) {
        return new SyncJudgement(Verdict.DAEMON_DOWN, List.of(), null, null, null, null, null, null, true, lead, notes);
    }

    /**
     * The daemon's control {@code tool} does not talk to it: why, in the order an operator checks it (its unit is
     * not active, the tool did not run, is not installed, timed out, or what it printed).
     */
    static SyncJudgement down(UnitState unit, String tool, ProbeSection section, Optional<String> error) {
        List<String> why = new ArrayList<>();
        if (unit != null && !unit.active()) {
            why.add(unit.describe());
        }
        if (section == null) {
            why.add(tool + " did not run");
        } else if (section.notInstalled()) {
            why.add(tool + " is not installed");
        } else if (section.exitCode() != null && section.exitCode() == ProbeSection.TIMED_OUT) {
            why.add(tool + " timed out");
        } else {
            String msg = error.orElseGet(() -> section.body().lines().map(String::strip).filter(l -> !l.isEmpty())
                    .findFirst().orElse("exit code " + section.exitCode()));
            why.add(msg.startsWith(tool + ":") ? msg : tool + ": " + msg);
        }
        return down(why, List.of());
    }

    /** The daemon answered with a source list that cannot be read: not called synced, {@code why} opens the detail. */
    static SyncJudgement unreadable(String why, List<String> notes) {
        return new SyncJudgement(Verdict.UNSYNCED, List.of(), null, null, null, null, null, null, false, List.of(why), notes);
    }

    /** This judgement with {@code more} notes at the end. */
    SyncJudgement withNotes(List<String> more) {
        List<String> all = new ArrayList<>(notes);
        all.addAll(more);
        return new SyncJudgement(verdict, sources, selectedSource, stratum, lastOffsetSeconds, rmsOffsetSeconds, reach,
                leap, summarize, lead, all);
    }
}
