package io.tsync.cli;

import static io.tsync.cli.BadInputTest.contacted;
import static io.tsync.cli.BadInputTest.listener;
import static io.tsync.cli.InProcess.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.cli.InProcess.Run;
import io.tsync.load.SavedPlanCodec;
import io.tsync.model.Sha256;
import io.tsync.plan.SavedPlan;
import io.tsync.report.Json;
import io.tsync.run.PlanInputs;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code apply PLAN} and {@code show PLAN} offline: a plan from other inputs, another tsync, a
 * damaged file, options a plan cannot take, a host the inventory no longer has; each refused with
 * exit 3 before any host is contacted, saying what differs and the fix.
 */
class SavedPlanCliTest {
    @TempDir
    Path dir;

    Path inv;
    Path pb;

    void stage(int port) throws Exception {
        inv = Files.writeString(dir.resolve("inventory.yaml"), """
                all:
                  vars:
                    ansible_host: 127.0.0.1
                    ansible_port: %d
                  hosts:
                    web1:
                """.formatted(port));
        pb = Files.writeString(dir.resolve("site.yaml"), "hosts: all\ntimezone: Asia/Seoul\n");
    }

    Path plan(String version, String host) throws Exception {
        SavedPlan p = new SavedPlan(version, "2026-12-05T13:00:00Z", PlanInputs.playbook(pb), PlanInputs.inventory(inv, pb),
                PlanInputs.templates(null), "0123456789abcdef0123456789abcdef", List.of(),
                List.of(new SavedPlan.HostPlan(host, "pending", "debian12", 0, Map.of("timezone", "Etc/UTC"), Sha256.hex("x"),
                        List.of(new SavedPlan.PlannedStep(0, "SetTimezone", "set timezone Asia/Seoul", "Etc/UTC differs", null, null)),
                        List.of(), "--- web1: timezone\n-Etc/UTC\n+Asia/Seoul\n")), 2);
        return Files.writeString(dir.resolve("plan.json"), Json.write(SavedPlanCodec.toJson(p)));
    }

    @Test
    void aPlanFromAnotherPlaybookIsRefusedWholeNamingIt() throws Exception {
        try (ServerSocket listener = listener()) {
            stage(listener.getLocalPort());
            Path plan = plan("dev", "web1");
            Files.writeString(pb, "hosts: all\ntimezone: Asia/Tokyo\n");
            Run r = run("apply", plan.toString());
            assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.err());
            assertTrue(r.err().contains(plan + ": the plan is stale: the playbook " + pb + " changed since the plan (sha256 "), r.err());
            assertTrue(r.err().contains("fix: plan again: tsync apply --check --out " + plan + " " + pb), r.err());
            assertFalse(contacted(listener), "a stale plan contacts no host");
        }
    }

    @Test
    void aPlanByAnotherTsyncOrForAHostNoLongerSelectedIsRefused() throws Exception {
        try (ServerSocket listener = listener()) {
            stage(listener.getLocalPort());
            Run other = run("apply", plan("0.0.1", "web1").toString());
            assertEquals(ExitCodes.INVALID_INPUT, other.exit(), other.err());
            assertTrue(other.err().contains("the plan is stale: the plan was made by tsync 0.0.1, this is tsync dev"), other.err());
            Run gone = run("apply", plan("dev", "web9").toString());
            assertEquals(ExitCodes.INVALID_INPUT, gone.exit(), gone.err());
            assertTrue(gone.err().contains("the plan names host(s) the playbook and inventory no longer select: web9"), gone.err());
            assertFalse(contacted(listener));
        }
    }

    @Test
    void aDamagedPlanIsRefusedAtItsLineAndColumnByApplyAndShow() throws Exception {
        try (ServerSocket listener = listener()) {
            stage(listener.getLocalPort());
            Path plan = plan("dev", "web1");
            String text = Files.readString(plan);
            Files.writeString(plan, text.replace("\"ok\": 0,", "\"ok\": 0"));
            int line = (int) text.substring(0, text.indexOf("\"ok\": 0,")).lines().count() + 1;
            for (String cmd : List.of("apply", "show")) {
                Run r = run(cmd, plan.toString());
                assertEquals(ExitCodes.INVALID_INPUT, r.exit(), cmd + ": " + r.err());
                assertTrue(r.err().startsWith(plan + ":" + line + ":"), cmd + ": " + r.err());
                assertTrue(r.err().contains("not a tsync plan: "), r.err());
            }
            assertFalse(contacted(listener));
        }
    }

    @Test
    void optionsAPlanCannotTakeAreRefused() throws Exception {
        try (ServerSocket listener = listener()) {
            stage(listener.getLocalPort());
            Path plan = plan("dev", "web1");
            Run limit = run("apply", "--limit", "web1", plan.toString());
            assertEquals(ExitCodes.INVALID_INPUT, limit.exit(), limit.err());
            assertTrue(limit.err().contains("--limit: a saved plan applies to exactly the hosts it names"), limit.err());
            Run out = run("apply", "--out", dir.resolve("p2.json").toString(), "-i", inv.toString(), pb.toString());
            assertEquals(ExitCodes.INVALID_INPUT, out.exit(), out.err());
            assertTrue(out.err().contains("--out: --out saves the plan of a check; it was given without --check"), out.err());
            assertFalse(contacted(listener));
        }
    }

    @Test
    void showPrintsThePlanWithoutContactingAnyHost() throws Exception {
        try (ServerSocket listener = listener()) {
            stage(listener.getLocalPort());
            Path plan = plan("dev", "web1");
            Run r = run("show", plan.toString());
            assertEquals(ExitCodes.OK, r.exit(), r.err());
            assertTrue(r.out().startsWith("web1  pending  1 change(s) would be made:\n        ~ set timezone Asia/Seoul  (Etc/UTC differs)\n"
                    + "--- web1: timezone\n-Etc/UTC\n+Asia/Seoul\n\nRECAP (check mode: nothing was changed)\nweb1 : ok=0  pending=1  failed=0  unreachable=0\n"),
                    r.out());
            Run j = run("show", "--json", plan.toString());
            io.tsync.report.SchemaCheck.assertValid("apply", j.out());
            assertFalse(contacted(listener));
        }
    }
}
