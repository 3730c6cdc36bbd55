package io.tsync.load;

import io.tsync.model.Host;
import io.tsync.model.Inventory;
import io.tsync.model.Location;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Loads Ansible's YAML inventory layout unchanged: top-level groups (usually {@code all}) with
 * {@code hosts}, {@code vars} and {@code children}; a host may sit in several groups. Variables
 * merge as in Ansible: all, then groups by depth (parents before children, then by name), then host.
 */
public final class InventoryLoader {
    static final Set<String> GROUP_KEYS = Set.of("hosts", "vars", "children");

    private InventoryLoader() {}

    private static final class GroupDef {
        final Map<String, Node> hosts = new LinkedHashMap<>();
        final List<String> children = new ArrayList<>();
        final Map<String, Host.Var> vars = new LinkedHashMap<>();
        Node at;
    }

    public static Inventory load(Path file) throws InvalidInputException {
        return parse(file.toString(), SafeYaml.read(file), file.toAbsolutePath().getParent());
    }

    public static Inventory parse(String file, Node root, Path baseDir) throws InvalidInputException {
        Nodes n = new Nodes(file);
        Map<String, GroupDef> groups = new LinkedHashMap<>();
        List<String> hostOrder = new ArrayList<>();
        Map<String, Node> hostAt = new HashMap<>();
        Map<String, Node> top = n.map(root, "the inventory", null);
        if (top == null) {
            throw new InvalidInputException(n.problems);
        }
        if (top.isEmpty()) {
            n.problem(root, "inventory defines no groups", "start with 'all:' and 'hosts:' as in inventory.example.yaml");
        }
        for (var e : top.entrySet()) {
            group(n, e.getKey(), e.getValue(), groups, hostOrder, hostAt);
        }
        groups.computeIfAbsent("all", k -> new GroupDef());
        // top-level groups other than all are implicitly children of all
        for (String g : top.keySet()) {
            if (!g.equals("all") && !groups.get("all").children.contains(g)) {
                groups.get("all").children.add(g);
            }
        }
        // every child named must be defined; cycles are refused
        for (var e : groups.entrySet()) {
            for (String c : e.getValue().children) {
                if (!groups.containsKey(c)) {
                    groups.put(c, new GroupDef());
                }
            }
        }
        List<String> cycle = findCycle(groups);
        if (cycle != null) {
            Node at = groups.get(cycle.get(0)).at;
            n.problem(at == null ? root : at, "group cycle: " + String.join(" -> ", cycle),
                    "remove one of these 'children' links; a group cannot contain itself");
            throw new InvalidInputException(n.problems);
        }
        Map<String, Integer> depth = new HashMap<>();
        depth(groups, "all", 0, depth);
        Map<String, Set<String>> members = new LinkedHashMap<>();
        for (String g : groups.keySet()) {
            members.put(g, members(groups, g, new LinkedHashSet<>()));
        }
        members.get("all").addAll(hostOrder);

        List<Host> hosts = new ArrayList<>();
        for (String h : hostOrder) {
            List<String> hostGroups = members.entrySet().stream().filter(e -> e.getValue().contains(h))
                    .map(Map.Entry::getKey)
                    .sorted(Comparator.<String>comparingInt(g -> depth.getOrDefault(g, 1)).thenComparing(g -> g.equals("all") ? "" : g))
                    .toList();
            Map<String, Host.Var> vars = new LinkedHashMap<>();
            for (String g : hostGroups) {
                vars.putAll(groups.get(g).vars);
            }
            for (GroupDef g : groups.values()) {
                Node hv = g.hosts.get(h);
                if (hv != null && !(hv instanceof ScalarNode s && s.getTag().equals(Tag.NULL))) {
                    Map<String, Node> m = n.map(hv, "host '" + h + "'", null);
                    if (m != null) {
                        m.forEach((k, v) -> vars.put(k, var(n, k, v)));
                    }
                }
            }
            Host host = host(n, h, vars, hostGroups.stream().filter(g -> !g.equals("all")).toList(), hostAt.get(h), baseDir);
            if (host != null) {
                hosts.add(host);
            }
        }
        if (!n.problems.isEmpty()) {
            throw new InvalidInputException(n.problems);
        }
        Map<String, List<String>> groupMembers = new LinkedHashMap<>();
        members.forEach((g, m) -> groupMembers.put(g, hostOrder.stream().filter(m::contains).toList()));
        return new Inventory(file, hosts, groupMembers);
    }

