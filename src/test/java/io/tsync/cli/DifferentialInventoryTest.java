package io.tsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.report.Json;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code tsync inventory --json} against what Ansible itself printed for the same inventory: each case in
 * src/test/resources/inventory/differential/ holds hosts.ini (with its group_vars/, host_vars/) and
 * ansible-inventory.json, recorded by the {@code record} script there with {@code ansible-inventory --list}
 * (ansible-core 2.14.18). Every host's variables, values and types, and every group must be the same;
 * tsync's own {@code _meta.tsync} is left aside.
 */
class DifferentialInventoryTest {
    static Path dir() {
        try {
            return Path.of(DifferentialInventoryTest.class.getResource("/inventory/differential").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> cases() throws Exception {
        try (Stream<Path> s = Files.list(dir())) {
            return s.filter(p -> Files.isRegularFile(p.resolve("ansible-inventory.json"))).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Numbers by value (Python prints 2.5 where Java may print 2.50), maps sorted: only meaning is compared. */
    static Object normal(Object v) {
        if (v instanceof Number n) {
            return "number " + new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new TreeMap<>();
            m.forEach((k, x) -> out.put((String) k, normal(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(normal(x)));
            return out;
        }
        return v;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void tsyncReadsTheInventoryAsAnsibleDoes(String name) throws Exception {
        Path c = dir().resolve(name);
        InProcess.Run r = InProcess.run("inventory", "-i", c.resolve("hosts.ini").toString(), "--json");
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        @SuppressWarnings("unchecked")
        Map<String, Object> tsync = new LinkedHashMap<>((Map<String, Object>) Json.parse(r.out()));
        @SuppressWarnings("unchecked")
        Map<String, Object> ansible = (Map<String, Object>) Json.parse(Files.readString(c.resolve("ansible-inventory.json")));
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = new LinkedHashMap<>((Map<String, Object>) tsync.get("_meta"));
        assertTrue(meta.remove("tsync") != null, "tsync's own part is there");
        tsync.put("_meta", meta);
        @SuppressWarnings("unchecked")
        Map<String, Object> aVars = (Map<String, Object>) ((Map<String, Object>) ansible.get("_meta")).get("hostvars");
        @SuppressWarnings("unchecked")
        Map<String, Object> tVars = (Map<String, Object>) meta.get("hostvars");
        assertEquals(aVars.keySet(), tVars.keySet(), "hosts");
        for (String h : aVars.keySet()) {
            assertEquals(normal(aVars.get(h)), normal(tVars.get(h)), name + ": variables of " + h);
        }
        assertEquals(normal(ansible), normal(tsync), name + ": groups");
    }
}
