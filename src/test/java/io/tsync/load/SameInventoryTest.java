package io.tsync.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.tsync.model.Host;
import io.tsync.model.Inventory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** inventory/same/inventory.yaml and inventory.ini say the same thing; tsync must read the same hosts from both. */
class SameInventoryTest {
    static final Path DIR = GroupVarsTest.resource("inventory/same");

    /** Everything about a host except where its values were written. */
    static Map<String, Object> view(Host h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", h.name());
        m.put("address", h.address());
        m.put("port", h.port());
        m.put("user", h.user());
        m.put("key", h.keyFile());
        m.put("become", h.become());
        m.put("groups", h.groups());
        Map<String, Object> vars = new TreeMap<>();
        h.vars().forEach((k, v) -> vars.put(k, v.value()));
        m.put("vars", vars);
        return m;
    }

    static List<String> names(List<Host> hosts) {
        return hosts.stream().map(Host::name).toList();
    }

    @Test
    void yamlAndIniYieldIdenticalHostsVarsAndGroups() throws Exception {
        LoadedInventory yaml = InventoryLoader.loadDetailed(DIR.resolve("inventory.yaml"));
        LoadedInventory ini = InventoryLoader.loadDetailed(DIR.resolve("inventory.ini"));
        assertEquals("yaml", yaml.format());
        assertEquals("ini", ini.format());
        Inventory y = yaml.inventory();
        Inventory i = ini.inventory();
        assertEquals(List.of("lone", "web1", "web2", "db1", "web3", "app01", "app02", "app03", "dba", "dbb"),
                y.hosts().stream().map(Host::name).toList());
        assertEquals(y.hosts().stream().map(SameInventoryTest::view).toList(), i.hosts().stream().map(SameInventoryTest::view).toList());
        assertEquals(y.groups(), i.groups());
        assertEquals(yaml.children(), ini.children());
        assertEquals(yaml.directHosts(), ini.directHosts());
        for (String pattern : List.of("asia", "web*,!web2", "asia:&web", "all:!asia", "ungrouped", "app0[12]", "db?")) {
            assertEquals(names(HostPatterns.select(y, pattern)), names(HostPatterns.select(i, pattern)), pattern);
        }
        // the spot checks that make the comparison meaningful
        Host web2 = i.host("web2");
        assertEquals(2222, web2.port());
        assertEquals(Boolean.TRUE, web2.vars().get("ansible_become").value());
        assertEquals(3L, i.host("db1").vars().get("weight").value());
        assertEquals(Boolean.FALSE, i.host("db1").vars().get("backup").value());
        assertEquals("two words", i.host("web3").var("note"));
        assertEquals("0042", i.host("web3").var("code"));
        assertEquals("Asia/Seoul", i.host("web1").var("tsync_timezone"));
        assertEquals(List.of("ungrouped"), i.host("lone").groups());
        assertNotEquals(y.host("web1").vars().get("ansible_host").location(), i.host("web1").vars().get("ansible_host").location());
        assertEquals(DIR.resolve("inventory.ini") + ":18:19", i.host("web1").vars().get("ansible_host").location().toString());
    }
}
