package io.tsync.load;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * Reads YAML into SnakeYAML's node tree (which keeps line and column of every value) with the
 * safe constructor and hard limits: no arbitrary types (CVE-2022-1471), an alias limit (billion
 * laughs), a size limit, a nesting limit, and duplicate keys refused.
 */
public final class SafeYaml {
    public static final int MAX_BYTES = 1 << 20;
    public static final int MAX_ALIASES = 50;
    public static final int MAX_DEPTH = 40;

    private SafeYaml() {}

    public static Node read(Path file) throws InvalidInputException {
        return read(file.toString(), readFile(file, "a YAML file", "name the file itself, not the folder holding it"));
    }

    /**
     * A playbook, inventory or vars file's text. Refusals are located at line 1, column 1: the
     * whole file is the problem. {@code what} is the file expected where a directory is found.
     */
    static String readFile(Path file, String what, String directoryFix) throws InvalidInputException {
        String name = file.toString();
        try {
            if (Files.isDirectory(file)) {
                throw new InvalidInputException(new Problem(name, 1, 1, "is a directory, not " + what, directoryFix));
            }
            if (!Files.isRegularFile(file)) {
                throw new InvalidInputException(new Problem(name, 1, 1, "file not found or not a regular file",
                        "check the path; it is resolved against the current directory"));
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new InvalidInputException(new Problem(name, 1, 1, "file is larger than " + MAX_BYTES / 1024 + " KiB",
                        "split it; a playbook, inventory or vars file this large is almost certainly a mistake"));
            }
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException(new Problem(name, 1, 1, "cannot read file: " + e.getMessage(),
                    "check that the file exists and that tsync's user may read it"));
        }
    }

