package io.tsync.load;

import io.tsync.model.Host;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Ansible's {@code group_vars/} and {@code host_vars/} of one directory: beside the inventory file,
 * or beside the playbook (a second layer that wins, as in Ansible). For a group (or
 * host) NAME, in this order, later files winning: {@code NAME} (a file, or a directory whose YAML
 * files are read recursively in name order), {@code NAME.yml}, {@code NAME.yaml}, {@code NAME.json}.
 * Files for groups or hosts the inventory does not have are ignored, as Ansible does (and listed,
 * so {@code tsync inventory} can point out a misspelt file name). Every file goes through
 * {@link SafeYaml} with its limits, and every value keeps its file:line:column.
 */
final class VarsFiles {
    static final List<String> EXTENSIONS = List.of("", ".yml", ".yaml", ".json");
    static final int MAX_FILES = 1000;
    static final int MAX_DEPTH = 8;

    final Map<String, Map<String, Host.Var>> groups = new HashMap<>();
    final Map<String, Map<String, Host.Var>> hosts = new HashMap<>();
    final List<String> read = new ArrayList<>();
    final List<String> ignored = new ArrayList<>();
    private final List<Problem> problems;
    private int count;

    private VarsFiles(List<Problem> problems) {
        this.problems = problems;
    }

    static VarsFiles none() {
        return new VarsFiles(new ArrayList<>());
    }

    /** Reads the vars files in {@code dir}/group_vars and {@code dir}/host_vars of these groups and hosts; problems go to {@code problems}. */
    static VarsFiles read(Path dir, Collection<String> groupNames, Collection<String> hostNames, List<Problem> problems) {
        VarsFiles v = new VarsFiles(problems);
        v.dir(dir.resolve("group_vars"), "group", groupNames, v.groups);
        v.dir(dir.resolve("host_vars"), "host", hostNames, v.hosts);
        return v;
    }

    private void dir(Path dir, String kind, Collection<String> names, Map<String, Map<String, Host.Var>> into) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        for (String name : names) {
            if (name.startsWith(".") || name.contains("/")) {
                continue;
            }
            Map<String, Host.Var> vars = new LinkedHashMap<>();
            for (String ext : EXTENSIONS) {
                Path p = dir.resolve(name + ext);
                if (Files.isDirectory(p) && ext.isEmpty()) {
                    for (Path f : walk(p, 0)) {
                        file(f, vars);
                    }
                } else if (Files.isRegularFile(p)) {
                    file(p, vars);
                }
            }
            if (!vars.isEmpty()) {
                into.put(name, vars);
            }
        }
        Set<String> known = new HashSet<>(names);
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                String f = p.getFileName().toString();
                if (f.startsWith(".") || f.endsWith("~")) {
                    continue;
                }
                String entity;
                if (Files.isDirectory(p) || !f.contains(".")) {
                    entity = f;
                } else if (hasVarsExtension(f)) {
                    entity = f.substring(0, f.lastIndexOf('.'));
                } else {
                    continue; // README.md, notes.txt, or a host name with dots: not reported
                }
                if (!known.contains(entity) && !known.contains(f)) {
                    ignored.add(p + ": no " + kind + " '" + entity + "' in the inventory" + RawInventory.didYouMean(entity, names));
                }
            }
        } catch (IOException e) {
            problems.add(new Problem(dir.toString(), 1, 1, "cannot list directory: " + e.getMessage(), "check that tsync's user may read it"));
        }
    }

    private static boolean hasVarsExtension(String f) {
        return f.endsWith(".yml") || f.endsWith(".yaml") || f.endsWith(".json");
    }

    /** Files of a vars directory, recursively, in name order; hidden files and editor backups skipped. */
    private List<Path> walk(Path dir, int depth) {
        List<Path> out = new ArrayList<>();
        if (depth > MAX_DEPTH) {
            problems.add(new Problem(dir.toString(), 1, 1, "vars directories nested deeper than " + MAX_DEPTH + " levels (a symlink loop?)",
                    "flatten the directory or remove the symlink"));
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                String f = p.getFileName().toString();
                if (f.startsWith(".") || f.endsWith("~")) {
                    continue;
                }
                int dot = f.lastIndexOf('.');
                String ext = dot < 0 ? "" : f.substring(dot);
                if (Files.isDirectory(p)) {
                    if (ext.isEmpty()) {
                        out.addAll(walk(p, depth + 1));
                    }
                } else if (Files.isRegularFile(p) && EXTENSIONS.contains(ext)) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            problems.add(new Problem(dir.toString(), 1, 1, "cannot list directory: " + e.getMessage(), "check that tsync's user may read it"));
        }
        return out;
    }

    private void file(Path p, Map<String, Host.Var> into) {
        String name = p.toString();
        if (++count > MAX_FILES) {
            if (count == MAX_FILES + 1) {
                problems.add(new Problem(name, 1, 1, "more than " + MAX_FILES + " group_vars/host_vars files",
                        "merge them; this many vars files is almost certainly a mistake"));
            }
            return;
        }
        Node root;
        try {
            String text = SafeYaml.readFile(p, "a vars file", "put the variables in a file inside it, e.g. " + p.resolve("main.yaml"));
            if (isBlank(text)) {
                read.add(name);
                return; // an empty vars file is fine, as in Ansible
            }
            root = SafeYaml.read(name, text);
        } catch (InvalidInputException e) {
            problems.addAll(e.problems());
            return;
        }
        read.add(name);
        Nodes n = new Nodes(name);
        Map<String, Host.Var> vars = InventoryLoader.vars(n, root, "the variables in " + p.getFileName());
        problems.addAll(n.problems);
        if (vars != null) {
            into.putAll(vars);
        }
    }

    /** Only comments, blank lines and document markers: no variables. */
    static boolean isBlank(String text) {
        return text.lines().map(String::strip)
                .allMatch(l -> l.isEmpty() || l.startsWith("#") || l.equals("---") || l.equals("..."));
    }
}
