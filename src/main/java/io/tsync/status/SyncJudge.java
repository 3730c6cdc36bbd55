package io.tsync.status;

import io.tsync.model.Daemon;
import java.util.List;

/** Judges how well a host keeps time from the probe sections of the daemon it runs: one judge per kind of daemon. */
sealed interface SyncJudge permits ChronyJudge, NtpdJudge, TimesyncdJudge, NoDaemonJudge {

    /** The verdict for the daemon {@code found}, from its sections of {@code out}. */
    SyncJudgement judge(DetectedDaemon found, ProbeOutput out);

    /** The judge for {@code daemon}; {@code null} when none was found. */
    static SyncJudge of(Daemon daemon) {
        if (daemon == null) {
            return new NoDaemonJudge();
        }
        return switch (daemon) {
            case CHRONY -> new ChronyJudge();
            case NTPD -> new NtpdJudge();
            case TIMESYNCD -> new TimesyncdJudge();
        };
    }

    /** The selected ({@code *}) source, or {@code null}. */
    static Source selected(List<Source> sources) {
        return sources.stream().filter(x -> x.state() == '*').findFirst().orElse(null);
    }

    /** Whether a source other than a pool entry answers. */
    static boolean anyReachable(List<Source> sources) {
        return sources.stream().anyMatch(x -> !x.poolPlaceholder() && x.reachable());
    }
}
