package io.tsync.status;

import io.tsync.model.Daemon;
import java.util.List;

/**
 * Which time daemon a host runs, as told by the probe: an active unit first (chrony, then ntpd, then
 * systemd-timesyncd), then a control tool that answers (chronyc, then ntpq), then an installed unit, then an installed
 * tool.
 *
 * @param daemon the daemon, {@code null} when neither chrony nor ntpd nor an active timesyncd is found
 * @param unit its systemd unit, {@code null} without systemd or when none is loaded
 * @param answers whether its control tool talks to it (chronyc or ntpq; always false for timesyncd)
 * @param timesyncdActive whether systemd-timesyncd's unit is active (told in the detail when no daemon is found)
 */
record DetectedDaemon(Daemon daemon, UnitState unit, boolean answers, boolean timesyncdActive) {
    static final List<String> CHRONY_UNITS = List.of("chrony.service", "chronyd.service");
    static final List<String> NTPD_UNITS = List.of("ntpsec.service", "ntp.service", "ntpd.service");
    static final String TIMESYNCD = "systemd-timesyncd.service";

    /** Detects the daemon from the host's units and the chronyc and ntpq sections of {@code out}. */
    static DetectedDaemon detect(List<UnitState> units, ProbeOutput out) {
        UnitState chronyUnit = SystemdUnits.pick(units, CHRONY_UNITS);
        UnitState ntpUnit = SystemdUnits.pick(units, NTPD_UNITS);
        UnitState timesyncdUnit = SystemdUnits.pick(units, List.of(TIMESYNCD));
        ProbeSection cs = out.section("chronyc-sources");
        ProbeSection np = out.section("ntpq-peers");
        boolean chronycTalks = cs != null && cs.ok() && ChronyParsers.error(cs.body()).isEmpty();
        boolean ntpqTalks = np != null && np.exitCode() != null && !np.notInstalled()
                && np.exitCode() != ProbeSection.TIMED_OUT && NtpqParsers.error(np.body()).isEmpty()
                && (np.ok() || !np.body().isBlank());
        boolean timesyncdActive = units.stream().anyMatch(u -> u.requested().equals(TIMESYNCD) && u.active());

        Daemon daemon;
        if (chronyUnit != null && chronyUnit.active()) {
            daemon = Daemon.CHRONY;
        } else if (ntpUnit != null && ntpUnit.active()) {
            daemon = Daemon.NTPD;
        } else if (timesyncdUnit != null && timesyncdUnit.active()) {
            daemon = Daemon.TIMESYNCD;
        } else if (chronycTalks) {
            daemon = Daemon.CHRONY;
        } else if (ntpqTalks) {
            daemon = Daemon.NTPD;
        } else if (chronyUnit != null) {
            daemon = Daemon.CHRONY;
        } else if (ntpUnit != null) {
            daemon = Daemon.NTPD;
        } else if (cs != null && !cs.notInstalled()) {
            daemon = Daemon.CHRONY;
        } else if (np != null && !np.notInstalled()) {
            daemon = Daemon.NTPD;
        } else {
            daemon = null;
        }
        if (daemon == null) {
            return new DetectedDaemon(null, null, false, timesyncdActive);
        }
        return switch (daemon) {
            case CHRONY -> new DetectedDaemon(daemon, chronyUnit, chronycTalks, timesyncdActive);
            case NTPD -> new DetectedDaemon(daemon, ntpUnit, ntpqTalks, timesyncdActive);
            case TIMESYNCD -> new DetectedDaemon(daemon, timesyncdUnit, false, timesyncdActive);
        };
    }
}
