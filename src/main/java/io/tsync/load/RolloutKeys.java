package io.tsync.load;

import io.tsync.model.Location;
import io.tsync.model.Play;
import io.tsync.model.Rollout;
import io.tsync.model.Serial;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A play's rollout keys, as Ansible spells them: {@code serial} (a count, a percentage or a ramp),
 * {@code max_fail_percentage} (0 to 100) and tsync's {@code on_unsynced} (keep or rollback).
 */
final class RolloutKeys {
    private RolloutKeys() {}

    static final Set<String> KEYS = Set.of("serial", "max_fail_percentage", "on_unsynced");

    static Rollout parse(Nodes n, Map<String, Node> play) {
        Serial serial = play.containsKey("serial") ? serial(n, play.get("serial")) : null;
        Integer maxFail = play.containsKey("max_fail_percentage") ? n.integer(play.get("max_fail_percentage"), "max_fail_percentage", 0, 100) : null;
        Boolean rollback = null;
        if (play.containsKey("on_unsynced")) {
            String v = n.string(play.get("on_unsynced"), "on_unsynced");
            if (v != null && !v.equals("keep") && !v.equals("rollback")) {
                n.problem(play.get("on_unsynced"), "on_unsynced '" + v + "' is not known",
                        "write on_unsynced: rollback (a stopped wave's unsynced hosts get their previous config back) or on_unsynced: keep");
            } else if (v != null) {
                rollback = v.equals("rollback");
            }
        }
        Node first = play.entrySet().stream().filter(e -> KEYS.contains(e.getKey())).map(Map.Entry::getValue).findFirst().orElse(null);
        return first == null ? Rollout.NONE : new Rollout(serial, maxFail, rollback, n.where(first));
    }

    private static Serial serial(Nodes n, Node node) {
        List<Node> items = node instanceof SequenceNode s ? s.getValue() : List.of(node);
        if (items.isEmpty()) {
            n.problem(node, "serial is an empty list", "give wave sizes, e.g. serial: [1, \"10%\", \"50%\"], or drop serial to change every host at once");
            return null;
        }
        List<Serial.Size> sizes = new ArrayList<>();
        for (Node item : items) {
            if (!(item instanceof ScalarNode sc) || sc.getTag().equals(Tag.NULL) || sc.getTag().equals(Tag.BOOL)) {
                n.problem(item, "serial must be a host count, a percentage or a list of them, not " + Nodes.describe(item),
                        "write serial: 5, serial: \"20%\" or serial: [1, 5, \"20%\"]");
                return null;
            }
            try {
                sizes.add(Serial.parseSize(sc.getValue()));
            } catch (IllegalArgumentException e) {
                n.problem(item, e.getMessage(), "write serial: 5, serial: \"20%\" or serial: [1, 5, \"20%\"]");
                return null;
            }
        }
        return new Serial(sizes);
    }

    /**
     * tsync converges each host through all its plays in one pass, so a run has one rollout: plays that
     * declare the same key must agree on its value.
     */
    static void agree(Nodes n, List<Play> plays) {
        Play first = null;
        for (Play p : plays) {
            Rollout r = p.rollout();
            if (r.location() == null) {
                continue;
            }
            if (first == null) {
                first = p;
                continue;
            }
            Rollout f = first.rollout();
            if (differs(f.serial(), r.serial()) || differs(f.maxFailPercentage(), r.maxFailPercentage()) || differs(f.rollbackUnsynced(), r.rollbackUnsynced())) {
                Location at = r.location();
                n.problems.add(new Problem(at.file(), at.line(), at.column(), "play '" + p.name() + "' declares a rollout (serial, max_fail_percentage, on_unsynced) "
                        + "other than play '" + first.name() + "' at " + f.location() + "; tsync converges each host through all its plays at once, so a run has one rollout",
                        "declare serial, max_fail_percentage and on_unsynced in one play only, or give them the same values"));
            }
        }
    }

    private static boolean differs(Object a, Object b) {
        return a != null && b != null && !a.equals(b);
    }

    /** The playbook's rollout: each key from the first play that declares it. */
    static Rollout of(List<Play> plays) {
        Rollout out = Rollout.NONE;
        for (Play p : plays) {
            Rollout r = p.rollout();
            out = new Rollout(out.serial() != null ? out.serial() : r.serial(),
                    out.maxFailPercentage() != null ? out.maxFailPercentage() : r.maxFailPercentage(),
                    out.rollbackUnsynced() != null ? out.rollbackUnsynced() : r.rollbackUnsynced(),
                    out.location() != null ? out.location() : r.location());
        }
        return out;
    }
}
