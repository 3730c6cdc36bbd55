package io.tsync.cli;

import static io.tsync.cli.InProcess.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.cli.InProcess.Run;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tsync inventory}, run in-process through {@link Main#run}. */
class InventoryCommandTest {
    static final Path LAYOUT = resource("inventory/layout");
    static final Path SAME = resource("inventory/same");

    @TempDir
    Path dir;

    static Path resource(String name) {
        try {
            return Path.of(InventoryCommandTest.class.getClassLoader().getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }


    @Test
    void listShowsConnectionVarsAndWhereEachCameFrom() {
        Path hosts = LAYOUT.resolve("hosts");
        Run r = run("inventory", "-i", hosts.toString());
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        String out = r.out();
        assertTrue(out.contains("web1  deploy@192.0.2.11:22  sudo  key (ssh-agent)\n"), out);
        assertTrue(out.contains("web2  deploy@192.0.2.12:2222  sudo  key (ssh-agent)\n"), out);
        assertTrue(out.lines().anyMatch(l -> l.matches(" {4}groups +asia, seoul")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches(" {4}level +host_vars +" + java.util.regex.Pattern.quote(LAYOUT.resolve("host_vars/web1") + ":1:8"))),
                out);
        assertTrue(out.lines().anyMatch(l -> l.matches(" {4}tsync_timezone +Asia/Tokyo +.*20-ntp\\.yaml:3:17")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches(" {4}tsync_ntp +\\{\"servers\":\\[\\{\"host\":\"ntp.nict.jp\",\"iburst\":true}]} +.*")), out);
        assertTrue(out.endsWith("3 host(s), 5 group(s); read " + hosts + " and 6 group_vars/host_vars file(s)\n"), out);
        assertTrue(r.err().contains("sesoul.yaml: no group 'sesoul' in the inventory (did you mean 'seoul'?); ignored"), r.err());
    }

    @Test
    void graphLooksLikeAnsibleInventoryGraph() {
        Run r = run("inventory", "-i", LAYOUT.resolve("hosts").toString(), "--graph");
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        assertEquals("""
                @all:
                  |--@asia:
                  |  |--@seoul:
                  |  |  |--web1
                  |  |  |--web2
                  |  |--@tokyo:
                  |  |  |--db1
                  |--@ungrouped:
                """, r.out());
        Run sub = run("inventory", "-i", LAYOUT.resolve("hosts").toString(), "--graph", "seoul", "--limit", "web2");
        assertEquals("@seoul:\n  |--web2\n", sub.out());
    }

    @Test
    void graphOfTheSameInventoryInYamlAndIniIsIdentical() {
        Run yaml = run("inventory", "-i", SAME.resolve("inventory.yaml").toString(), "--graph");
        Run ini = run("inventory", "-i", SAME.resolve("inventory.ini").toString(), "--graph");
        assertEquals(ExitCodes.OK, yaml.exit(), yaml.err());
        assertEquals(yaml.out(), ini.out());
        assertEquals("""
                @all:
                  |--@app:
                  |  |--app01
                  |  |--app02
                  |  |--app03
                  |  |--dba
                  |  |--dbb
                  |--@asia:
                  |  |--@seoul:
                  |  |  |--web1
                  |  |  |--web2
                  |  |--@tokyo:
                  |  |  |--db1
                  |--@ungrouped:
                  |  |--lone
                  |--@web:
                  |  |--web1
                  |  |--web3
                """, ini.out());
    }

    @Test
    void jsonHasAnsibleListLayoutPlusConnections() {
        Run r = run("inventory", "-i", LAYOUT.resolve("hosts").toString(), "--json");
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        String j = r.out();
        assertTrue(j.startsWith("{\n  \"_meta\": {\n    \"hostvars\": {\n      \"web1\": {"), j);
        assertTrue(j.contains("\"level\": \"host_vars\""), j);
        assertTrue(j.contains("\"tsync_ntp\": {\n          \"servers\": [\n            {\n              \"host\": \"ntp.nict.jp\","), j);
        assertTrue(j.contains("\"tsync\": {\n      \"web1\": {\n        \"address\": \"192.0.2.11\",\n        \"port\": 22,\n        \"user\": \"deploy\",\n"
                + "        \"key_file\": null,\n        \"become\": true,\n        \"groups\": [\n          \"asia\",\n          \"seoul\"\n        ],"), j);
        assertTrue(j.contains("\"tsync_timezone\": \"" + LAYOUT.resolve("hosts") + ":19:16\""), j);
        assertTrue(j.contains("\"all\": {\n    \"children\": [\n      \"ungrouped\",\n      \"asia\"\n    ]\n  }"), j);
        assertTrue(j.contains("\"seoul\": {\n    \"hosts\": [\n      \"web1\",\n      \"web2\"\n    ]\n  }"), j);
        assertTrue(j.contains("\"asia\": {\n    \"children\": [\n      \"seoul\",\n      \"tokyo\"\n    ]\n  }"), j);
        assertFalse(j.contains("\"ungrouped\": {"), "empty groups are left out, as ansible-inventory --list does");
        assertTrue(j.endsWith("}\n"), j);
    }

    @Test
    void hostShowsOneHost() {
        Run r = run("inventory", "-i", LAYOUT.resolve("hosts").toString(), "--host", "db1");
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        assertTrue(r.out().startsWith("db1  deploy@192.0.2.21:22  sudo  key (ssh-agent)\n"), r.out());
        assertFalse(r.out().contains("web1"), r.out());
        Run j = run("inventory", "-i", LAYOUT.resolve("hosts").toString(), "--host", "web2", "--json");
        assertEquals(ExitCodes.OK, j.exit(), j.err());
        assertTrue(j.out().startsWith("{\n  \"name\": \"web2\",\n  \"address\": \"192.0.2.12\",\n  \"port\": 2222,"), j.out());
        assertTrue(j.out().contains("\"ansible_port\": \"" + LAYOUT.resolve("host_vars/web2.yaml") + ":1:15\""), j.out());
    }

    @Test
    void limitSelectsHosts() {
        Run r = run("inventory", "-i", LAYOUT.resolve("hosts").toString(), "--limit", "asia:!seoul");
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        assertTrue(r.out().startsWith("db1  "), r.out());
        assertTrue(r.out().contains("1 host(s)"), r.out());
        Run none = run("inventory", "-i", LAYOUT.resolve("hosts").toString(), "--limit", "nowhere");
        assertEquals(ExitCodes.INVALID_INPUT, none.exit());
    }

    @Test
    void invalidInputExitsThreeWithLocationAndFix() throws Exception {
        Path inv = Files.writeString(dir.resolve("hosts.ini"), "[web]\nh1 ansible_host=10.0.0.1 ansible_port=ssh\n");
        Run r = run("inventory", "-i", inv.toString());
        assertEquals(ExitCodes.INVALID_INPUT, r.exit());
        assertTrue(r.err().contains(inv + ":2:39: ansible_port must be a whole number, not 'ssh'\n  fix: "), r.err());
        assertEquals("", r.out());

        Run host = run("inventory", "-i", LAYOUT.resolve("hosts").toString(), "--host", "web3");
        assertEquals(ExitCodes.INVALID_INPUT, host.exit());
        assertTrue(host.err().contains("no host 'web3'") && host.err().contains("did you mean 'web1'"), host.err());

        Run group = run("inventory", "-i", LAYOUT.resolve("hosts").toString(), "--graph", "europe");
        assertEquals(ExitCodes.INVALID_INPUT, group.exit());
        assertTrue(group.err().contains("no group 'europe'"), group.err());

        Run both = run("inventory", "-i", LAYOUT.resolve("hosts").toString(), "--graph", "--json");
        assertEquals(ExitCodes.INVALID_INPUT, both.exit());
        assertTrue(both.err().contains("fix:"), both.err());

        Run missing = run("inventory", "-i", dir.resolve("nope.yaml").toString());
        assertEquals(ExitCodes.INVALID_INPUT, missing.exit());
        assertTrue(missing.err().contains("file not found"), missing.err());
    }

    @Test
    void helpFitsOneScreenWithExamples() {
        Run r = run("inventory", "--help");
        assertEquals(ExitCodes.OK, r.exit());
        assertTrue(r.out().lines().count() <= 40, r.out());
        assertTrue(r.out().lines().allMatch(l -> l.length() <= 100), r.out());
        assertTrue(r.out().contains("Examples:") && r.out().contains("tsync inventory -i inventory.yaml --graph"), r.out());
    }
}
