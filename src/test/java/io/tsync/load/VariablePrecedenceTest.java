package io.tsync.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tsync.model.Host;
import io.tsync.model.Location;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

class VariablePrecedenceTest {
    /** web1 is in all, europe (depth 1), paris (depth 2, under europe) and zoo (depth 1). */
    static final List<String> GROUPS = VariablePrecedence.mergeOrder(List.of("zoo", "paris", "all", "europe"),
            Map.of("all", 0, "europe", 1, "zoo", 1, "paris", 2)::get);

    final Map<String, Map<String, Host.Var>> groupVars = new HashMap<>();
    final Map<String, Map<String, Host.Var>> hostVars = new HashMap<>();
    final Map<String, Map<String, Host.Var>> inventoryGroupVarsDir = new HashMap<>();
    final Map<String, Map<String, Host.Var>> inventoryHostVarsDir = new HashMap<>();
    final Map<String, Map<String, Host.Var>> playbookGroupVarsDir = new HashMap<>();
    final Map<String, Map<String, Host.Var>> playbookHostVarsDir = new HashMap<>();

    static void set(Map<String, Map<String, Host.Var>> where, String owner, String key, String value) {
        where.computeIfAbsent(owner, k -> new LinkedHashMap<>()).put(key, new Host.Var(value, null, new Location(value, 1, 1)));
    }

    Map<String, String> varsOfWeb1() {
        VariablePrecedence p = new VariablePrecedence(groupVars, hostVars, List.of(
                new VariablePrecedence.VarsDir(inventoryGroupVarsDir, inventoryHostVarsDir),
                new VariablePrecedence.VarsDir(playbookGroupVarsDir, playbookHostVarsDir)));
        Map<String, String> out = new HashMap<>();
        p.varsOf("web1", GROUPS).forEach((k, v) -> out.put(k, (String) v.value()));
        return out;
    }

    @Test
    void groupsMergeAllFirstThenParentsBeforeChildrenThenByName() {
        assertEquals(List.of("all", "europe", "zoo", "paris"), GROUPS);
    }

    /** Ansible's levels that an inventory has, lowest first; each sets its own name into a variable. */
    final List<Map.Entry<String, BiConsumer<String, String>>> levels = List.of(
            Map.entry("inventory file: all", (k, v) -> set(groupVars, "all", k, v)),
            Map.entry("inventory file: europe", (k, v) -> set(groupVars, "europe", k, v)),
            Map.entry("inventory file: zoo", (k, v) -> set(groupVars, "zoo", k, v)),
            Map.entry("inventory file: paris", (k, v) -> set(groupVars, "paris", k, v)),
            Map.entry("inventory group_vars/all", (k, v) -> set(inventoryGroupVarsDir, "all", k, v)),
            Map.entry("playbook group_vars/all", (k, v) -> set(playbookGroupVarsDir, "all", k, v)),
            Map.entry("inventory group_vars/europe", (k, v) -> set(inventoryGroupVarsDir, "europe", k, v)),
            Map.entry("inventory group_vars/paris", (k, v) -> set(inventoryGroupVarsDir, "paris", k, v)),
            Map.entry("playbook group_vars/europe", (k, v) -> set(playbookGroupVarsDir, "europe", k, v)),
            Map.entry("playbook group_vars/zoo", (k, v) -> set(playbookGroupVarsDir, "zoo", k, v)),
            Map.entry("inventory file: host web1", (k, v) -> set(hostVars, "web1", k, v)),
            Map.entry("inventory host_vars/web1", (k, v) -> set(inventoryHostVarsDir, "web1", k, v)),
            Map.entry("playbook host_vars/web1", (k, v) -> set(playbookHostVarsDir, "web1", k, v)));

    @Test
    void eachLevelBeatsEveryLowerOneAndLosesToEveryHigherOne() {
        // variable from_N is set at level N and every level above it; variable upto_N at level N and every level below
        for (int n = 0; n < levels.size(); n++) {
            for (int l = 0; l < levels.size(); l++) {
                if (l >= n) {
                    levels.get(l).getValue().accept("from_" + n, levels.get(l).getKey());
                }
                if (l <= n) {
                    levels.get(l).getValue().accept("upto_" + n, levels.get(l).getKey());
                }
            }
        }
        Map<String, String> vars = varsOfWeb1();
        String top = levels.get(levels.size() - 1).getKey();
        for (int n = 0; n < levels.size(); n++) {
            assertEquals(top, vars.get("from_" + n), "from_" + n);
            assertEquals(levels.get(n).getKey(), vars.get("upto_" + n), "upto_" + n + ": " + levels.get(n).getKey() + " beats every level below it");
        }
    }

    @Test
    void onlyTheHostsOwnGroupsAndHostVarsCount() {
        set(groupVars, "berlin", "city", "berlin");
        set(inventoryGroupVarsDir, "berlin", "city", "berlin");
        set(hostVars, "web2", "city", "web2");
        set(playbookHostVarsDir, "web2", "city", "web2");
        set(groupVars, "paris", "city", "paris");
        assertEquals(Map.of("city", "paris"), varsOfWeb1());
    }

    @Test
    void aHigherLevelReplacesAMappingWhole() {
        groupVars.put("all", Map.of("tsync_ntp", new Host.Var(Map.of("servers", List.of("a"), "allow", List.of("10.0.0.0/8")), null, null)));
        hostVars.put("web1", Map.of("tsync_ntp", new Host.Var(Map.of("servers", List.of("b")), null, null)));
        VariablePrecedence p = new VariablePrecedence(groupVars, hostVars, List.of());
        assertEquals(Map.of("servers", List.of("b")), p.varsOf("web1", GROUPS).get("tsync_ntp").value(), "as Ansible's hash_behaviour=replace");
    }
}
