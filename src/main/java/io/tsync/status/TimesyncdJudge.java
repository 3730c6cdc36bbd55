package io.tsync.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * systemd-timesyncd is an SNTP client with one server at a time. "synced" here means: a server is
 * selected and its last reply was usable (a stratum from 1 to 15, no alarm leap indicator, not
 * ignored). The kernel's NTPSynchronized flag is not required: it stays "no" where timesyncd may not
 * adjust the clock (a container without CAP_SYS_TIME), which the detail then says.
 */
record TimesyncdJudge() implements SyncJudge {
    @Override
    public SyncJudgement judge(DetectedDaemon found, ProbeOutput out) {
        ProbeSection show = out.section("timesync-show");
        ProbeSection status = out.section("timesync-status");
        ProbeSection kernel = out.section("timesync-kernel");
        if (show == null || !show.ok()) {
            return SyncJudgement.down(List.of(show == null ? "timedatectl show-timesync did not run"
                    : show.notInstalled() ? "timedatectl is not installed" : "timedatectl show-timesync: "
                    + show.body().lines().findFirst().orElse("exit code " + show.exitCode())), List.of());
        }
        Map<String, String> v = KeyValueLines.parse(show.body());
        Map<String, String> msg = TimesyncdParsers.ntpMessage(v.getOrDefault("NTPMessage", ""));
        String name = v.getOrDefault("ServerName", "");
        String address = v.getOrDefault("ServerAddress", "");
        Integer stratum = TimesyncdParsers.integer(msg.get("Stratum"));
        Integer packets = TimesyncdParsers.integer(msg.get("PacketCount"));
        Integer leap = TimesyncdParsers.integer(msg.get("Leap"));
        Integer poll = TimesyncdParsers.pollLog2(v.get("PollIntervalUSec"));
        boolean replied = packets != null && packets > 0 && stratum != null;
        boolean usable = replied && stratum > 0 && stratum < 16 && leap != null && leap != 3 && !"yes".equals(msg.get("Ignored"));
        Double offset = status != null && status.ok() ? TimesyncdParsers.offsetSeconds(status.body()) : null;
        List<Source> sources = List.of();
        if (!address.isEmpty()) {
            sources = List.of(new Source(usable ? '*' : '?', usable ? '*' : '?', "server", address, null,
                    stratum == null ? 0 : stratum, poll == null ? 0 : poll, replied ? 1 : 0, null, offset, null, null,
                    status != null && status.ok() ? TimesyncdParsers.seconds(status.body(), "Delay") : null, null));
        }
        String server = name.isEmpty() ? address : address.isEmpty() ? name : name + " (" + address + ")";
        String lead = server.isEmpty() ? "systemd-timesyncd: no server selected"
                : "systemd-timesyncd: server " + server + (replied ? ", " + packets + (packets == 1 ? " reply" : " replies")
                + (poll == null ? "" : ", poll " + v.get("PollIntervalUSec")) : ", no reply yet");
        List<String> notes = new ArrayList<>();
        if (replied && !usable) {
            notes.add("its reply is not usable (stratum " + stratum + ", leap " + leap + ")");
        }
        if (kernel != null && kernel.ok() && "no".equals(kernel.body().strip())) {
            notes.add("kernel clock not marked synchronised (NTPSynchronized=no: timesyncd could not adjust it, e.g. no CAP_SYS_TIME)");
        }
        if (usable) {
            return new SyncJudgement(Verdict.SYNCED, sources, address, stratum + 1, offset, null, null,
                    TimesyncdParsers.leap(leap), false, List.of(lead), notes);
        }
        return new SyncJudgement(address.isEmpty() && name.isEmpty() ? Verdict.UNSYNCED : Verdict.SYNCING, sources, null,
                null, null, null, null, null, false, List.of(lead), notes);
    }
}
