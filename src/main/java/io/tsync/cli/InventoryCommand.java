package io.tsync.cli;

import io.tsync.load.InvalidInputException;
import io.tsync.load.InventoryLoader;
import io.tsync.load.LoadedInventory;
import io.tsync.load.Problem;
import io.tsync.model.Host;
import io.tsync.model.Inventory;
import io.tsync.report.Json;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "inventory", mixinStandardHelpOptions = true,
        description = {"Show the inventory as tsync reads it (YAML or INI, with group_vars/ and host_vars/), "
                + "like ansible-inventory: each host's connection and the variables it ends up with, "
                + "and the file:line each came from. Contacts no host."},
        footerHeading = "%nExamples:%n", footer = {"  tsync inventory -i hosts.ini                # hosts, connections, variables",
                "  tsync inventory -i inventory.yaml --graph   # like ansible-inventory --graph",
                "  tsync inventory --graph seoul --limit 'web*'",
                "  tsync inventory --host web1                 # which file set each variable",
                "  tsync inventory --json      # ansible-inventory --list layout + _meta.tsync",
                "", "Exit codes: 0 ok, 3 invalid inventory or unknown host/group."})
final class InventoryCommand implements Callable<Integer> {
    @Option(names = {"-i", "--inventory"}, paramLabel = "FILE",
            description = "Inventory: Ansible YAML layout or INI. Default: $TSYNC_INVENTORY or inventory.yaml")
    Path inventory;

    @Option(names = "--graph", arity = "0..1", fallbackValue = "all", paramLabel = "GROUP",
            description = "Print the group tree (from GROUP, default all)")
    String graph;

    @Option(names = "--host", paramLabel = "NAME", description = "Only this host")
    String host;

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN", description = "Only these hosts/groups: names, globs, !exclusions")
    String limit;

    @Option(names = "--json", description = "Machine-readable output")
    boolean json;

