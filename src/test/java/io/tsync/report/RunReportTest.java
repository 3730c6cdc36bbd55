package io.tsync.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.exec.HostResult;
import io.tsync.exec.Outcome;
import io.tsync.plan.Step;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunReportTest {
    static final Step TZ = new Step.SetTimezone("Etc/UTC", "Asia/Seoul", "timezone is Etc/UTC, want Asia/Seoul");
    static final Step PKG = new Step.InstallPackage("chrony",
            io.tsync.platform.Platforms.lookup("debian", "", "12").orElseThrow().packages(), "chrony is not installed");
    static final List<HostResult> RESULTS = List.of(
            new HostResult("h1", Outcome.CHANGED, List.of(TZ, PKG), List.of(TZ, PKG), 3, null, null, "debian12+"),
            new HostResult("h2", Outcome.OK, List.of(), List.of(), 5, null, null, "debian12+"),
            new HostResult("h3", Outcome.FAILED, List.of(TZ, PKG), List.of(TZ), 3, "'install chrony' failed <&>", null, "debian12+"),
            new HostResult("h4", Outcome.UNREACHABLE, List.of(), List.of(), 0, "connection refused", null, null));

    @Test
    void jsonDocumentFollowsTheSchema() {
        Map<String, Object> doc = RunReport.document("playbooks/kr.yaml", false, RESULTS, 4);
        assertEquals(List.of("schema", "playbook", "check", "hosts", "summary", "exitCode"), List.copyOf(doc.keySet()));
        assertEquals("tsync.apply/v1", doc.get("schema"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> hosts = (List<Map<String, Object>>) doc.get("hosts");
        assertEquals(List.of("host", "outcome", "platform", "ok", "changed", "steps", "message", "diff"), List.copyOf(hosts.get(0).keySet()));
        assertEquals("changed", hosts.get(0).get("outcome"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> steps = (List<Map<String, Object>>) hosts.get(2).get("steps");
        assertEquals(true, steps.get(0).get("applied"));
        assertEquals(false, steps.get(1).get("applied"));
        assertEquals("InstallPackage", steps.get(1).get("step"));
        assertEquals(Map.of("ok", 1, "changed", 1, "failed", 1, "unreachable", 1), doc.get("summary"));
        String json = Json.write(doc);
        assertTrue(json.contains("\"message\": \"'install chrony' failed <&>\""), json);
    }

    @Test
    void junitHasOneCasePerHostAndFailsWhatFailed() {
        String x = RunReport.junit("kr.yaml", false, RESULTS, 1.5);
        assertTrue(x.contains("tests=\"4\" failures=\"1\" errors=\"1\""), x);
        assertEquals(4, x.split("<testcase ").length - 1);
        assertTrue(x.contains("<failure message=\"failed\">&apos;install chrony&apos; failed &lt;&amp;&gt;</failure>"), x);
        assertTrue(x.contains("<error message=\"unreachable\">connection refused</error>"), x);
        String drift = RunReport.junit("kr.yaml", true, List.of(new HostResult("h1", Outcome.PENDING, List.of(TZ), List.of(), 4, null, null, null)), 1);
        assertTrue(drift.contains("<failure message=\"drift: 1 change(s) pending\">set timezone Asia/Seoul"), drift);
    }
}
