package io.tsync.cli;

import static io.tsync.cli.InProcess.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tsync.cli.InProcess.Run;
import io.tsync.load.LocalInventory;
import io.tsync.report.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --slice, --local and report merge through the real command line, in-process; no host is contacted. */
class ScaleCliTest {
    @TempDir
    Path dir;

    Path inv;
    Path playbook;

    @BeforeEach
    void files() throws Exception {
        StringBuilder hosts = new StringBuilder("all:\n  vars: { ansible_host: 127.0.0.1, ansible_port: 1 }\n  hosts:\n");
        for (int i = 1; i <= 12; i++) {
            hosts.append("    h").append(i).append(":\n");
        }
        inv = Files.writeString(dir.resolve("inventory.yaml"), hosts);
        playbook = Files.writeString(dir.resolve("kr.yaml"), Files.readString(Path.of("playbooks/kr.yaml")));
    }

    static int selected(Run r) {
        Matcher m = Pattern.compile("valid; (\\d+) host\\(s\\) selected").matcher(r.out());
        assertTrue(m.find(), r.out() + r.err());
        return Integer.parseInt(m.group(1));
    }

    @Test
    void theSlicesOfASelectionAddUpToIt() {
        int total = 0;
        for (int k = 1; k <= 4; k++) {
            Run r = run("validate", "-i", inv.toString(), "--slice", k + "/4", playbook.toString());
            assertEquals(0, r.exit(), r.err());
            int n = selected(r);
            assertTrue(r.err().contains("tsync: slice " + k + "/4: " + n + " of the 12 selected host(s)"), r.err());
            total += n;
        }
        assertEquals(12, total);
        Run limited = run("validate", "-i", inv.toString(), "--limit", "h1,h2,h3,h4", "--slice", "4/4", playbook.toString());
        assertTrue(limited.err().contains("of the 4 selected host(s)"), "slices cut what --limit selected: " + limited.err());
    }

    @Test
    void aSliceOutsideOneToNIsInvalidInputExitThree() {
        for (String bad : List.of("0/4", "5/4", "4", "x/y", "1/0")) {
            for (String cmd : List.of("apply", "status", "facts")) {
                Run r = cmd.equals("apply") ? run(cmd, "-i", inv.toString(), "--slice", bad, playbook.toString())
                        : run(cmd, "-i", inv.toString(), "--slice", bad);
                assertEquals(ExitCodes.INVALID_INPUT, r.exit(), cmd + " --slice " + bad + ": " + r.err());
                assertTrue(r.err().contains("Invalid value for option '--slice'"), r.err());
            }
        }
        Run r = run("apply", "-i", inv.toString(), "--slice", "5/4", playbook.toString());
        assertTrue(r.err().contains("'5/4': K must be from 1 to N (4)"), r.err());
    }

    /** h1..h12 in 4 slices: slice 2 is empty (docs/scale.md). A worker with nothing to do succeeds and says so. */
    @Test
    void anEmptySliceSucceedsWithAnEmptyReport() throws Exception {
        Run r = run("apply", "-i", inv.toString(), "--slice", "2/4", "--json", playbook.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("tsync: slice 2/4: 0 of the 12 selected host(s), nothing to do"), r.err());
        Map<?, ?> doc = (Map<?, ?>) Json.parse(r.out());
        assertEquals(List.of(), doc.get("hosts"));
        assertEquals(Map.of("index", 2L, "count", 4L, "selectedHosts", 12L), doc.get("slice"));
    }

    @Test
    void localModeRefusesAnInventory() {
        Run r = run("apply", "--local", "-i", inv.toString(), playbook.toString());
        assertEquals(ExitCodes.INVALID_INPUT, r.exit());
        assertTrue(r.err().startsWith("--local: --local converges this machine without an inventory; -i " + inv + " was given too"), r.err());
    }