    @Option(names = "--playbook-dir", paramLabel = "DIR", description = "Also group_vars/, host_vars/ beside the playbooks in DIR, as apply reads them")
    Path playbookDir;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        try {
            if (graph != null && (host != null || json)) {
                throw new InvalidInputException(new Problem("--graph", 0, 0, "--graph prints a text tree; it does not combine with "
                        + (host != null ? "--host" : "--json"), "use --json alone (its group entries hold the tree) or --host NAME alone"));
            }
            LoadedInventory li = InventoryLoader.loadDetailed(FleetOptions.inventoryPath(inventory), playbookDir);
            for (String w : li.ignored()) {
                System.err.println("tsync: warning: " + w + "; ignored");
            }
            Inventory inv = li.inventory();
            List<Host> hosts = inv.hosts();
            if (limit != null) {
                hosts = InventoryLoader.select(inv, limit);
                if (hosts.isEmpty()) {
                    throw new InvalidInputException(new Problem("--limit", 0, 0, "'" + limit + "' matches no host of " + inv.file(),
                            "use host or group names from the inventory (tsync inventory --graph shows them)"));
                }
            }
            if (host != null) {
                Host h = inv.host(host);
                if (h == null) {
                    throw new InvalidInputException(new Problem("--host", 0, 0, "no host '" + host + "' in " + inv.file() + suggest(host, inv),
                            "use a host name from the inventory (tsync inventory --graph shows them)"));
                }
                out.println(json ? Json.write(hostJson(h, true)) : hostText(h));
                return ExitCodes.OK;
            }
            if (graph != null) {
                if (!li.children().containsKey(graph)) {
                    throw new InvalidInputException(new Problem("--graph", 0, 0, "no group '" + graph + "' in " + inv.file(),
                            "use a group name from the inventory, or --graph alone for the whole tree"));
                }
                Set<String> shown = hosts.stream().map(Host::name).collect(Collectors.toSet());
                List<String> lines = new ArrayList<>();
                graph(li, graph, 0, shown, lines);
                lines.forEach(out::println);
                return ExitCodes.OK;
            }
            if (json) {
                out.println(Json.write(listJson(li, hosts)));
                return ExitCodes.OK;
            }
            StringBuilder sb = new StringBuilder();
            for (Host h : hosts) {
                sb.append(hostText(h)).append('\n');
            }
            sb.append(hosts.size()).append(" host(s), ").append(li.children().size()).append(" group(s); read ").append(inv.file());
            if (li.files().size() > 1) {
                sb.append(" and ").append(li.files().size() - 1).append(" group_vars/host_vars file(s)");
            }
            out.println(sb);
            return ExitCodes.OK;
        } catch (InvalidInputException e) {
            System.err.println(e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
    }

    private static String suggest(String name, Inventory inv) {
        String best = null;
        int bestD = Math.max(2, name.length() / 3) + 1;
        for (Host h : inv.hosts()) {
            int d = distance(h.name(), name);
            if (d < bestD) {
                bestD = d;
                best = h.name();
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] cur = new int[b.length() + 1];
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            prev = cur;
        }
        return prev[b.length()];
    }

    /** As ansible-inventory --graph: children and hosts sorted by name, hosts not listed under all. */
    static void graph(LoadedInventory li, String group, int depth, Set<String> shown, List<String> lines) {
        lines.add(indent(depth) + "@" + group + ":");
        for (String c : li.children().getOrDefault(group, List.of()).stream().sorted().toList()) {
            graph(li, c, depth + 1, shown, lines);
        }
        for (String h : li.directHosts().getOrDefault(group, List.of()).stream().sorted().toList()) {
            if (shown.contains(h)) {
                lines.add(indent(depth + 1) + h);
            }
        }
    }

    private static String indent(int depth) {
        return depth == 0 ? "" : "  |".repeat(depth) + "--";
    }

    static String connection(Host h) {
        String addr = h.address().contains(":") ? "[" + h.address() + "]" : h.address();
        String become = "root".equals(h.user()) ? "" : h.become() ? "  sudo" : "  no become";
        return h.user() + "@" + addr + ":" + h.port() + become + "  key " + (h.keyFile() == null ? "(ssh-agent)" : h.keyFile());
    }

    static String hostText(Host h) {
        StringBuilder sb = new StringBuilder();
        sb.append(h.name()).append("  ").append(connection(h)).append('\n');
        Map<String, Host.Var> vars = new TreeMap<>(h.vars());
        int w = Math.max(6, vars.keySet().stream().mapToInt(String::length).max().orElse(0));
        int vw = Math.min(40, vars.values().stream().mapToInt(v -> show(v.value()).length()).max().orElse(0));
        sb.append("    ").append(pad("groups", w)).append("  ").append(h.groups().isEmpty() ? "-" : String.join(", ", h.groups())).append('\n');
        vars.forEach((k, v) -> sb.append("    ").append(pad(k, w)).append("  ").append(pad(show(v.value()), vw)).append("  ")
                .append(v.location()).append('\n'));
        return sb.toString();
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }

    /** A value on one line: text as is (quoted if it has control characters), lists and mappings as compact JSON. */
    static String show(Object v) {
        if (v instanceof String s) {
            return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f) || s.isEmpty() ? Json.quote(s) : s;
        }
        if (v == null) {
            return "null";
        }
        return v instanceof Map || v instanceof List ? Json.write(v, false) : String.valueOf(v);
    }

    static Map<String, Object> hostJson(Host h, boolean withVars) {
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
    static Map<String, Object> listJson(LoadedInventory li, List<Host> hosts) {
        Set<String> shown = hosts.stream().map(Host::name).collect(Collectors.toSet());
        Map<String, Object> hostvars = new LinkedHashMap<>();
        Map<String, Object> tsync = new LinkedHashMap<>();
        for (Host h : hosts) {
            hostvars.put(h.name(), varValues(h));
            tsync.put(h.name(), hostJson(h, false));
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
