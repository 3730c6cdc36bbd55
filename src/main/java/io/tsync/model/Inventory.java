package io.tsync.model;

import java.util.List;
import java.util.Map;

/** A loaded inventory: hosts in file order, and every group with its member hosts (transitively). */
public record Inventory(String file, List<Host> hosts, Map<String, List<String>> groups) {
    public Inventory {
        hosts = List.copyOf(hosts);
        groups = Map.copyOf(groups);
    }

    public Host host(String name) {
        return hosts.stream().filter(h -> h.name().equals(name)).findFirst().orElse(null);
    }
}