    @Test
    void inLocalModeAPlayMustSelectThisMachine() throws Exception {
        Run ok = run("validate", "--local", playbook.toString());
        assertEquals(0, ok.exit(), ok.err());
        assertEquals(1, selected(ok));
        Path web = Files.writeString(dir.resolve("web.yaml"), "hosts: web\ntimezone: Asia/Seoul\n");
        Run r = run("validate", "--local", web.toString());
        assertEquals(ExitCodes.INVALID_INPUT, r.exit());
        String host = LocalInventory.load(LocalInventory.hostname(), null).hosts().get(0).name();
        assertEquals(web + ":1:1: play 'web' matches no host of local mode (hosts: web)\n"
                + "  fix: in local mode the one host is this machine, '" + host + "': write hosts: all, localhost or " + host
                + " (or use an inventory whose host for this machine has ansible_connection: local)\n", r.err());
        Path named = Files.writeString(dir.resolve("named.yaml"), "hosts: " + host + "\ntimezone: Asia/Seoul\n");
        assertEquals(0, run("validate", "--local", named.toString()).exit());
    }

    /** Runs the real (read-only) facts probe on this machine through LocalTransport: needs root, or sudo would be asked for. */
    @Test
    void factsLocalReadsThisMachineWithoutSsh() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        Run r = run("facts", "--local", "--json");
        assertEquals(0, r.exit(), r.err());
        Map<?, ?> doc = (Map<?, ?>) Json.parse(r.out());
        Map<?, ?> h = (Map<?, ?>) ((List<?>) doc.get("hosts")).get(0);
        assertEquals(LocalInventory.load(LocalInventory.hostname(), null).hosts().get(0).name(), h.get("host"));
        assertEquals("ok", h.get("state"), String.valueOf(h.get("error")));
        assertTrue(doc.containsKey("slice") && doc.get("slice") == null);
    }

    @Test
    void anInventoryHostWithConnectionLocalRunsHere() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        Path local = Files.writeString(dir.resolve("local.yaml"), "all:\n  hosts:\n    me: { ansible_connection: local }\n"
                + "    far: { ansible_host: 127.0.0.1, ansible_port: 1 }\n");
        Run r = run("facts", "-i", local.toString(), "--known-hosts", dir.resolve("kh").toString(), "--accept-new-hostkeys", "--json");
        List<?> hosts = (List<?>) ((Map<?, ?>) Json.parse(r.out())).get("hosts");
        assertEquals("ok", ((Map<?, ?>) hosts.get(0)).get("state"), r.err());
        assertEquals("unreachable", ((Map<?, ?>) hosts.get(1)).get("state"), "the other host still goes over SSH");
        assertEquals(ExitCodes.HOST_UNREACHABLE, r.exit());
    }

    @Test
    void reportMergeCombinesSliceFilesAndExitsWithTheFleetsCode() throws Exception {
        Path[] files = new Path[4];
        for (int k = 1; k <= 4; k++) {
            Run r = run("apply", "-i", inv.toString(), "--limit", "h2,h6", "--slice", k + "/4", "--json", "--check", playbook.toString());
            files[k - 1] = Files.writeString(dir.resolve("s" + k + ".json"), r.out());
        }
        Run m = run("report", "merge", files[0].toString(), files[1].toString(), files[2].toString(), files[3].toString());
        Map<?, ?> doc = (Map<?, ?>) Json.parse(m.out());
        List<?> hosts = (List<?>) doc.get("hosts");
        assertEquals(List.of("h2", "h6"), hosts.stream().map(h -> ((Map<?, ?>) h).get("host")).sorted().toList(), m.err());
        assertTrue(hosts.stream().allMatch(h -> "unreachable".equals(((Map<?, ?>) h).get("outcome"))), "port 1 refuses");
        assertEquals(ExitCodes.HOST_UNREACHABLE, m.exit());
        assertEquals(5L, doc.get("exitCode"));

        Run missing = run("report", "merge", files[0].toString(), files[1].toString(), files[3].toString());
        assertEquals(ExitCodes.INVALID_INPUT, missing.exit());
        assertTrue(missing.err().contains("slice(s) 3/4 missing"), missing.err());
        Path garbage = Files.writeString(dir.resolve("g.json"), "h1 changed\n{");
        Run bad = run("report", "merge", garbage.toString());
        assertEquals(ExitCodes.INVALID_INPUT, bad.exit());
        assertTrue(bad.err().startsWith(garbage + ": is not JSON: 1:1: expected a value"), bad.err());
        assertEquals(ExitCodes.INVALID_INPUT, run("report").exit(), "report needs a subcommand");
    }
}
