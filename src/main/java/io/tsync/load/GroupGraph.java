package io.tsync.load;

import io.tsync.model.Location;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The groups of an inventory as Ansible reconciles them: {@code all} and {@code ungrouped} always
 * exist; a child named but not defined is an empty group; every group without a parent is a child
 * of {@code all} ({@code ungrouped} first); a host in no group but {@code all} is in
 * {@code ungrouped}, and only then. A cycle of {@code children} links is refused, naming it.
 * Each group keeps its depth below {@code all} (the longest path: {@link VariablePrecedence} applies
 * a parent's variables before its children's) and its members, its own hosts and its descendants',
 * in host order.
 *
 * @param children    each group's child groups as written, {@code all} then {@code ungrouped} first
 * @param directHosts each group's own hosts (none for {@code all}), same order
 * @param members     each group's hosts, with its descendants', in the order hosts were first named;
 *                    groups in the order they were first named
 * @param depth       each group's depth: 0 for {@code all}, a child one more than its deepest parent
 * @param groupsOf    each host's groups ({@code all} included), in the order groups were first named
 */
record GroupGraph(Map<String, List<String>> children, Map<String, List<String>> directHosts,
                         Map<String, List<String>> members, Map<String, Integer> depth, Map<String, List<String>> groupsOf) {
    public GroupGraph {
        children = Collections.unmodifiableMap(new LinkedHashMap<>(children));
        directHosts = Collections.unmodifiableMap(new LinkedHashMap<>(directHosts));
        members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
        depth = Map.copyOf(depth);
        groupsOf = Map.copyOf(groupsOf);
    }

    /**
     * The reconciled graph of what an inventory file says. A cycle is reported into
     * {@code raw.problems} at the first group of the cycle, and all problems so far are thrown.
     */
    static GroupGraph of(RawInventory raw) throws InvalidInputException {
        // a copy to reconcile: the raw inventory stays as parsed
        Map<String, List<String>> kids = new LinkedHashMap<>();
        Map<String, Set<String>> own = new LinkedHashMap<>();
        raw.groups.forEach((name, g) -> {
            kids.put(name, new ArrayList<>(g.children));
            own.put(name, new LinkedHashSet<>(g.hosts));
        });
        for (String g : List.of("all", "ungrouped")) {
            kids.putIfAbsent(g, new ArrayList<>());
            own.putIfAbsent(g, new LinkedHashSet<>());
        }
        for (List<String> cs : new ArrayList<>(kids.values())) {
            for (String c : cs) {
                kids.putIfAbsent(c, new ArrayList<>());
                own.putIfAbsent(c, new LinkedHashSet<>());
            }
        }
        // as Ansible's reconcile: every group without a parent is a child of all; ungrouped comes first
        Set<String> hasParent = new HashSet<>();
        kids.values().forEach(hasParent::addAll);
        List<String> ofAll = kids.get("all");
        if (!ofAll.contains("ungrouped")) {
            ofAll.add(0, "ungrouped");
        }
        for (String g : kids.keySet()) {
            if (!g.equals("all") && !hasParent.contains(g) && !ofAll.contains(g)) {
                ofAll.add(g);
            }
        }
        List<String> cycle = findCycle(kids);
        if (cycle != null) {
            RawInventory.Group first = raw.groups.get(cycle.get(0));
            raw.problem(first == null ? null : first.at, "group cycle: " + String.join(" -> ", cycle),
                    "remove one of these 'children' links; a group cannot contain itself");
            throw new InvalidInputException(raw.problems);
        }
        Map<String, Integer> depth = new HashMap<>();
        depth(kids, "all", 0, depth);
        Map<String, Set<String>> members = new LinkedHashMap<>();
        for (String g : kids.keySet()) {
            members.put(g, members(kids, own, g, new HashSet<>()));
        }
        // as Ansible: a host in no group but all is in ungrouped; a host in another group is not
        Set<String> ungrouped = own.get("ungrouped");
        for (String h : raw.hostOrder) {
            long in = members.entrySet().stream()
                    .filter(e -> !e.getKey().equals("all") && !e.getKey().equals("ungrouped") && e.getValue().contains(h)).count();
            if (in == 0) {
                ungrouped.add(h);
            } else {
                ungrouped.remove(h);
            }
        }
        members.put("ungrouped", new LinkedHashSet<>(ungrouped));
        members.get("all").addAll(raw.hostOrder);

        Map<String, List<String>> inHostOrder = new LinkedHashMap<>();
        members.forEach((g, m) -> inHostOrder.put(g, raw.hostOrder.stream().filter(m::contains).toList()));
        Map<String, List<String>> groupsOf = new HashMap<>();
        for (String h : raw.hostOrder) {
            groupsOf.put(h, members.entrySet().stream().filter(e -> e.getValue().contains(h)).map(Map.Entry::getKey).toList());
        }
        Map<String, List<String>> children = new LinkedHashMap<>();
        Map<String, List<String>> direct = new LinkedHashMap<>();
        List<String> order = new ArrayList<>(List.of("all", "ungrouped"));
        kids.keySet().stream().filter(g -> !order.contains(g)).forEach(order::add);
        for (String g : order) {
            children.put(g, List.copyOf(kids.get(g)));
            direct.put(g, g.equals("all") ? List.of() : List.copyOf(own.get(g)));
        }
        return new GroupGraph(children, direct, inHostOrder, depth, groupsOf);
    }

    /** The groups {@code host} is a member of ({@code all} included), in the order groups were first named; none for an unknown host. */
    List<String> groupsOf(String host) {
        return groupsOf.getOrDefault(host, List.of());
    }

    /** The first cycle of children links, as a path that ends where it starts; null if none. */
    static List<String> findCycle(Map<String, List<String>> children) {
        Map<String, Integer> state = new HashMap<>();
        for (String g : children.keySet()) {
            List<String> c = dfs(children, g, state, new ArrayDeque<>());
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    private static List<String> dfs(Map<String, List<String>> children, String g, Map<String, Integer> state, Deque<String> path) {
        Integer s = state.get(g);
        if (s != null && s == 2) {
            return null;
        }
        if (s != null && s == 1) {
            List<String> cycle = new ArrayList<>();
            boolean in = false;
            for (var it = path.descendingIterator(); it.hasNext(); ) {
                String x = it.next();
                if (x.equals(g)) {
                    in = true;
                }
                if (in) {
                    cycle.add(x);
                }
            }
            cycle.add(g);
            return cycle;
        }
        state.put(g, 1);
        path.push(g);
        for (String c : children.get(g)) {
            List<String> r = dfs(children, c, state, path);
            if (r != null) {
                return r;
            }
        }
        path.pop();
        state.put(g, 2);
        return null;
    }

    private static void depth(Map<String, List<String>> children, String g, int d, Map<String, Integer> depth) {
        if (depth.getOrDefault(g, -1) >= d) {
            return;
        }
        depth.put(g, d);
        for (String c : children.get(g)) {
            depth(children, c, d + 1, depth);
        }
    }

    private static Set<String> members(Map<String, List<String>> children, Map<String, Set<String>> own, String g, Set<String> seen) {
        Set<String> out = new LinkedHashSet<>(own.get(g));
        if (!seen.add(g)) {
            return out;
        }
        for (String c : children.get(g)) {
            out.addAll(members(children, own, c, seen));
        }
        return out;
    }
}
