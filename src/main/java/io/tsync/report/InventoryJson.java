package io.tsync.report;

import io.tsync.load.LoadedInventory;
import io.tsync.model.Host;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The documents of {@code tsync inventory --json} (ansible-inventory --list's layout plus
 * {@code _meta.tsync}) and {@code --host NAME --json}; schema: docs/schemas/inventory.schema.json.
 */
public final class InventoryJson {
    private InventoryJson() {}

    public static Map<String, Object> host(Host h, boolean withVars) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (withVars) {
            m.put("name", h.name());
        }
        m.put("address", h.address());
        m.put("port", h.port());
        m.put("user", h.user());
        m.put("key_file", h.keyFile());
        m.put("become", h.become());
        m.put("groups", h.groups());
        if (withVars) {
            m.put("vars", varValues(h));
        }
        Map<String, Object> sources = new TreeMap<>();
        h.vars().forEach((k, v) -> sources.put(k, v.location().toString()));
        m.put("sources", sources);
        return m;
    }

    private static Map<String, Object> varValues(Host h) {
        Map<String, Object> vars = new TreeMap<>();
        h.vars().forEach((k, v) -> vars.put(k, v.value()));
        return vars;
    }

    /** ansible-inventory --list's layout (groups with hosts and children, _meta.hostvars), plus _meta.tsync per host. */
    public static Map<String, Object> list(LoadedInventory li, List<Host> hosts) {
        Set<String> shown = hosts.stream().map(Host::name).collect(Collectors.toSet());
        Map<String, Object> hostvars = new LinkedHashMap<>();
        Map<String, Object> tsync = new LinkedHashMap<>();
        for (Host h : hosts) {
            hostvars.put(h.name(), varValues(h));
            tsync.put(h.name(), host(h, false));
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("hostvars", hostvars);
        meta.put("tsync", tsync);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("_meta", meta);
        li.children().forEach((g, children) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            List<String> direct = li.directHosts().getOrDefault(g, List.of()).stream().filter(shown::contains).toList();
            if (!direct.isEmpty()) {
                entry.put("hosts", direct);
            }
            if (!children.isEmpty()) {
                entry.put("children", children);
            }
            if (!entry.isEmpty()) {
                out.put(g, entry);
            }
        });
        return out;
    }
}
