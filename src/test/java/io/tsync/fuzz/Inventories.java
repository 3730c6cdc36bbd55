package io.tsync.fuzz;

import io.tsync.load.HostPatterns;
import io.tsync.load.InvalidInputException;
import io.tsync.load.InventoryLoader;
import io.tsync.load.LoadedInventory;
import io.tsync.model.Host;
import io.tsync.report.InventoryJson;
import io.tsync.report.InventoryText;
import io.tsync.report.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What {@code tsync inventory} does with an inventory file, for the inventory fuzz targets. */
final class Inventories {
    private Inventories() {}

    private static final List<String> PATTERNS = List.of("all", "web*,!db?", "asia:&web", "ungrouped", "*");

    /**
     * Loads the inventory with its group_vars/host_vars, then prints it as {@code --json}, {@code --graph}
     * and each host does, and selects hosts by pattern. Invalid input is the loader's answer; any other
     * exception is a finding.
     */
    static void load(Path file) {
        LoadedInventory li;
        try {
            li = InventoryLoader.loadDetailed(file);
        } catch (InvalidInputException e) {
            if (e.getMessage().isEmpty()) {
                throw new AssertionError("invalid input without a problem", e);
            }
            return;
        }
        List<Host> hosts = li.inventory().hosts();
        Json.write(InventoryJson.list(li, hosts));
        Set<String> shown = new HashSet<>();
        hosts.forEach(h -> {
            shown.add(h.name());
            Json.write(InventoryJson.host(h, true));
            InventoryText.host(h);
        });
        List<String> lines = new ArrayList<>();
        InventoryText.graph(li, "all", 0, shown, lines);
        for (String p : PATTERNS) {
            HostPatterns.select(li.inventory(), p);
        }
        for (String g : li.inventory().groups().keySet()) {
            HostPatterns.select(li.inventory(), g);
        }
    }
}
