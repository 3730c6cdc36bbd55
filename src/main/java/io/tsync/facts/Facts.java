package io.tsync.facts;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What tsync knows about a host after its one facts exec.
 *
 * @param packages installed packages (name to version) among chrony, ntp, ntpsec
 * @param units    state of each probed unit, keyed by the name probed (e.g. "chronyd.service" on
 *                 Debian resolves to its alias target, whose {@link Unit#id()} is "chrony.service")
 * @param files    content of each existing config file tsync may manage, keyed by path
 * @param tzdb     false when the host has no tz database (/usr/share/zoneinfo), as minimal images ship
 * @param restartPending services whose config tsync replaced without getting to restart them
 *                 (the connection was lost in between): their daemon still runs the previous file
 * @param ptpDevices     the host's PTP hardware clocks ({@code ls /dev/ptp*})
 * @param clock          whether chronyd may set the clock here
 * @param keyFiles       owner, mode and SHA-256 of each existing key file, never its content
 * @param timesyncdDropins systemd-timesyncd's drop-in file names, in every drop-in directory
 * @param maskedOnRemoval units Debian's deb-systemd-helper masked when their package was removed (not
 *                 an administrator's mask: the package's postinst lifts it when it is installed again)
 */
public record Facts(String osId, String osIdLike, String osVersionId, String prettyName, String virtualization,
                    String timezone, List<String> packageManagers, Map<String, String> packages,
                    Map<String, Unit> units, Map<String, String> files, boolean tzdb, Set<String> restartPending,
                    List<String> ptpDevices, ClockControl clock, Map<String, KeyFileState> keyFiles, List<String> timesyncdDropins,
                    Set<String> maskedOnRemoval) {
    public Facts {
        restartPending = Set.copyOf(restartPending);
        packageManagers = List.copyOf(packageManagers);
        packages = Map.copyOf(packages);
        units = Map.copyOf(units);
        files = Map.copyOf(files);
        ptpDevices = List.copyOf(ptpDevices);
        clock = clock == null ? ClockControl.UNKNOWN : clock;
        keyFiles = Map.copyOf(keyFiles);
        timesyncdDropins = List.copyOf(timesyncdDropins);
        maskedOnRemoval = maskedOnRemoval == null ? Set.of() : Set.copyOf(maskedOnRemoval);
    }

    public Facts(String osId, String osIdLike, String osVersionId, String prettyName, String virtualization,
                 String timezone, List<String> packageManagers, Map<String, String> packages,
                 Map<String, Unit> units, Map<String, String> files, boolean tzdb, Set<String> restartPending,
                 List<String> ptpDevices, ClockControl clock, Map<String, KeyFileState> keyFiles, List<String> timesyncdDropins) {
        this(osId, osIdLike, osVersionId, prettyName, virtualization, timezone, packageManagers, packages, units, files, tzdb, restartPending,
                ptpDevices, clock, keyFiles, timesyncdDropins, Set.of());
    }

    /** Facts without the devices, clock control, key files and drop-ins sections (older probes, tests). */
    public Facts(String osId, String osIdLike, String osVersionId, String prettyName, String virtualization,
                 String timezone, List<String> packageManagers, Map<String, String> packages,
                 Map<String, Unit> units, Map<String, String> files, boolean tzdb, Set<String> restartPending) {
        this(osId, osIdLike, osVersionId, prettyName, virtualization, timezone, packageManagers, packages, units, files, tzdb, restartPending,
                List.of(), ClockControl.UNKNOWN, Map.of(), List.of());
    }

    /** As above, on a host with a tz database and no restart pending. */
    public Facts(String osId, String osIdLike, String osVersionId, String prettyName, String virtualization,
                 String timezone, List<String> packageManagers, Map<String, String> packages,
                 Map<String, Unit> units, Map<String, String> files) {
        this(osId, osIdLike, osVersionId, prettyName, virtualization, timezone, packageManagers, packages, units, files, true, Set.of());
    }

    public Facts withKeyFiles(Map<String, KeyFileState> k) {
        return new Facts(osId, osIdLike, osVersionId, prettyName, virtualization, timezone, packageManagers, packages, units, files,
                tzdb, restartPending, ptpDevices, clock, k, timesyncdDropins, maskedOnRemoval);
    }

    /**
     * Whether chronyd may set this host's clock.
     *
     * @param capSysTime whether CAP_SYS_TIME is in the bounding set (null: unknown); without it no
     *                   process of the host can set the clock (a container)
     * @param chronydX   whether chronyd is started with -x (never control the clock), in its unit's
     *                   ExecStart or in DAEMON_OPTS / OPTIONS
     */
    public record ClockControl(Boolean capSysTime, boolean chronydX) {
        public static final ClockControl UNKNOWN = new ClockControl(null, false);

        /** Why chronyd cannot step the clock here, or null when nothing says it cannot. */
        public String whyChronyCannotStep() {
            if (chronydX) {
                return "chronyd runs with -x (it does not control the clock)";
            }
            if (Boolean.FALSE.equals(capSysTime)) {
                return "the host has no CAP_SYS_TIME (a container): nothing on it may set the clock";
            }
            return null;
        }
    }

    /**
     * A key file as the facts probe sees it, never its content.
     *
     * @param sha256 hex SHA-256 of the content, or null when the probe could not read it (not root)
     */
    public record KeyFileState(String owner, String group, String mode, String sha256) {}

    /** One systemd unit as {@code systemctl show} reports it. */
    public record Unit(String name, String id, String loadState, String activeState, String unitFileState,
                       String conditionResult) {
        public boolean loaded() {
            return "loaded".equals(loadState);
        }

        public boolean active() {
            return "active".equals(activeState) || "activating".equals(activeState) || "reloading".equals(activeState);
        }

        /** Masked by an administrator ({@code systemctl mask}): cannot be started or enabled until unmasked. */
        public boolean masked() {
            return "masked".equals(loadState) || unitFileState.startsWith("masked");
        }

        public boolean enabled() {
            return "enabled".equals(unitFileState) || "enabled-runtime".equals(unitFileState) || "alias".equals(unitFileState);
        }
    }

    public Unit unit(String service) {
        return units.get(service + ".service");
    }

    public boolean installed(String pkg) {
        return packages.containsKey(pkg);
    }
}
