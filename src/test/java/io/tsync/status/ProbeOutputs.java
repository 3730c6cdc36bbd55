package io.tsync.status;

import java.util.ArrayList;
import java.util.List;

/** Builds probe outputs for tests: sections in order, as {@link StatusScript} prints them. */
final class ProbeOutputs {
    private ProbeOutputs() {}

    /** One section: its name, body and exit code ({@code null}: no end marker). */
    static String section(String name, String body, Integer exit) {
        return "@section " + name + "\n" + (body.isEmpty() ? "" : body.stripTrailing() + "\n")
                + (exit == null ? "" : "@exit " + name + " " + exit + "\n");
    }

    /** A systemctl show block for one unit. */
    static String unit(String id, String load, String active, String sub, String file) {
        return "Id=" + id + "\nLoadState=" + load + "\nActiveState=" + active + "\nSubState=" + sub + "\nUnitFileState=" + file
                + "\nConditionResult=yes\n";
    }

    /** The systemctl section with a block per {@link StatusScript#UNITS}: each {@code NAME=STATE} is a loaded unit in that active state, the rest are not found. */
    static String systemctl(String... activeUnits) {
        List<String> blocks = new ArrayList<>();
        for (String u : StatusScript.UNITS) {
            String state = null;
            for (String a : activeUnits) {
                if (a.startsWith(u + "=")) {
                    state = a.substring(u.length() + 1);
                }
            }
            blocks.add(state == null ? unit(u, "not-found", "inactive", "dead", "") : unit(u, "loaded", state, state.equals("active") ? "running" : "dead", "enabled"));
        }
        return section("systemctl", String.join("\n", blocks), 0);
    }

    /** A whole output: the header, the sections, {@code @end}. */
    static ProbeOutput output(String... sections) {
        return ProbeOutput.read(StatusScript.HEADER + "\n" + String.join("", sections) + "@end\n");
    }
}
