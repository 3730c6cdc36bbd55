package io.tsync.status;

import java.util.List;

/** Neither chrony nor ntpd is installed, nor is systemd-timesyncd's unit in charge: the daemon is down. */
record NoDaemonJudge() implements SyncJudge {
    @Override
    public SyncJudgement judge(DetectedDaemon found, ProbeOutput out) {
        return SyncJudgement.down(List.of("neither chrony nor ntpd is installed"),
                found.timesyncdActive() ? List.of("systemd-timesyncd is active") : List.of());
    }
}
