package io.tsync.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tsync.model.Host;
import io.tsync.model.Inventory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostPatternsTest {
    static final Inventory INV = inventory();

    static Inventory inventory() {
        List<String> names = List.of("web1", "web2", "web10", "db1", "web.1", "lone");
        Map<String, List<String>> groups = new LinkedHashMap<>();
        groups.put("all", names);
        groups.put("ungrouped", List.of("lone"));
        groups.put("seoul", List.of("web1", "db1"));
        groups.put("tokyo", List.of("web2", "web10"));
        groups.put("asia", List.of("web1", "web2", "web10", "db1"));
        groups.put("dots", List.of("web.1"));
        return new Inventory("inv.yaml", names.stream().map(n -> new Host(n, n, 22, "root", null, false, Map.of(), List.of())).toList(), groups);
    }

    static List<String> select(String patterns) {
        return HostPatterns.select(INV, patterns).stream().map(Host::name).toList();
    }

    @Test
    void parseSortsTermsByKindAndSkipsBlankOnes() {
        assertEquals(new HostPatterns(List.of("web*", "db1"), List.of("asia"), List.of("web2", "tokyo")),
                HostPatterns.parse(" web*, !web2 :&asia,,db1:!tokyo "));
    }

    @Test
    void namesGroupsAndGlobs() {
        assertEquals(List.of("web2"), select("web2"));
        assertEquals(List.of("web1", "db1"), select("seoul"), "a group brings its hosts");
        assertEquals(List.of("web1", "web2", "web10", "web.1"), select("web*"));
        assertEquals(List.of("web1", "web2"), select("web?"), "? is one character");
        assertEquals(List.of("web1", "web2", "web10", "db1", "web.1", "lone"), select("all"));
        assertEquals(List.of("lone"), select("ungrouped"));
        assertEquals(List.of("web1", "web2", "web10", "db1", "web.1"), select("*s*"), "a glob matches group names too: seoul, asia, dots");
    }

    @Test
    void everyOtherCharacterIsItself() {
        assertEquals(List.of("web.1"), select("web.1"), "'.' is not a regular expression's any character");
        assertEquals(List.of(), select("web[12]"));
        assertEquals(List.of(), select("~web.*"), "Ansible's regular expressions are not read as such");
    }

    @Test
    void selectionKeepsInventoryOrderWhateverTheTermOrder() {
        assertEquals(List.of("web1", "db1", "lone"), select("lone,db1,web1"));
    }

    @Test
    void intersectionsThenExclusionsWhereverWritten() {
        assertEquals(List.of("web1", "web2", "web10"), select("web*:&asia"));
        assertEquals(List.of("web1"), select("asia:&web*:!tokyo:!db1"));
        assertEquals(List.of("web1"), select("!tokyo:&web*:asia"), "an exclusion written first still applies last");
        assertEquals(List.of("web2", "web10", "db1", "web.1", "lone"), select("all,!web1"));
        assertEquals(List.of(), select("seoul:&tokyo"));
    }

    @Test
    void onlyExclusionsOrNoMatchSelectNothing() {
        assertEquals(List.of(), select("!web1"));
        assertEquals(List.of(), select("nosuch*"));
        assertEquals(List.of(), select(" , :"));
    }
}
