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
 */
public record Facts(String osId, String osIdLike, String osVersionId, String prettyName, String virtualization,
                    String timezone, List<String> packageManagers, Map<String, String> packages,
                    Map<String, Unit> units, Map<String, String> files, boolean tzdb, Set<String> restartPending) {
    public Facts {
        restartPending = Set.copyOf(restartPending);
        packageManagers = List.copyOf(packageManagers);
        packages = Map.copyOf(packages);
        units = Map.copyOf(units);
        files = Map.copyOf(files);
    }

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
