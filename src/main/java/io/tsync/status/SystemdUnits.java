package io.tsync.status;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the {@code systemctl show} section of the status probe into {@link UnitState}s, and picks the unit in charge among a daemon's names. */
public final class SystemdUnits {
    private SystemdUnits() {}

    /**
     * Parses the blocks of {@code systemctl show -p ...} for {@link StatusScript#UNITS} (one blank-line separated block
     * per unit asked for, in that order). Output that is no such block (no systemd) yields an empty list.
     */
    public static List<UnitState> parse(String systemctlShow) {
        List<Map<String, String>> blocks = new ArrayList<>();
        Map<String, String> cur = new LinkedHashMap<>();
        for (String line : systemctlShow.split("\\R")) {
            if (line.isBlank()) {
                if (!cur.isEmpty()) {
                    blocks.add(cur);
                    cur = new LinkedHashMap<>();
                }
                continue;
            }
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).matches("[A-Za-z]+")) {
                cur.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        if (!cur.isEmpty()) {
            blocks.add(cur);
        }
        List<String> units = StatusScript.UNITS;
        List<UnitState> out = new ArrayList<>();
        for (int i = 0; i < blocks.size() && i < units.size(); i++) {
            Map<String, String> b = blocks.get(i);
            if (!b.containsKey("Id") && !b.containsKey("LoadState")) {
                continue;
            }
            out.add(new UnitState(units.get(i), b.getOrDefault("Id", units.get(i)), b.getOrDefault("LoadState", ""),
                    b.getOrDefault("ActiveState", ""), b.getOrDefault("SubState", ""),
                    b.getOrDefault("UnitFileState", ""), b.getOrDefault("ConditionResult", "")));
        }
        return out;
    }

    /**
     * Among {@code units}, the first loaded one named in {@code names} (in that order) that is active, else the first
     * loaded one, else {@code null}.
     */
    public static UnitState pick(List<UnitState> units, List<String> names) {
        UnitState loaded = null;
        for (String name : names) {
            for (UnitState u : units) {
                if (u.requested().equals(name) && u.loaded()) {
                    if (u.active()) {
                        return u;
                    }
                    if (loaded == null) {
                        loaded = u;
                    }
                }
            }
        }
        return loaded;
    }
}
