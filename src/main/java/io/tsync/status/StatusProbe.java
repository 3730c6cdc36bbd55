package io.tsync.status;

import io.tsync.transport.Bounds;
import java.util.ArrayList;
import java.util.List;

/**
 * The probe behind {@code tsync status}, as the caller sees it: {@link #command()} is the script run on a host in one
 * exec ({@link StatusScript}), and {@link #parse} turns what it printed into a {@link HostStatus}. Nothing here talks
 * to the network. The steps of reading, each in its own type: {@link ProbeOutput} splits the output into sections,
 * {@link SystemdUnits} and {@link LocalTimeParsers} read the host's units, clock and zone, {@link DetectedDaemon}
 * tells which daemon runs, a {@link SyncJudge} judges it, and {@link SourceSummary} opens the detail.
 */
public final class StatusProbe {
    /** First line of the probe output; the number is the format version. */
    public static final String HEADER = StatusScript.HEADER;

    private StatusProbe() {}

    /** The probe script (see {@link StatusScript#text()}). */
    public static String command() {
        return StatusScript.text();
    }

    /** The status of a host that could not be probed, e.g. because ssh failed. */
    public static HostStatus unreachable(String host, String error) {
        String detail = error == null || error.isBlank() ? "ssh failed" : oneLine(error);
        return new HostStatus(host, null, null, null, null, null, null, null, null, null, null, null, null, List.of(),
                Verdict.UNREACHABLE, detail);
    }

    /** Parses the output of {@link #command()} run on {@code hostName}. */
    public static HostStatus parse(String hostName, String output) {
        ProbeOutput out = ProbeOutput.read(output);
        if (!out.recognised()) {
            String first = output.strip().lines().findFirst().orElse("");
            return unreachable(hostName, first.isEmpty() ? "probe printed nothing"
                    : "probe output not recognised: " + first);
        }
        ProbeSection systemctl = out.section("systemctl");
        DetectedDaemon found = DetectedDaemon.detect(systemctl == null ? List.of() : SystemdUnits.parse(systemctl.body()), out);
        SyncJudgement j = SyncJudge.of(found.daemon()).judge(found, out);

        List<String> detail = new ArrayList<>();
        if (j.summarize() && j.verdict() != Verdict.DAEMON_DOWN) {
            detail.add(SourceSummary.of(j.sources()));
        }
        List<String> tooLong = out.tooLong();
        if (!tooLong.isEmpty()) {
            detail.add(String.join(", ", tooLong) + " printed more than " + Bounds.size(Bounds.STATUS_COMMAND) + "; tsync reads up to "
                    + Bounds.size(Bounds.STATUS_COMMAND) + " of a status command's output and ignored "
                    + (tooLong.size() == 1 ? "it" : "theirs") + " (the real tools print a few KiB: look on the host for a wrapper first on root's PATH)");
        }
        detail.addAll(j.lead());
        if (!out.ended()) {
            detail.add("probe output truncated");
        }
        detail.addAll(j.notes());

        UnitState unit = found.unit();
        return new HostStatus(hostName, LocalTimeParsers.dateTime(out.body("date")), LocalTimeParsers.timezone(out.body("tz")),
                found.daemon(), unit == null ? null : unit.active(), unit == null ? null : unit.enabled(),
                j.selectedSource(), j.stratum(), j.lastOffsetSeconds(), j.rmsOffsetSeconds(), j.reach(), j.leap(),
                HostStatus.countStates(j.sources()), j.sources(), j.verdict(), String.join("; ", detail));
    }

    private static String oneLine(String s) {
        return String.join(" ", s.strip().split("\\s*\\R\\s*"));
    }
}
