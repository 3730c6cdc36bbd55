package io.tsync.load;

import io.tsync.model.Inventory;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An inventory with what {@code tsync inventory} shows beyond the model: the group tree as written
 * (each group's child groups and direct hosts, {@code all} and {@code ungrouped} included, as
 * {@code ansible-inventory --graph} shows it), the files read, and group_vars/host_vars files that
 * were ignored because no such group or host exists. Groups keep their definition order.
 *
 * @param format  {@code yaml} or {@code ini}
 * @param files   the inventory file, then every group_vars/host_vars file read
 * @param ignored one line per ignored file: {@code path: reason}
 */
public record LoadedInventory(Inventory inventory, String format, Map<String, List<String>> children,
                              Map<String, List<String>> directHosts, List<String> files, List<String> ignored) {
    public LoadedInventory {
        children = Collections.unmodifiableMap(new LinkedHashMap<>(children));
        directHosts = Collections.unmodifiableMap(new LinkedHashMap<>(directHosts));
        files = List.copyOf(files);
        ignored = List.copyOf(ignored);
    }
}