    private static void group(Nodes n, String name, Node node, Map<String, GroupDef> groups, List<String> hostOrder, Map<String, Node> hostAt) {
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            n.problem(node, "group name '" + name + "' has characters outside letters, digits, '_', '.', '-'", "rename the group");
            return;
        }
        GroupDef g = groups.computeIfAbsent(name, k -> new GroupDef());
        if (g.at == null) {
            g.at = node;
        }
        if (node instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) {
            return;
        }
        Map<String, Node> m = n.map(node, "group '" + name + "'", GROUP_KEYS);
        if (m == null) {
            return;
        }
        if (m.containsKey("hosts") && !(m.get("hosts") instanceof ScalarNode s && s.getTag().equals(Tag.NULL))) {
            Map<String, Node> hosts = n.map(m.get("hosts"), "hosts of group '" + name + "'", null);
            if (hosts != null) {
                for (var e : hosts.entrySet()) {
                    String h = e.getKey();
                    if (!Grammar.isHostOrAddress(h) && !h.matches("[A-Za-z0-9_.-]+")) {
                        n.problem(m.get("hosts"), "host name '" + h.replace("\n", "\\n") + "' is not a valid name",
                                "use letters, digits, '-', '_' and '.'; put the address in ansible_host");
                        continue;
                    }
                    g.hosts.put(h, e.getValue());
                    if (!hostOrder.contains(h)) {
                        hostOrder.add(h);
                        hostAt.put(h, e.getValue());
                    }
                }
            }
        }
        if (m.containsKey("vars") && !(m.get("vars") instanceof ScalarNode s && s.getTag().equals(Tag.NULL))) {
            Map<String, Node> vars = n.map(m.get("vars"), "vars of group '" + name + "'", null);
            if (vars != null) {
                vars.forEach((k, v) -> g.vars.put(k, var(n, k, v)));
            }
        }
        if (m.containsKey("children") && !(m.get("children") instanceof ScalarNode s && s.getTag().equals(Tag.NULL))) {
            Map<String, Node> children = n.map(m.get("children"), "children of group '" + name + "'", null);
            if (children != null) {
                for (var e : children.entrySet()) {
                    if (!g.children.contains(e.getKey())) {
                        g.children.add(e.getKey());
                    }
                    group(n, e.getKey(), e.getValue(), groups, hostOrder, hostAt);
                }
            }
        }
    }

    private static Host.Var var(Nodes n, String key, Node v) {
        Object plain = Nodes.plain(v);
        if (plain instanceof String s && s.contains("{{")) {
            n.problem(v, "variable '" + key + "' uses Jinja templating, which tsync does not evaluate",
                    "write the literal value");
        }
        return new Host.Var(plain, v, n.where(v));
    }

    private static Host host(Nodes n, String name, Map<String, Host.Var> vars, List<String> groups, Node at, Path baseDir) {
        int before = n.problems.size();
        String address = name;
        Host.Var a = vars.get("ansible_host");
        if (a != null) {
            address = String.valueOf(a.value());
            if (!Grammar.isHostOrAddress(address)) {
                n.problem(a.node(), "ansible_host '" + address.replace("\n", "\\n") + "' of host '" + name + "' is not a hostname or IP address",
                        "use a DNS name or an IPv4/IPv6 address");
            }
        } else if (!Grammar.isHostOrAddress(address)) {
            n.problem(at, "host '" + name + "' has no ansible_host and its name is not a hostname", "add ansible_host: ADDRESS");
        }
        int port = 22;
        Host.Var p = vars.get("ansible_port");
        if (p != null) {
            Integer v = n.integer(p.node(), "ansible_port", 1, 65535);
            port = v == null ? 22 : v;
        }
        String user = System.getProperty("user.name", "root");
        Host.Var u = vars.get("ansible_user");
        if (u != null) {
            user = String.valueOf(u.value());
            if (!Grammar.isUserName(user)) {
                n.problem(u.node(), "ansible_user '" + user.replace("\n", "\\n") + "' is not a valid user name", "use a POSIX user name like deploy");
            }
        }
        String key = null;
        Host.Var k = vars.get("ansible_ssh_private_key_file");
        if (k == null) {
            k = vars.get("ansible_private_key_file");
        }
        if (k != null) {
            key = expandHome(String.valueOf(k.value()));
            Path kp = baseDir == null ? Path.of(key) : baseDir.resolve(key);
            if (!Files.isReadable(kp)) {
                n.problem(k.node(), "private key file '" + key + "' of host '" + name + "' is missing or unreadable",
                        "fix the path (relative paths are resolved against the inventory's folder) or the file's permissions");
            }
            key = kp.toString();
        }
        boolean become = false;
        Host.Var b = vars.get("ansible_become");
        if (b != null) {
            Boolean v = n.bool(b.node(), "ansible_become");
            become = v != null && v;
        }
        if (!"root".equals(user) && b == null) {
            become = true;
        }
        return n.problems.size() > before ? null : new Host(name, address, port, user, key, become, vars, groups);
    }

    static String expandHome(String p) {
        return p.startsWith("~/") ? System.getProperty("user.home") + p.substring(1) : p;
    }

    private static List<String> findCycle(Map<String, GroupDef> groups) {
        Map<String, Integer> state = new HashMap<>();
        for (String g : groups.keySet()) {
            Deque<String> path = new ArrayDeque<>();
            List<String> c = dfs(groups, g, state, path);
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    private static List<String> dfs(Map<String, GroupDef> groups, String g, Map<String, Integer> state, Deque<String> path) {
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
        for (String c : groups.get(g).children) {
            List<String> r = dfs(groups, c, state, path);
            if (r != null) {
                return r;
            }
        }
        path.pop();
        state.put(g, 2);
        return null;
    }

    private static void depth(Map<String, GroupDef> groups, String g, int d, Map<String, Integer> depth) {
        if (depth.getOrDefault(g, -1) >= d) {
            return;
        }
        depth.put(g, d);
        for (String c : groups.get(g).children) {
            depth(groups, c, d + 1, depth);
        }
    }

    private static Set<String> members(Map<String, GroupDef> groups, String g, Set<String> seen) {
        Set<String> out = new LinkedHashSet<>(groups.get(g).hosts.keySet());
        if (!seen.add(g)) {
            return out;
        }
        for (String c : groups.get(g).children) {
            out.addAll(members(groups, c, seen));
        }
        return out;
    }

    /** Hosts matching Ansible-style patterns: names, groups, globs, {@code !exclusions}, {@code &intersections}. */
    public static List<Host> select(Inventory inv, String patterns) {
        Set<String> selected = new LinkedHashSet<>();
        List<String> includes = new ArrayList<>();
        List<String> excludes = new ArrayList<>();
        List<String> intersects = new ArrayList<>();
        for (String raw : patterns.split("[,:]")) {
            String t = raw.strip();
            if (t.isEmpty()) {
                continue;
            }
            if (t.startsWith("!")) {
                excludes.add(t.substring(1));
            } else if (t.startsWith("&")) {
                intersects.add(t.substring(1));
            } else {
                includes.add(t);
            }
        }
        for (String t : includes) {
            selected.addAll(matching(inv, t));
        }
        for (String t : intersects) {
            selected.retainAll(new HashSet<>(matching(inv, t)));
        }
        for (String t : excludes) {
            matching(inv, t).forEach(selected::remove);
        }
        return inv.hosts().stream().filter(h -> selected.contains(h.name())).toList();
    }

    static List<String> matching(Inventory inv, String term) {
        String regex = glob(term);
        Set<String> out = new LinkedHashSet<>();
        inv.groups().forEach((g, hs) -> {
            if (g.matches(regex)) {
                out.addAll(hs);
            }
        });
        inv.hosts().forEach(h -> {
            if (h.name().matches(regex)) {
                out.add(h.name());
            }
        });
        return new ArrayList<>(out);
    }

    private static String glob(String term) {
        StringBuilder sb = new StringBuilder();
        for (char c : term.toCharArray()) {
            switch (c) {
                case '*' -> sb.append(".*");
                case '?' -> sb.append('.');
                default -> sb.append(java.util.regex.Pattern.quote(String.valueOf(c)));
            }
        }
        return sb.toString();
    }

    public static Location at(Host.Var v) {
        return v.location();
    }
}
