package io.tsync.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * chronyd: synced when a source is selected and chronyc tracking (when read) calls the clock synchronised; syncing
 * while some source answers; else unsynced. Local mode without sources is unsynced, with the local reference shown.
 */
record ChronyJudge() implements SyncJudge {
    @Override
    public SyncJudgement judge(DetectedDaemon found, ProbeOutput out) {
        return read(found, out.section("chronyc-sources"), out.section("chronyc-tracking"))
                .withNotes(NtsStatus.notes(out.section("chronyc-authdata"), out.section("nts-log")));
    }

    private static SyncJudgement read(DetectedDaemon found, ProbeSection cs, ProbeSection ct) {
        UnitState unit = found.unit();
        if (!found.answers()) {
            return SyncJudgement.down(unit, "chronyc", cs, cs == null ? Optional.empty() : ChronyParsers.error(cs.body()));
        }
        List<String> notes = new ArrayList<>();
        if (unit != null && !unit.active()) {
            notes.add(unit.describe() + " but chronyd answers");
        }
        List<Source> sources;
        try {
            sources = ChronyParsers.sources(cs.body());
        } catch (IllegalArgumentException e) {
            return SyncJudgement.unreadable("cannot parse chronyc sources: " + e.getMessage(), notes);
        }
        ChronyTracking t = null;
        if (ct != null && ct.ok() && ChronyParsers.error(ct.body()).isEmpty()) {
            try {
                t = ChronyParsers.tracking(ct.body());
            } catch (IllegalArgumentException e) {
                notes.add("cannot parse chronyc tracking: " + e.getMessage());
            }
        } else {
            notes.add(ct == null ? "no chronyc tracking output" : "chronyc tracking failed");
        }
        Source star = SyncJudge.selected(sources);
        String selected = null;
        Integer reach = null;
        Integer stratum = null;
        Double lastOffset = null;
        Double rmsOffset = null;
        String leap = null;
        if (star != null) {
            selected = star.address();
            reach = star.reach();
        }
        if (t != null) {
            leap = t.leapStatus();
            boolean everSynced = !"00000000".equals(t.referenceId());
            if (everSynced) {
                stratum = t.stratum();
                lastOffset = t.lastOffsetSeconds();
                rmsOffset = t.rmsOffsetSeconds();
            }
            if (star == null && t.localMode()) {
                selected = "LOCAL";
            }
        } else if (star != null) {
            stratum = star.stratum() + 1;
        }
        Verdict verdict;
        if (star != null && (t == null || t.synchronised())) {
            verdict = Verdict.SYNCED;
        } else if (SyncJudge.anyReachable(sources)) {
            verdict = Verdict.SYNCING;
        } else {
            verdict = Verdict.UNSYNCED;
        }
        if (t != null && t.localMode()) {
            notes.add("local mode (reference ID " + ChronyTracking.LOCAL_REFERENCE_ID + ", stratum " + t.stratum() + ")");
        }
        if (star != null && t != null && !t.synchronised()) {
            notes.add("leap status " + t.leapStatus());
        }
        return new SyncJudgement(verdict, sources, selected, stratum, lastOffset, rmsOffset, reach, leap, true, List.of(), notes);
    }
}
