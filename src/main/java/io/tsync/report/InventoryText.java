package io.tsync.report;

import io.tsync.load.LoadedInventory;
import io.tsync.model.Host;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** {@code tsync inventory}'s text: a host with its connection and variables (and their sources), the group tree. */
public final class InventoryText {
    private InventoryText() {}

    /** As ansible-inventory --graph: children and hosts sorted by name, hosts not listed under all. */
    public static void graph(LoadedInventory li, String group, int depth, Set<String> shown, List<String> lines) {
        lines.add(indent(depth) + "@" + group + ":");
        for (String c : li.children().getOrDefault(group, List.of()).stream().sorted().toList()) {
            graph(li, c, depth + 1, shown, lines);
        }
        for (String h : li.directHosts().getOrDefault(group, List.of()).stream().sorted().toList()) {
            if (shown.contains(h)) {
                lines.add(indent(depth + 1) + h);
            }
        }
    }

    private static String indent(int depth) {
        return depth == 0 ? "" : "  |".repeat(depth) + "--";
    }

    public static String connection(Host h) {
        String addr = h.address().contains(":") ? "[" + h.address() + "]" : h.address();
        String become = "root".equals(h.user()) ? "" : h.become() ? "  sudo" : "  no become";
        return h.user() + "@" + addr + ":" + h.port() + become + "  key " + (h.keyFile() == null ? "(ssh-agent)" : h.keyFile());
    }

    public static String host(Host h) {
        StringBuilder sb = new StringBuilder();
        sb.append(h.name()).append("  ").append(connection(h)).append('\n');
        Map<String, Host.Var> vars = new TreeMap<>(h.vars());
        int w = Math.max(6, vars.keySet().stream().mapToInt(String::length).max().orElse(0));
        int vw = Math.min(40, vars.values().stream().mapToInt(v -> show(v.value()).length()).max().orElse(0));
        sb.append("    ").append(pad("groups", w)).append("  ").append(h.groups().isEmpty() ? "-" : String.join(", ", h.groups())).append('\n');
        vars.forEach((k, v) -> sb.append("    ").append(pad(k, w)).append("  ").append(pad(show(v.value()), vw)).append("  ")
                .append(v.location()).append('\n'));
        return sb.toString();
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }

    /** A value on one line: text as is (quoted if it has control characters), lists and mappings as compact JSON. */
    public static String show(Object v) {
        if (v instanceof String s) {
            return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f) || s.isEmpty() ? Json.quote(s) : s;
        }
        if (v == null) {
            return "null";
        }
        return v instanceof Map || v instanceof List ? Json.write(v, false) : String.valueOf(v);
    }
}
