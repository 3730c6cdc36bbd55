package io.tsync.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tsync.model.Location;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupGraphTest {
    /** A raw inventory from {@code "group: host host"} and {@code "parent -> child"} lines, as a parser fills it. */
    static RawInventory raw(List<String> groups, List<String> links) {
        RawInventory raw = new RawInventory("inv.yaml");
        int line = 1;
        for (String group : groups) {
            String[] nameHosts = group.split(":");
            RawInventory.Group g = raw.group(nameHosts[0], new Location("inv.yaml", line++, 1));
            for (String h : nameHosts[1].strip().split(" ")) {
                raw.addHost(g, h, new Location("inv.yaml", line++, 3), Map.of());
            }
        }
        for (String link : links) {
            String[] pc = link.split(" -> ");
            raw.addChild(raw.group(pc[0], new Location("inv.yaml", line++, 1)), pc[1]);
        }
        return raw;
    }

    @Test
    void reconcilesAsAnsibleDoes() throws Exception {
        // 'asia' is written as a parent only; 'kyoto' is named as a child but never defined
        GroupGraph g = GroupGraph.of(raw(List.of("seoul: web1"), List.of("asia -> seoul", "asia -> kyoto")));
        assertEquals(List.of("all", "ungrouped", "seoul", "asia", "kyoto"), List.copyOf(g.children().keySet()));
        assertEquals(List.of("ungrouped", "asia"), g.children().get("all"), "groups without a parent hang under all, ungrouped first");
        assertEquals(List.of("seoul", "kyoto"), g.children().get("asia"));
        assertEquals(List.of(), g.children().get("kyoto"));
        assertEquals(List.of(), g.directHosts().get("kyoto"));
        assertEquals(List.of(), g.directHosts().get("all"));
    }

    @Test
    void aHostInNoGroupButAllIsUngroupedAndOnlyThen() throws Exception {
        RawInventory raw = raw(List.of("ungrouped: lone web1", "web: web1"), List.of());
        raw.addHost(raw.group("all", null), "solo", new Location("inv.yaml", 9, 5), Map.of());
        GroupGraph g = GroupGraph.of(raw);
        assertEquals(List.of("lone", "solo"), g.directHosts().get("ungrouped"));
        assertEquals(List.of("lone", "solo"), g.members().get("ungrouped"));
        assertEquals(List.of("lone", "web1", "solo"), g.members().get("all"), "every host, in the order first named");
        assertEquals(List.of("ungrouped", "web", "all"), List.copyOf(g.members().keySet()).subList(0, 3));
        assertEquals(List.of("web", "all"), g.groupsOf("web1"));
    }

    @Test
    void membersAreOwnHostsAndDescendantsInHostOrder() throws Exception {
        GroupGraph g = GroupGraph.of(raw(List.of("tokyo: db1", "seoul: web2 web1", "web: web1"),
                List.of("asia -> tokyo", "asia -> seoul")));
        assertEquals(List.of("db1", "web2", "web1"), g.members().get("asia"));
        assertEquals(List.of("web2", "web1"), g.members().get("seoul"));
        assertEquals(List.of(), g.directHosts().get("asia"));
        assertEquals(List.of("web2", "web1"), g.directHosts().get("seoul"), "own hosts as written");
    }

    @Test
    void depthIsTheLongestPathFromAll() throws Exception {
        // c is a child of a (depth 2) and of b (depth 2, under a): its deepest parent decides
        GroupGraph g = GroupGraph.of(raw(List.of("c: h1"), List.of("a -> c", "a -> b", "b -> c")));
        assertEquals(0, g.depth().get("all"));
        assertEquals(1, g.depth().get("ungrouped"));
        assertEquals(1, g.depth().get("a"));
        assertEquals(2, g.depth().get("b"));
        assertEquals(3, g.depth().get("c"));
    }

    @Test
    void aCycleIsRefusedWithItsPathAtItsFirstGroup() {
        RawInventory raw = raw(List.of("a: h1"), List.of("a -> b", "b -> c", "c -> a"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> GroupGraph.of(raw));
        assertEquals(1, e.problems().size());
        Problem p = e.problems().get(0);
        assertEquals("group cycle: a -> b -> c -> a", p.message());
        assertEquals(1, p.line(), "where 'a' is first defined");
        assertEquals(List.of("a", "b", "c"), List.copyOf(raw.groups.keySet()), "the raw inventory is left as parsed");
    }

    @Test
    void aGroupThatIsItsOwnChildIsACycle() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> GroupGraph.of(raw(List.of(), List.of("a -> a"))));
        assertEquals("group cycle: a -> a", e.problems().get(0).message());
    }

    @Test
    void earlierProblemsAreThrownWithTheCycle() {
        RawInventory raw = raw(List.of(), List.of("a -> b", "b -> a"));
        raw.problem(new Location("inv.yaml", 7, 3), "an earlier problem", "fix it");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> GroupGraph.of(raw));
        assertEquals(List.of("an earlier problem", "group cycle: a -> b -> a"), e.problems().stream().map(Problem::message).toList());
    }
}
