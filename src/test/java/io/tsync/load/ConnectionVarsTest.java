package io.tsync.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.model.Host;
import io.tsync.model.Location;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionVarsTest {
    static final Location AT = new Location("inv.yaml", 3, 5);

    /** The host of these variables, written as a group_vars/all.yaml file with one 'key: value' line each. */
    static Host host(List<Problem> problems, String... keyValues) throws InvalidInputException {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < keyValues.length; i += 2) {
            yaml.append(keyValues[i]).append(": ").append(keyValues[i + 1]).append('\n');
        }
        Nodes n = new Nodes("group_vars/all.yaml");
        Map<String, Host.Var> vars = InventoryLoader.vars(n, SafeYaml.read("group_vars/all.yaml", yaml.toString()), "the variables");
        assertEquals(List.of(), n.problems);
        return ConnectionVars.host(problems, "web1.example.com", vars, List.of("web"), AT, Path.of("/srv/inv"));
    }

    @Test
    void connectionVariablesMakeTheConnection() throws Exception {
        List<Problem> problems = new ArrayList<>();
        Host h = host(problems, "ansible_host", "192.0.2.1", "ansible_user", "deploy", "ansible_private_key_file", "keys/id",
                "ansible_become", "no", "ansible_connection", "smart");
        assertEquals(List.of(), problems);
        assertEquals("192.0.2.1", h.address());
        assertEquals(22, h.port());
        assertEquals("deploy", h.user());
        assertEquals(Path.of("/srv/inv/keys/id").toString(), h.keyFile(), "relative to the inventory's folder");
        assertFalse(h.become());
        assertEquals(List.of("web"), h.groups());
    }

    @Test
    void withoutVariablesTheNameIsTheAddressAndANonRootUserBecomesRoot() throws Exception {
        List<Problem> problems = new ArrayList<>();
        Host h = host(problems, "ansible_user", "deploy");
        assertEquals("web1.example.com", h.address());
        assertNull(h.keyFile(), "ssh-agent");
        assertTrue(h.become());
        assertFalse(host(problems, "ansible_user", "root").become());
    }

    @Test
    void aWrongVariableIsReportedWhereItWasSet() throws Exception {
        List<Problem> problems = new ArrayList<>();
        assertNull(host(problems, "ansible_user", "deploy", "ansible_connection", "docker"));
        assertEquals(1, problems.size());
        Problem p = problems.get(0);
        assertEquals("group_vars/all.yaml", p.file());
        assertEquals(2, p.line(), "the line of ansible_connection");
        assertTrue(p.message().startsWith("ansible_connection 'docker' of host 'web1.example.com'"), p.message());
    }

    @Test
    void ansibleBooleansAsAnsibleReadsThem() {
        for (Object yes : List.of(true, 1L, "yes", "On", "TRUE", "y", "t", "1", " yes ")) {
            assertEquals(Boolean.TRUE, ConnectionVars.ansibleBoolean(yes), String.valueOf(yes));
        }
        for (Object no : List.of(false, 0L, "no", "Off", "false", "n", "F", "0")) {
            assertEquals(Boolean.FALSE, ConnectionVars.ansibleBoolean(no), String.valueOf(no));
        }
        for (Object neither : List.of(2L, "sometimes", "", 1.0)) {
            assertNull(ConnectionVars.ansibleBoolean(neither), String.valueOf(neither));
        }
    }
}
