package io.tsync.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * ntpd (classic or NTPsec), from ntpq: synced when a source other than the local clock is selected; only the local
 * clock ({@code .LOCL.}) is unsynced; syncing while some source answers; else unsynced.
 */
record NtpdJudge() implements SyncJudge {
    @Override
    public SyncJudgement judge(DetectedDaemon found, ProbeOutput out) {
        ProbeSection np = out.section("ntpq-peers");
        ProbeSection nr = out.section("ntpq-rv");
        UnitState unit = found.unit();
        if (!found.answers()) {
            return SyncJudgement.down(unit, "ntpq", np, np == null ? Optional.empty() : NtpqParsers.error(np.body()));
        }
        List<String> notes = new ArrayList<>();
        if (unit != null && !unit.active()) {
            notes.add(unit.describe() + " but ntpd answers");
        }
        List<Source> sources;
        try {
            sources = NtpqParsers.peers(np.body());
        } catch (IllegalArgumentException e) {
            return SyncJudgement.unreadable("cannot parse ntpq peers: " + e.getMessage(), notes);
        }
        NtpSystemVars vars = null;
        if (nr != null && nr.ok() && NtpqParsers.error(nr.body()).isEmpty()) {
            try {
                vars = NtpqParsers.systemVars(nr.body());
            } catch (IllegalArgumentException e) {
                notes.add("cannot parse ntpq rv: " + e.getMessage());
            }
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
        if (vars != null) {
            leap = vars.leap();
            stratum = vars.stratum();
            lastOffset = vars.offsetSeconds();
            rmsOffset = vars.sysJitterSeconds();
        }
        if (star != null) {
            if (stratum == null) {
                stratum = star.stratum() + 1;
            }
            if (lastOffset == null) {
                lastOffset = star.offsetSeconds();
            }
        }
        boolean local = star != null && (".LOCL.".equals(star.refid()) || star.address().startsWith("127.127.1."));
        Verdict verdict;
        if (star != null && !local) {
            verdict = Verdict.SYNCED;
        } else if (local) {
            verdict = Verdict.UNSYNCED;
            notes.add("only the local clock is selected (.LOCL.)");
        } else if (SyncJudge.anyReachable(sources)) {
            verdict = Verdict.SYNCING;
        } else {
            verdict = Verdict.UNSYNCED;
        }
        long pools = sources.stream().filter(Source::poolPlaceholder).count();
        if (pools > 0) {
            notes.add(pools + (pools == 1 ? " pool entry" : " pool entries"));
        }
        if (vars != null && star != null && ChronyParsers.LEAP_UNSYNCHRONISED.equals(vars.leap())) {
            notes.add("leap status " + vars.leap());
        }
        return new SyncJudgement(verdict, sources, selected, stratum, lastOffset, rmsOffset, reach, leap, true, List.of(), notes);
    }
}
