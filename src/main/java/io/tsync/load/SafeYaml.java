package io.tsync.load;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads YAML into SnakeYAML's node tree (which keeps line and column of every value) with the
 * safe constructor and hard limits: no arbitrary types (CVE-2022-1471), an alias limit (billion
 * laughs), a size limit, a nesting limit, and duplicate keys refused.
 */
public final class SafeYaml {
    public static final int MAX_BYTES = 1 << 20;
    public static final int MAX_ALIASES = 50;

    private SafeYaml() {}

    public static Node read(Path file) throws InvalidInputException {
        String name = file.toString();
        byte[] bytes;
        try {
            if (!Files.isRegularFile(file)) {
                throw new InvalidInputException(new Problem(name, 0, 0, "file not found or not a regular file",
                        "check the path; it is resolved against the current directory"));
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new InvalidInputException(new Problem(name, 0, 0,
                        "file is larger than " + MAX_BYTES / 1024 + " KiB", "split it; a playbook or inventory this large is almost certainly a mistake"));
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidInputException(new Problem(name, 0, 0, "cannot read file: " + e.getMessage(),
                    "check that the file exists and is readable"));
        }
        return read(name, new String(bytes, StandardCharsets.UTF_8));
    }

    public static Node read(String name, String text) throws InvalidInputException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(40);
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
                throw new InvalidInputException(new Problem(name, m == null ? 0 : m.getLine() + 1, m == null ? 0 : m.getColumn() + 1,
                        "type tags are not allowed (" + oneLine(msg) + ")", "remove the '!!' tag: tsync reads plain strings, numbers, lists and mappings only"));
            }
            throw new InvalidInputException(new Problem(name, m == null ? 0 : m.getLine() + 1, m == null ? 0 : m.getColumn() + 1,
                    "YAML syntax error: " + oneLine(msg), "fix the YAML syntax at this position (indentation, quotes, ':' after keys)"));
        } catch (org.yaml.snakeyaml.reader.ReaderException e) {
            int[] lc = lineColumn(text, e.getPosition());
            throw new InvalidInputException(new Problem(name, lc[0], lc[1],
                    String.format("control character U+%04X is not allowed in YAML", e.getCodePoint()), "remove it (it is invisible in most editors)"));
        } catch (YAMLException e) {
            String msg = oneLine(e.getMessage());
            String fix = msg.contains("aliases") ? "remove the anchors/aliases; tsync allows at most " + MAX_ALIASES
                    : "simplify the document";
            throw new InvalidInputException(new Problem(name, 0, 0, "YAML refused: " + msg, fix));
        } catch (IOException e) {
            throw new InvalidInputException(new Problem(name, 0, 0, "cannot read: " + e.getMessage(), "check the file"));
        }
        if (root == null) {
            throw new InvalidInputException(new Problem(name, 1, 1, "document is empty", "add the content described in README.md"));
        }
        checkDuplicates(name, root, new HashMap<>());
        checkShape(name, root, new java.util.IdentityHashMap<>(), new java.util.IdentityHashMap<>());
        return root;
    }

    /** Largest number of nodes a document may expand to through aliases (a billion-laughs guard below the alias limit). */
    public static final int MAX_EXPANDED_NODES = 10_000;

    /**
     * Refuses recursive aliases (a node containing itself) and documents whose aliases expand to
     * more than {@link #MAX_EXPANDED_NODES} nodes. Returns the expanded size of {@code node}.
     */
    private static long checkShape(String name, Node node, java.util.IdentityHashMap<Node, Boolean> path,
                                   java.util.IdentityHashMap<Node, Long> sizes) throws InvalidInputException {
        Long known = sizes.get(node);
        if (known != null) {
            return known;
        }
        if (path.put(node, Boolean.TRUE) != null) {
            throw new InvalidInputException(new Problem(name, line(node), col(node), "recursive alias: this node contains itself",
                    "replace the alias (*name) inside its own anchor (&name) with the values"));
        }
        long size = 1;
        if (node instanceof MappingNode map) {
            for (NodeTuple t : map.getValue()) {
                size += checkShape(name, t.getKeyNode(), path, sizes) + checkShape(name, t.getValueNode(), path, sizes);
                if (size > MAX_EXPANDED_NODES) {
                    break;
                }
            }
        } else if (node instanceof SequenceNode seq) {
            for (Node n : seq.getValue()) {
                size += checkShape(name, n, path, sizes);
                if (size > MAX_EXPANDED_NODES) {
                    break;
                }
            }
        }
        path.remove(node);
        if (size > MAX_EXPANDED_NODES) {
            throw new InvalidInputException(new Problem(name, line(node), col(node),
                    "document expands to more than " + MAX_EXPANDED_NODES + " values through aliases",
                    "write the values out instead of nesting aliases (*name) of aliases"));
        }
        sizes.put(node, size);
        return size;
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

    static int line(Node n) {
        return n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
    }

    static int col(Node n) {
        return n.getStartMark() == null ? 0 : n.getStartMark().getColumn() + 1;
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        List<String> lines = s.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        return String.join(" ", lines);
    }
}
