package io.tsync.load;

import io.tsync.model.Host;
import io.tsync.model.Location;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an inventory file says, before any merging: groups with their direct hosts, children and
 * own variables, and the variables given with each host. The YAML and the INI parser both fill one
 * of these; {@link InventoryLoader} then adds group_vars/ and host_vars/ and merges, so precedence,
 * cycles, limits and errors behave the same whatever the format.
 */
final class RawInventory {
    static final String NAME_CHARS = "[A-Za-z0-9_.-]+";

    final String file;
    final List<Problem> problems = new ArrayList<>();
    /** Groups in the order they were first named. */
    final Map<String, Group> groups = new LinkedHashMap<>();
    /** Hosts in the order they were first named. */
    final List<String> hostOrder = new ArrayList<>();
    final Map<String, Location> hostAt = new HashMap<>();
    /** Variables given with a host in the inventory file itself, in parse order (later wins). */
    final Map<String, Map<String, Host.Var>> hostVars = new HashMap<>();

    static final class Group {
        final String name;
        /** Where the group is first defined (for cycle and other group-level errors); null if only referenced. */
        Location at;
        final Set<String> hosts = new LinkedHashSet<>();
        final List<String> children = new ArrayList<>();
        final Map<String, Host.Var> vars = new LinkedHashMap<>();

        Group(String name) {
            this.name = name;
        }
    }

    RawInventory(String file) {
        this.file = file;
    }

    Group group(String name, Location at) {
        Group g = groups.computeIfAbsent(name, Group::new);
        if (g.at == null) {
            g.at = at;
        }
        return g;
    }

    void addHost(Group g, String host, Location at, Map<String, Host.Var> vars) {
        g.hosts.add(host);
        if (!hostAt.containsKey(host)) {
            hostOrder.add(host);
            hostAt.put(host, at);
        }
        hostVars.computeIfAbsent(host, k -> new LinkedHashMap<>()).putAll(vars);
    }

    void addChild(Group parent, String child) {
        if (!parent.children.contains(child)) {
            parent.children.add(child);
        }
    }

    void problem(Location at, String message, String fix) {
        problems.add(at == null ? new Problem(file, 1, 1, message, fix) : new Problem(at.file(), at.line(), at.column(), message, fix));
    }

    static boolean isGroupName(String name) {
        return name.matches(NAME_CHARS) && !name.startsWith(".");
    }

    static boolean isHostName(String name) {
        return Grammar.isHostOrAddress(name) || (name.matches(NAME_CHARS) && !name.startsWith("."));
    }

    /** Checks every variable value shares, whatever file it came from; reports into {@code problems}. */
    static void checkVar(List<Problem> problems, String key, Host.Var v) {
        Location at = v.location();
        if (v.value() instanceof String s && (s.contains("{{") || s.contains("{%"))) {
            problems.add(new Problem(at.file(), at.line(), at.column(),
                    "variable '" + key + "' uses Jinja templating, which tsync does not evaluate", "write the literal value"));
        }
    }

    /** The closest name, for a did-you-mean; empty if none is close. */
    static String didYouMean(String name, Iterable<String> known) {
        if (name.length() > Grammar.SUGGEST_LENGTH) {
            return ""; // edit distances cost the lengths' product: no suggestion for a name this long
        }
        String best = null;
        int bestD = Math.max(2, name.length() / 3) + 1;
        for (String k : known) {
            int d = Grammar.distance(k, name);
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }
}
