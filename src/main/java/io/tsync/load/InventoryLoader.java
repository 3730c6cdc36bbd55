package io.tsync.load;

import io.tsync.model.Host;
import io.tsync.model.Inventory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Loads an Ansible inventory, YAML layout or INI format, unchanged: tells the two formats apart,
 * walks the YAML layout (the INI one is {@link IniInventoryParser}'s) and adds the
 * {@code group_vars/} and {@code host_vars/} beside the file and beside the playbook
 * ({@link VarsFiles}). Both formats are parsed into a {@link RawInventory} and merged by one step,
 * so groups, precedence, {@code --limit} and errors do not depend on the format: the groups are
 * reconciled and checked by {@link GroupGraph}, a host's variables merge in Ansible's order by
 * {@link VariablePrecedence}, {@link ConnectionVars} makes its connection of them, and
 * {@link HostPatterns} selects hosts.
 */
public final class InventoryLoader {
    static final Set<String> GROUP_KEYS = Set.of("hosts", "vars", "children");
    /** A variable may not expand (through YAML aliases) to more values than this. */
    static final int MAX_VAR_NODES = 10_000;

    private InventoryLoader() {}

    public static Inventory load(Path file) throws InvalidInputException {
        return loadDetailed(file, null).inventory();
    }

    /** The inventory with the group_vars/host_vars beside it and, when given, beside the playbook in {@code playbookDir}. */
    public static Inventory load(Path file, Path playbookDir) throws InvalidInputException {
        return loadDetailed(file, playbookDir).inventory();
    }

    /** Loads the inventory and the group_vars/host_vars beside it, keeping the group tree for {@code tsync inventory}. */
    public static LoadedInventory loadDetailed(Path file) throws InvalidInputException {
        return loadDetailed(file, null);
    }

    /**
     * Loads the inventory and its group_vars/host_vars (beside it, then beside the playbook in
     * {@code playbookDir} if given and another directory), keeping the group tree for {@code tsync inventory}.
     */
    public static LoadedInventory loadDetailed(Path file, Path playbookDir) throws InvalidInputException {
        String name = file.toString();
        String text = readText(file);
        boolean ini = isIni(file, text);
        RawInventory raw = new RawInventory(name);
        if (ini) {
            IniInventoryParser.parse(raw, text);
        } else {
            Node root;
            try {
                root = SafeYaml.read(name, text);
            } catch (InvalidInputException e) {
                throw iniHint(e.problems(), text);
            }
            yaml(raw, root, text);
        }
        Set<String> groupNames = new LinkedHashSet<>(raw.groups.keySet());
        groupNames.add("all");
        groupNames.add("ungrouped");
        Path invDir = file.toAbsolutePath().getParent();
        VarsFiles vf = VarsFiles.read(invDir, groupNames, raw.hostOrder, raw.problems);
        boolean otherDir = playbookDir != null && !samePlace(playbookDir.toAbsolutePath(), invDir);
        VarsFiles play = otherDir ? VarsFiles.read(playbookDir.toAbsolutePath(), groupNames, raw.hostOrder, raw.problems) : VarsFiles.none();
        return merge(raw, List.of(vf, play), invDir, ini ? "ini" : "yaml");
    }

    private static boolean samePlace(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return a.normalize().equals(b.normalize());
        }
    }

    /** A YAML inventory already read into nodes; no group_vars/host_vars. */
    public static Inventory parse(String file, Node root, Path baseDir) throws InvalidInputException {
        RawInventory raw = new RawInventory(file);
        yaml(raw, root, null);
        return merge(raw, List.of(), baseDir, "yaml").inventory();
    }

    /** An INI inventory's text; no group_vars/host_vars. */
    public static Inventory parseIni(String file, String text, Path baseDir) throws InvalidInputException {
        RawInventory raw = new RawInventory(file);
        IniInventoryParser.parse(raw, text);
        return merge(raw, List.of(), baseDir, "ini").inventory();
    }

    static String readText(Path file) throws InvalidInputException {
        return SafeYaml.readFile(file, "an inventory file",
                "point -i at the inventory file inside it; group_vars/ and host_vars/ beside that file are read");
    }

    /**
     * INI or YAML: {@code .yaml}/{@code .yml}/{@code .json} are YAML, {@code .ini} is INI; any other
     * name (Ansible's classic {@code hosts}, {@code production}) is INI when its first line that is not
     * blank or a comment is a {@code [section]} or a host line rather than a YAML {@code key:}.
     */
    static boolean isIni(Path file, String text) {
        String f = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (f.endsWith(".yaml") || f.endsWith(".yml") || f.endsWith(".json")) {
            return false;
        }
        if (f.endsWith(".ini")) {
            return true;
        }
        return looksIni(text);
    }

    static boolean looksIni(String text) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        for (String l : (Iterable<String>) text.lines()::iterator) {
            String s = l.strip();
            if (s.isEmpty() || s.startsWith("#") || s.startsWith(";")) {
                continue;
            }
            if (s.startsWith("[")) {
                return true;
            }
            if (s.startsWith("---") || s.startsWith("%") || s.startsWith("{") || s.startsWith("- ") || s.equals("-")) {
                return false;
            }
            // a YAML mapping key: 'name:' or 'name: value' (quoted or not), no '=' before the colon
            return !s.matches("(\"[^\"]*\"|'[^']*'|[^\\s=\"']+)\\s*:(\\s.*)?");
        }
        return false;
    }

    // ---------------------------------------------------------------------------------------------
    // YAML

    /** A .yaml file that does not parse as a YAML inventory but reads like INI: say so in the fix. */
    private static InvalidInputException iniHint(List<Problem> problems, String text) {
        List<Problem> out = new ArrayList<>(problems);
        if (looksIni(text) && !out.isEmpty()) {
            Problem p = out.get(0);
            out.set(0, new Problem(p.file(), p.line(), p.column(), p.message(),
                    "this looks like Ansible's INI format: name the file *.ini (or drop the .yaml extension), or write the YAML layout"));
        }
        return new InvalidInputException(out);
    }

    private static void yaml(RawInventory raw, Node root, String text) throws InvalidInputException {
        Nodes n = new Nodes(raw.file);
        Map<String, Node> top = n.map(root, "the inventory", null);
        if (top == null) {
            throw text == null ? new InvalidInputException(n.problems) : iniHint(n.problems, text);
        }
        if (top.isEmpty()) {
            n.problem(root, "inventory defines no groups", "start with 'all:' and 'hosts:' as in inventory.example.yaml");
        }
        Set<Node> path = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<String, Set<Node>> done = new HashMap<>();
        for (NodeTuple t : ((MappingNode) root).getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k) {
                group(n, raw, k.getValue(), k, t.getValueNode(), path, done);
            }
        }
        raw.problems.addAll(n.problems);
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
    }

    private static void group(Nodes n, RawInventory raw, String name, Node key, Node node, Set<Node> path, Map<String, Set<Node>> done) {
        if (!RawInventory.isGroupName(name)) {
            n.problem(key, "group name '" + name.replace("\n", "\\n") + "' has characters outside letters, digits, '_', '.', '-'",
                    "rename the group");
            return;
        }
        if (!path.add(node)) {
            n.problem(node, "group '" + name + "' contains itself through a YAML alias (an anchor used inside its own body)",
                    "write the child group out instead of aliasing a parent");
            return;
        }
        try {
            // the same body under the same name (a YAML alias) adds nothing new: skip it, so aliases cannot multiply work
            if (!done.computeIfAbsent(name, k -> Collections.newSetFromMap(new IdentityHashMap<>())).add(node)) {
                return;
            }
            RawInventory.Group g = raw.group(name, n.where(node));
            if (isNull(node)) {
                return;
            }
            Map<String, Node> m = n.map(node, "group '" + name + "'", GROUP_KEYS);
            if (m == null) {
                return;
            }
            Node hostsNode = m.get("hosts");
            if (hostsNode != null && !isNull(hostsNode)) {
                List<NodeTuple> hosts = entries(n, hostsNode, "hosts of group '" + name + "'");
                for (NodeTuple e : hosts) {
                    ScalarNode k = (ScalarNode) e.getKeyNode();
                    List<String> names = hostNames(n, k);
                    Map<String, Host.Var> hv = new LinkedHashMap<>();
                    Node v = e.getValueNode();
                    if (!isNull(v) && !names.isEmpty()) {
                        Map<String, Host.Var> m2 = vars(n, v, "host '" + k.getValue() + "'");
                        if (m2 != null) {
                            hv = m2;
                        }
                    }
                    for (String h : names) {
                        raw.addHost(g, h, n.where(k), hv);
                    }
                }
            }
            Node varsNode = m.get("vars");
            if (varsNode != null && !isNull(varsNode)) {
                Map<String, Host.Var> vars = vars(n, varsNode, "vars of group '" + name + "'");
                if (vars != null) {
                    g.vars.putAll(vars);
                }
            }
            Node childrenNode = m.get("children");
            if (childrenNode != null && !isNull(childrenNode)) {
                for (NodeTuple e : entries(n, childrenNode, "children of group '" + name + "'")) {
                    ScalarNode k = (ScalarNode) e.getKeyNode();
                    if (RawInventory.isGroupName(k.getValue())) {
                        raw.addChild(g, k.getValue());
                    }
                    group(n, raw, k.getValue(), k, e.getValueNode(), path, done);
                }
            }
        } finally {
            path.remove(node);
        }
    }

    /** A host key of a YAML {@code hosts:} mapping: one name, or an Ansible range like web[01:03]. */
    private static List<String> hostNames(Nodes n, ScalarNode k) {
        String h = k.getValue();
        List<String> names = List.of(h);
        if (HostRanges.hasRange(h)) {
            try {
                names = HostRanges.expand(h);
            } catch (HostRanges.RangeException e) {
                n.problem(k, e.getMessage(), e.fix);
                return List.of();
            }
        }
        for (String name : names) {
            if (!RawInventory.isHostName(name)) {
                n.problem(k, "host name '" + name.replace("\n", "\\n") + "' is not a valid name",
                        "use letters, digits, '-', '_' and '.'; put the address in ansible_host");
                return List.of();
            }
        }
        return names;
    }

    /** Entries of a mapping with their key nodes (for locations); non-string keys are reported. */
    private static List<NodeTuple> entries(Nodes n, Node node, String what) {
        if (!(node instanceof MappingNode m)) {
            n.map(node, what, null); // reports "must be a mapping"
            return List.of();
        }
        List<NodeTuple> out = new ArrayList<>();
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode) {
                out.add(t);
            } else {
                n.problem(t.getKeyNode(), "keys of " + what + " must be plain strings", "use a plain word as key");
            }
        }
        return out;
    }

    /** A mapping of variables (group vars, host vars, a group_vars file), each checked and located. */
    static Map<String, Host.Var> vars(Nodes n, Node node, String what) {
        if (!(node instanceof MappingNode)) {
            n.map(node, what, null);
            return null;
        }
        Map<String, Host.Var> out = new LinkedHashMap<>();
        for (NodeTuple t : entries(n, node, what)) {
            ScalarNode k = (ScalarNode) t.getKeyNode();
            String key = k.getValue();
            if (key.equals("<<") || k.getTag().equals(Tag.MERGE)) {
                n.problem(k, "YAML merge keys ('<<') are not supported in " + what, "write the variables out instead of merging an anchor");
                continue;
            }
            Host.Var v = var(n, key, t.getValueNode());
            if (v != null) {
                out.put(key, v);
            }
        }
        return out;
    }

    private static Host.Var var(Nodes n, String key, Node v) {
        String bad = aliasProblem(v, Collections.newSetFromMap(new IdentityHashMap<>()), new int[] {0});
        if (bad != null) {
            n.problem(v, "variable '" + key + "' " + bad, "remove the anchors/aliases from this value and write it out");
            return null;
        }
        Host.Var var = new Host.Var(Nodes.plain(v), v, n.where(v));
        RawInventory.checkVar(n.problems, key, var);
        return var;
    }

    /** Null if the value is a finite tree of reasonable size; else what is wrong (recursive or exploding aliases). */
    private static String aliasProblem(Node node, Set<Node> path, int[] count) {
        if (++count[0] > MAX_VAR_NODES) {
            return "expands to more than " + MAX_VAR_NODES + " values through YAML aliases";
        }
        if (node instanceof ScalarNode) {
            return null;
        }
        if (!path.add(node)) {
            return "refers to itself through a YAML alias";
        }
        try {
            if (node instanceof SequenceNode s) {
                for (Node c : s.getValue()) {
                    String r = aliasProblem(c, path, count);
                    if (r != null) {
                        return r;
                    }
                }
            } else if (node instanceof MappingNode m) {
                for (NodeTuple t : m.getValue()) {
                    String r = aliasProblem(t.getKeyNode(), path, count);
                    if (r == null) {
                        r = aliasProblem(t.getValueNode(), path, count);
                    }
                    if (r != null) {
                        return r;
                    }
                }
            }
            return null;
        } finally {
            path.remove(node);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // the merge, shared by both formats

    /** @param layers vars directories, later ones winning at each level: the inventory's, then the playbook's */
    static LoadedInventory merge(RawInventory raw, List<VarsFiles> layers, Path baseDir, String format) throws InvalidInputException {
        GroupGraph graph = GroupGraph.of(raw);
        Map<String, Map<String, Host.Var>> groupVars = new HashMap<>();
        raw.groups.forEach((name, g) -> groupVars.put(name, g.vars));
        VariablePrecedence precedence = new VariablePrecedence(groupVars, raw.hostVars,
                layers.stream().map(f -> new VariablePrecedence.VarsDir(f.groups, f.hosts)).toList());
        List<Host> hosts = new ArrayList<>();
        for (String h : raw.hostOrder) {
            List<String> hostGroups = VariablePrecedence.mergeOrder(graph.groupsOf(h), g -> graph.depth().getOrDefault(g, 1));
            Map<String, Host.Var> vars = precedence.varsOf(h, hostGroups);
            Host host = ConnectionVars.host(raw.problems, h, vars, hostGroups.stream().filter(g -> !g.equals("all")).toList(), raw.hostAt.get(h), baseDir);
            if (host != null) {
                hosts.add(host);
            }
        }
        if (!raw.problems.isEmpty()) {
            throw new InvalidInputException(raw.problems);
        }
        List<String> read = new ArrayList<>();
        read.add(raw.file);
        List<String> ignored = new ArrayList<>();
        for (VarsFiles files : layers) {
            read.addAll(files.read);
            ignored.addAll(files.ignored);
        }
        return new LoadedInventory(new Inventory(raw.file, hosts, graph.members()), format, graph.children(), graph.directHosts(), read, ignored);
    }
}