    public static Node read(String name, String text) throws InvalidInputException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(MAX_BYTES);
        Yaml yaml = new Yaml(new SafeConstructor(options));
        Node root;
        try (Reader reader = new StringReader(text)) {
            root = yaml.compose(reader);
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String msg = e.getProblem() != null ? e.getProblem() : e.getMessage();
            if (msg != null && msg.contains("end of stream") && e.getContextMark() != null) {
                m = e.getContextMark(); // an unclosed quote or bracket: point at where it opened
            }
            if (e.getContext() != null) {
                msg = e.getContext() + ": " + msg;
            }
            if (msg != null && msg.contains("Global tag is not allowed")) {
                throw new InvalidInputException(at(name, m,
                        "type tags are not allowed (" + oneLine(msg) + ")", "remove the '!!' tag: tsync reads plain strings, numbers, lists and mappings only"));
            }
            String fix = "fix the YAML syntax at this position (indentation, quotes, ':' after keys)";
            if (msg != null && msg.contains("end of stream")) {
                fix = "close the quote or bracket that opens here";
            } else if (msg != null && msg.contains("undefined alias")) {
                fix = "define the anchor (&name) before this alias (*name), or write the value out";
            } else if (msg != null && msg.contains("expected a single document")) {
                fix = "keep one YAML document per file: remove this '---' and merge what follows into the document above";
            }
            throw new InvalidInputException(at(name, m, "YAML syntax error: " + oneLine(msg), fix));
        } catch (ReaderException e) {
            int[] lc = lineColumn(text, e.getPosition());
            throw new InvalidInputException(new Problem(name, lc[0], lc[1],
                    String.format("control character U+%04X is not allowed in YAML", e.getCodePoint()), "remove it (it is invisible in most editors)"));
        } catch (YAMLException e) {
            throw new InvalidInputException(limit(name, text, e));
        } catch (IOException e) {
            throw new InvalidInputException(new Problem(name, 1, 1, "cannot read: " + e.getMessage(), "check that the file is readable"));
        }
        if (root == null) {
            throw new InvalidInputException(new Problem(name, 1, 1, "document is empty", "add the content described in README.md"));
        }
        checkDuplicates(name, root, new HashMap<>());
        checkShape(name, text, root);
        return root;
    }

    /**
     * A limit SnakeYAML enforced without a position (aliases, depth, size), located: at the alias
     * or value that crossed it, found by {@link YamlLimitLocator}; else at line 1, column 1.
     */
    private static Problem limit(String name, String text, YAMLException e) {
        String msg = oneLine(e.getMessage());
        if (msg.contains("aliases")) {
            AliasEvent a = YamlLimitLocator.aliasOverLimit(text, MAX_ALIASES);
            return at(name, a == null ? null : a.getStartMark(),
                    "too many aliases: " + (a == null ? "more than " + MAX_ALIASES : "*" + a.getAnchor() + " is alias number " + (MAX_ALIASES + 1))
                            + " of a list or mapping in this file; tsync allows " + MAX_ALIASES + " (a guard against alias bombs)",
                    "write the values out instead of repeating aliases of lists and mappings");
        }
        if (msg.contains("Nesting Depth")) {
            Event deep = YamlLimitLocator.nodeTooDeep(text, MAX_DEPTH);
            return at(name, deep == null ? null : deep.getStartMark(),
                    "values nested more than " + MAX_DEPTH + " levels deep", "flatten the document; playbooks and inventories need a few levels");
        }
        if (msg.contains("code points")) {
            return new Problem(name, 1, 1, "document is larger than " + MAX_BYTES / 1024 + " KiB",
                    "split it; a playbook, inventory or vars file this large is almost certainly a mistake");
        }
        return new Problem(name, 1, 1, "YAML refused: " + msg, "simplify the document");
    }

    /**
     * Most values aliases may add to a document beyond those written in it (a billion-laughs guard below the alias
     * limit). Written values are bounded by {@link #MAX_BYTES}: a large inventory without aliases is no bomb.
     */
    public static final int MAX_EXPANDED_NODES = 10_000;

    /** A value that contains itself, or a document too large once its aliases are expanded, found on the node tree. */
    private static final class BadShape extends Exception {
        final Node node;
        final boolean recursive;

        BadShape(Node node, boolean recursive) {
            super(null, null, false, false);
            this.node = node;
            this.recursive = recursive;
        }
    }

    /**
     * Refuses recursive aliases (a node containing itself) and documents whose aliases expand to
     * more than {@link #MAX_EXPANDED_NODES} nodes, located at the alias that does it.
     */
    private static void checkShape(String name, String text, Node root) throws InvalidInputException {
        long limit = written(root, Collections.newSetFromMap(new IdentityHashMap<>())) + MAX_EXPANDED_NODES;
        try {
            size(root, new IdentityHashMap<>(), new IdentityHashMap<>(), limit);
        } catch (BadShape e) {
            if (e.recursive) {
                AliasEvent a = YamlLimitLocator.recursiveAlias(text);
                String anchor = a != null ? a.getAnchor() : e.node.getAnchor() == null ? "name" : e.node.getAnchor();
                throw new InvalidInputException(at(name, a != null ? a.getStartMark() : e.node.getStartMark(),
                        "recursive alias: *" + anchor + " is inside the value anchored as &" + anchor + ", so that value contains itself",
                        "replace the alias *" + anchor + " inside its own anchor with the values"));
            }
            Event over = YamlLimitLocator.expansionOverLimit(text, limit);
            throw new InvalidInputException(at(name, over != null ? over.getStartMark() : e.node.getStartMark(),
                    over instanceof AliasEvent a
                            ? "alias *" + a.getAnchor() + " makes the document expand to more than " + MAX_EXPANDED_NODES + " values beyond those written (a guard against alias bombs)"
                            : "aliases make the document expand to more than " + MAX_EXPANDED_NODES + " values beyond those written; the limit is crossed here",
                    "write the values out instead of nesting aliases (*name) of aliases"));
        }
    }

    /** The number of values written in the document: each node once, however many aliases name it. */
    private static long written(Node node, Set<Node> seen) {
        if (!seen.add(node)) {
            return 0;
        }
        long n = 1;
        if (node instanceof MappingNode map) {
            for (var t : map.getValue()) {
                n += written(t.getKeyNode(), seen) + written(t.getValueNode(), seen);
            }
        } else if (node instanceof SequenceNode seq) {
            for (Node c : seq.getValue()) {
                n += written(c, seen);
            }
        }
        return n;
    }

    /** The expanded size of {@code node}, each node counted once per place it appears. */
    private static long size(Node node, IdentityHashMap<Node, Boolean> path, IdentityHashMap<Node, Long> sizes, long limit)
            throws BadShape {
        Long known = sizes.get(node);
        if (known != null) {
            return known;
        }
        if (path.put(node, Boolean.TRUE) != null) {
            throw new BadShape(node, true);
        }
        long size = 1;
        List<Node> children = new ArrayList<>();
        if (node instanceof MappingNode map) {
            map.getValue().forEach(t -> {
                children.add(t.getKeyNode());
                children.add(t.getValueNode());
            });
        } else if (node instanceof SequenceNode seq) {
            children.addAll(seq.getValue());
        }
        for (Node c : children) {
            size += size(c, path, sizes, limit);
            if (size > limit) {
                throw new BadShape(node, false);
            }
        }
        path.remove(node);
        sizes.put(node, size);
        return size;
    }

    /** A problem at a parser position (0-based), or at line 1, column 1 when there is none. */
    private static Problem at(String name, Mark m, String message, String fix) {
        return new Problem(name, m == null ? 1 : m.getLine() + 1, m == null ? 1 : m.getColumn() + 1, message, fix);
    }

    private static int[] lineColumn(String text, int position) {
        int line = 1;
        int col = 1;
        for (int i = 0; i < Math.min(position, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new int[] {line, col};
    }

    private static void checkDuplicates(String name, Node node, Map<Node, Boolean> seen) throws InvalidInputException {
        if (seen.put(node, Boolean.TRUE) != null) {
            return;
        }
        if (node instanceof MappingNode map) {
            Map<String, Node> keys = new HashMap<>();
            for (NodeTuple t : map.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k) {
                    Node prev = keys.put(k.getValue(), k);
                    if (prev != null) {
                        throw new InvalidInputException(new Problem(name, line(k), col(k),
                                "duplicate key '" + k.getValue() + "' (first at line " + line(prev) + ")",
                                "keep one of the two; YAML would silently use the last"));
                    }
                }
                checkDuplicates(name, t.getValueNode(), seen);
            }
        } else if (node instanceof SequenceNode seq) {
            for (Node n : seq.getValue()) {
                checkDuplicates(name, n, seen);
            }
        }
    }

    /** 1-based; a node built without a position (not read from a file) counts as the file's start. */
    static int line(Node n) {
        return n.getStartMark() == null ? 1 : n.getStartMark().getLine() + 1;
    }

    static int col(Node n) {
        return n.getStartMark() == null ? 1 : n.getStartMark().getColumn() + 1;
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        List<String> lines = s.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        return String.join(" ", lines);
    }
}
