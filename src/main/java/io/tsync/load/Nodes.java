package io.tsync.load;

import io.tsync.model.Location;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Typed, located reads from a YAML node tree. Every failed read records a {@link Problem} naming
 * file:line:column and the fix, and returns null, so one pass reports every mistake.
 */
final class Nodes {
    final String file;
    final List<Problem> problems = new ArrayList<>();

    Nodes(String file) {
        this.file = file;
    }

    void problem(Node at, String message, String fix) {
        problems.add(new Problem(file, SafeYaml.line(at), SafeYaml.col(at), message, fix));
    }

    Location where(Node n) {
        return new Location(file, SafeYaml.line(n), SafeYaml.col(n));
    }

    /** The entries of a mapping, in order; unknown keys are reported with the list of allowed ones. */
    Map<String, Node> map(Node node, String what, Set<String> allowed) {
        if (!(node instanceof MappingNode m)) {
            problem(node, what + " must be a mapping (key: value), not " + describe(node),
                    "write it as 'key: value' lines indented under its parent");
            return null;
        }
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                problem(t.getKeyNode(), "keys of " + what + " must be plain strings", "use a plain word as key");
                continue;
            }
            if (allowed != null && !allowed.contains(k.getValue())) {
                Set<String> known = new TreeSet<>(allowed); // Set.of iterates in an order that changes from run to run
                problem(k, "unknown key '" + k.getValue() + "' in " + what,
                        "use one of: " + String.join(", ", known) + suggest(k.getValue(), known));
                continue;
            }
            out.put(k.getValue(), t.getValueNode());
        }
        return out;
    }

    private static String suggest(String key, Set<String> allowed) {
        if (key.length() > Grammar.SUGGEST_LENGTH) {
            return ""; // no key is this long; edit distances would cost the lengths' product
        }
        String best = null;
        int bestD = 3;
        for (String a : allowed) {
            int d = Grammar.distance(a, key);
            if (d < bestD) {
                bestD = d;
                best = a;
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    String string(Node node, String what) {
        if (node instanceof ScalarNode s && !s.getTag().equals(Tag.NULL)) {
            return s.getValue();
        }
        problem(node, what + " must be a string, not " + describe(node), "write a plain value, e.g. " + what + ": value");
        return null;
    }

    Boolean bool(Node node, String what) {
        if (node instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) {
            String v = s.getValue().toLowerCase();
            return v.equals("true") || v.equals("yes") || v.equals("on");
        }
        problem(node, what + " must be true or false, not " + describe(node), "write " + what + ": true or " + what + ": false");
        return null;
    }

    Integer integer(Node node, String what, int min, int max) {
        if (node instanceof ScalarNode s && s.getTag().equals(Tag.INT)) {
            try {
                int v = Integer.parseInt(s.getValue().replace("_", ""));
                if (v >= min && v <= max) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // fall through to the problem below
            }
            problem(node, what + " " + s.getValue() + " is out of range", "use a whole number from " + min + " to " + max);
            return null;
        }
        problem(node, what + " must be a whole number, not " + describe(node), "use a whole number from " + min + " to " + max);
        return null;
    }

    Double number(Node node, String what, double min, double max) {
        if (node instanceof ScalarNode s && (s.getTag().equals(Tag.INT) || s.getTag().equals(Tag.FLOAT))) {
            try {
                double v = Double.parseDouble(s.getValue().replace("_", ""));
                if (v >= min && v <= max && Double.isFinite(v)) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // fall through
            }
            problem(node, what + " " + s.getValue() + " is out of range", "use a number from " + min + " to " + max);
            return null;
        }
        problem(node, what + " must be a number, not " + describe(node), "use a number from " + min + " to " + max);
        return null;
    }

    List<Node> list(Node node, String what) {
        if (node instanceof SequenceNode s) {
            return s.getValue();
        }
        problem(node, what + " must be a list, not " + describe(node), "write each item on its own '- ' line");
        return null;
    }

    /** A list of strings; a single string is accepted as a one-element list. */
    List<String> strings(Node node, String what) {
        if (node instanceof ScalarNode) {
            String s = string(node, what);
            return s == null ? null : List.of(s);
        }
        List<Node> items = list(node, what);
        if (items == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (Node n : items) {
            String s = string(n, what + " item");
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    static String describe(Node n) {
        if (n instanceof MappingNode) {
            return "a mapping";
        }
        if (n instanceof SequenceNode) {
            return "a list";
        }
        if (n instanceof ScalarNode s) {
            if (s.getTag().equals(Tag.NULL)) {
                return "an empty value";
            }
            String v = s.getValue();
            String shown = v.length() > 40 ? v.substring(0, 40) + "..." : v;
            return "'" + shown.replace("\n", "\\n") + "'";
        }
        return "something else";
    }

    /** Plain Java value of a node (strings, numbers, booleans, lists, maps), for Ansible variables. */
    static Object plain(Node n) {
        if (n instanceof ScalarNode s) {
            if (s.getTag().equals(Tag.NULL)) {
                return null;
            }
            if (s.getTag().equals(Tag.BOOL)) {
                String v = s.getValue().toLowerCase();
                return v.equals("true") || v.equals("yes") || v.equals("on");
            }
            if (s.getTag().equals(Tag.INT)) {
                try {
                    return Long.parseLong(s.getValue().replace("_", ""));
                } catch (NumberFormatException e) {
                    return s.getValue();
                }
            }
            return s.getValue();
        }
        if (n instanceof SequenceNode seq) {
            List<Object> out = new ArrayList<>();
            seq.getValue().forEach(x -> out.add(plain(x)));
            return out;
        }
        if (n instanceof MappingNode m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                out.put(String.valueOf(plain(t.getKeyNode())), plain(t.getValueNode()));
            }
            return out;
        }
        return null;
    }
}
