package io.tsync.load;

import io.tsync.model.Host;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Which value of an inventory variable a host ends up with: Ansible's variable precedence, as far
 * as an inventory reaches. Ansible documents the order, lowest first, in "Understanding variable
 * precedence" (https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_variables.html#understanding-variable-precedence):
 * <ol>
 *   <li>command line values (for example, {@code -u my_user}; these are not variables)</li>
 *   <li>role defaults</li>
 *   <li>inventory file or script group vars</li>
 *   <li>inventory {@code group_vars/all}</li>
 *   <li>playbook {@code group_vars/all}</li>
 *   <li>inventory {@code group_vars/*}</li>
 *   <li>playbook {@code group_vars/*}</li>
 *   <li>inventory file or script host vars</li>
 *   <li>inventory {@code host_vars/*}</li>
 *   <li>playbook {@code host_vars/*}</li>
 *   <li>host facts, then play vars, role vars, task vars, ... and extra vars ({@code -e}), which always win</li>
 * </ol>
 * tsync has levels 3 to 10 (a playbook's {@code vars:} are its own settings, not host variables).
 * Within one level, groups merge as Ansible's "How variables are merged"
 * (https://docs.ansible.com/ansible/latest/inventory_guide/intro_inventory.html#how-variables-are-merged)
 * says: {@code all} first, then parents before children (by depth below {@code all}), and groups
 * of the same depth by name, the later winning. ({@code ansible_group_priority} is not read.)
 * A later level replaces a variable whole: mappings and lists are not merged, as with Ansible's
 * default {@code hash_behaviour=replace}.
 *
 * @param groupVars the group vars written in the inventory file, per group (level 3)
 * @param hostVars  the host vars written in the inventory file, per host (level 8)
 * @param varsDirs  the {@code group_vars/} and {@code host_vars/} directories, the inventory's
 *                  then the playbook's: within each level, a later one wins (levels 4-7, 9-10)
 */
record VariablePrecedence(Map<String, Map<String, Host.Var>> groupVars, Map<String, Map<String, Host.Var>> hostVars,
                          List<VarsDir> varsDirs) {
    /** The variables of one directory's {@code group_vars/} (per group) and {@code host_vars/} (per host). */
    record VarsDir(Map<String, Map<String, Host.Var>> groups, Map<String, Map<String, Host.Var>> hosts) {
        VarsDir {
            groups = Collections.unmodifiableMap(groups);
            hosts = Collections.unmodifiableMap(hosts);
        }
    }

    VariablePrecedence {
        groupVars = Collections.unmodifiableMap(groupVars);
        hostVars = Collections.unmodifiableMap(hostVars);
        varsDirs = List.copyOf(varsDirs);
    }

    /**
     * A host's groups in the order their variables apply, the later winning: {@code all}, then by
     * depth below {@code all} (parents before children), then by name.
     */
    static List<String> mergeOrder(Collection<String> groups, ToIntFunction<String> depth) {
        return groups.stream()
                .sorted(Comparator.<String>comparingInt(depth).thenComparing(g -> g.equals("all") ? "" : g))
                .toList();
    }

    /** The variables {@code host} ends up with, each the one of the highest level; {@code groups} in {@link #mergeOrder} order. */
    Map<String, Host.Var> varsOf(String host, List<String> groups) {
        Map<String, Host.Var> vars = new LinkedHashMap<>();
        for (String g : groups) {
            vars.putAll(groupVars.getOrDefault(g, Map.of()));
        }
        for (VarsDir dir : varsDirs) {
            vars.putAll(dir.groups.getOrDefault("all", Map.of()));
        }
        for (VarsDir dir : varsDirs) {
            for (String g : groups) {
                if (!g.equals("all")) {
                    vars.putAll(dir.groups.getOrDefault(g, Map.of()));
                }
            }
        }
        vars.putAll(hostVars.getOrDefault(host, Map.of()));
        for (VarsDir dir : varsDirs) {
            vars.putAll(dir.hosts.getOrDefault(host, Map.of()));
        }
        return vars;
    }
}
