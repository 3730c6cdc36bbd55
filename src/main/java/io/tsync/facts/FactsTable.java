package io.tsync.facts;

import java.util.ArrayList;
import java.util.List;

/** The text table of {@code tsync facts}: one line per host, config files by size and hash. */
public final class FactsTable {
    private static final List<String> HEADERS = List.of("HOST", "STATE", "OS", "PLATFORM", "VIRT", "TIMEZONE", "PKG MGR",
            "PACKAGES", "UNITS (active/enabled)", "CONFIG FILES (size sha256)", "DETAIL");

    private FactsTable() {}

    /** One line per host after a header; unknown values as {@code -}; every line ends in a newline. */
    public static String render(List<HostFacts> rows) {
        List<List<String>> cells = new ArrayList<>();
        cells.add(HEADERS);
        for (HostFacts r : rows) {
            cells.add(cells(r));
        }
        int[] width = new int[HEADERS.size()];
        for (List<String> c : cells) {
            for (int i = 0; i < c.size(); i++) {
                width[i] = Math.max(width[i], c.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> c : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < c.size(); i++) {
                if (i > 0) {
                    line.append("  ");
                }
                line.append(c.get(i));
                if (i < c.size() - 1) {
                    line.append(" ".repeat(width[i] - c.get(i).length()));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static List<String> cells(HostFacts r) {
        List<String> c = new ArrayList<>();
        c.add(r.host());
        c.add(r.state().key());
        Facts f = r.facts();
        if (f == null) {
            for (int i = 2; i < HEADERS.size() - 1; i++) {
                c.add("-");
            }
            c.add(oneLine(r.error()));
            return c;
        }
        c.add(dash((f.osId() + " " + f.osVersionId()).strip()));
        c.add(r.platform() == null ? "unsupported" : r.platform());
        c.add(dash(f.virtualization()));
        c.add(dash(f.timezone()));
        c.add(dash(String.join(",", f.packageManagers())));
        List<String> pkgs = new ArrayList<>();
        for (String p : FactsJson.PACKAGES) {
            if (f.installed(p)) {
                pkgs.add(p + " " + f.packages().get(p));
            }
        }
        c.add(dash(String.join(", ", pkgs)));
        List<String> units = new ArrayList<>();
        for (Facts.Unit u : HostFacts.loadedUnits(f)) {
            units.add(shortUnit(u.id().isEmpty() ? u.name() : u.id()) + " " + dash(u.activeState()) + "/"
                    + (u.unitFileState().isEmpty() ? "-" : u.unitFileState()));
        }
        c.add(dash(String.join(", ", units)));
        List<String> files = new ArrayList<>();
        r.files().forEach((p, i) -> files.add(p + " " + i.size() + "B " + i.sha256().substring(0, 12)));
        c.add(dash(String.join(", ", files)));
        c.add("-");
        return c;
    }

    private static String shortUnit(String unit) {
        return unit.endsWith(".service") ? unit.substring(0, unit.length() - ".service".length()) : unit;
    }

    private static String dash(String s) {
        return s == null || s.isBlank() ? "-" : s;
    }

    private static String oneLine(String s) {
        return s == null || s.isBlank() ? "-" : s.strip().replaceAll("\\s*\n\\s*", " | ");
    }
}
