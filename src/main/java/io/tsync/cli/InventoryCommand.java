package io.tsync.cli;

import io.tsync.load.HostPatterns;
import io.tsync.load.InvalidInputException;
import io.tsync.load.InventoryLoader;
import io.tsync.load.LoadedInventory;
import io.tsync.load.Problem;
import io.tsync.model.Host;
import io.tsync.model.Inventory;
import io.tsync.report.InventoryJson;
import io.tsync.report.InventoryText;
import io.tsync.report.Json;
import io.tsync.run.Fleet;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
            LoadedInventory li = InventoryLoader.loadDetailed(Fleet.inventoryPath(inventory), playbookDir);
            for (String w : li.ignored()) {
                System.err.println("tsync: warning: " + w + "; ignored");
            }
            Inventory inv = li.inventory();
            List<Host> hosts = inv.hosts();
            if (limit != null) {
                hosts = HostPatterns.select(inv, limit);
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
                out.println(json ? Json.write(InventoryJson.host(h, true)) : InventoryText.host(h));
                return ExitCodes.OK;
            }
            if (graph != null) {
                if (!li.children().containsKey(graph)) {
                    throw new InvalidInputException(new Problem("--graph", 0, 0, "no group '" + graph + "' in " + inv.file(),
                            "use a group name from the inventory, or --graph alone for the whole tree"));
                }
                Set<String> shown = hosts.stream().map(Host::name).collect(Collectors.toSet());
                List<String> lines = new ArrayList<>();
                InventoryText.graph(li, graph, 0, shown, lines);
                lines.forEach(out::println);
                return ExitCodes.OK;
            }
            if (json) {
                out.println(Json.write(InventoryJson.list(li, hosts)));
                return ExitCodes.OK;
            }
            StringBuilder sb = new StringBuilder();
            for (Host h : hosts) {
                sb.append(InventoryText.host(h)).append('\n');
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
}
