package io.tsync.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.clock.ClockOffset;
import io.tsync.exec.HostResult;
import io.tsync.exec.Outcome;
import io.tsync.load.InvalidInputException;
import io.tsync.load.Slice;
import io.tsync.plan.Step;
import io.tsync.status.HostStatus;
import io.tsync.status.StatusJson;
import io.tsync.status.StatusProbe;
import io.tsync.status.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The reports of the slices of one run merge into the report one run over the whole fleet gives;
 * reports that cannot be one run are refused. Slice reports are made as the commands make them:
 * the engine's document of the slice's hosts, plus {@code slice}, written and read back as JSON.
 */
class ReportMergeTest {
    static final Step TZ = new Step.SetTimezone("Etc/UTC", "Asia/Seoul", "timezone is Etc/UTC");
    static final List<String> FLEET = List.of("h1", "h2", "h3", "h4", "h5", "h6", "h7", "h8", "h9", "h10", "h11", "h12");

    static HostResult changed(String h) {
        return new HostResult(h, Outcome.CHANGED, List.of(TZ), List.of(TZ), 4, null, null, "debian12+");
    }

    static Map<String, Object> sliceOf(Slice s, int selected) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", s.index());
        m.put("count", s.count());
        m.put("selectedHosts", selected);
        return m;
    }

    /** Written as apply --json prints it, read back as report merge reads it. */
    static ReportMerge.Input json(String name, Map<String, Object> doc) {
        return new ReportMerge.Input(name, Json.parse(Json.write(doc)));
    }

    /** apply --json --slice K/n of FLEET, every host converged by {@code result}. */
    static List<ReportMerge.Input> applySlices(int n, boolean check, Function<String, HostResult> result) {
        List<ReportMerge.Input> out = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            Slice s = new Slice(k, n);
            List<HostResult> results = s.select(FLEET, Function.identity()).stream().map(result).toList();
            int code = results.stream().anyMatch(r -> r.outcome() == Outcome.FAILED) ? 4 : check && !results.isEmpty() ? 2 : 0;
            Map<String, Object> doc = RunReport.document("playbooks/kr.yaml", check, results, code);
            doc.put("slice", sliceOf(s, FLEET.size()));
            out.add(json("apply-" + k + ".json", doc));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static List<String> hosts(Map<String, Object> doc) {
        return ((List<Map<String, Object>>) doc.get("hosts")).stream().map(h -> (String) h.get("host")).toList();
    }

    @Test
    void fourApplySlicesMakeOneFleetReport() throws Exception {
        ReportMerge.Merged m = ReportMerge.merge(applySlices(4, false, ReportMergeTest::changed));
        Map<String, Object> doc = m.document();
        assertEquals(List.of("schema", "playbook", "check", "hosts", "summary", "exitCode", "slice"), List.copyOf(doc.keySet()));
        assertEquals(FLEET.stream().sorted().toList(), hosts(doc).stream().sorted().toList(), "every host, once");
        assertEquals(Map.of("ok", 0, "changed", 12, "failed", 0, "unreachable", 0), doc.get("summary"), "recomputed over every host");
        assertEquals(0, m.exitCode());
        assertEquals(0, doc.get("exitCode"));
        assertNull(doc.get("slice"), "the merged report is the whole fleet");
        assertEquals(Json.write(ReportMerge.merge(applySlices(4, false, ReportMergeTest::changed)).document()), Json.write(doc), "deterministic");
    }

    @Test
    void theFleetExitCodeIsTheWorstAsOneRunWouldDecideIt() throws Exception {
        ReportMerge.Merged failed = ReportMerge.merge(applySlices(3, false, h -> h.equals("h7")
                ? new HostResult(h, Outcome.FAILED, List.of(TZ), List.of(), 0, "boom", null, null)
                : h.equals("h2") ? new HostResult(h, Outcome.UNREACHABLE, List.of(), List.of(), 0, "refused", null, null) : changed(h)));
        assertEquals(4, failed.exitCode(), "failed beats unreachable, as apply decides");
        assertEquals(Map.of("ok", 0, "changed", 10, "failed", 1, "unreachable", 1), failed.document().get("summary"));
        ReportMerge.Merged drift = ReportMerge.merge(applySlices(2, true,
                h -> new HostResult(h, Outcome.PENDING, List.of(TZ), List.of(), 4, null, null, "debian12+")));
        assertEquals(2, drift.exitCode());
        assertEquals(Map.of("ok", 0, "pending", 12, "failed", 0, "unreachable", 0), drift.document().get("summary"));
    }

    @Test
    void aMissingSliceIsRefusedNotReportedAsAllOk() {
        List<ReportMerge.Input> slices = applySlices(4, false, ReportMergeTest::changed);
        slices.remove(2);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ReportMerge.merge(slices));
        assertEquals("report merge: slice(s) 3/4 missing: the fleet report would lack their hosts\n"
                + "  fix: give the report of every slice; re-run a slice whose worker failed before writing one", e.getMessage());
    }

    @Test
    void aSliceGivenTwiceOrAHostInTwoReportsIsRefused() {
        List<ReportMerge.Input> slices = applySlices(4, false, ReportMergeTest::changed);
        slices.add(new ReportMerge.Input("copy.json", slices.get(0).document()));
        String msg = assertThrows(InvalidInputException.class, () -> ReportMerge.merge(slices)).getMessage();
        assertTrue(msg.contains("copy.json: host h3 is also in apply-1.json"), msg);
        assertTrue(msg.contains("copy.json: is slice 1/4 again (apply-1.json is too)"), msg);
    }

    @Test
    void slicesCutDifferentlyAreRefused() {
        List<ReportMerge.Input> mixed = new ArrayList<>(applySlices(4, false, ReportMergeTest::changed).subList(0, 2));
        mixed.addAll(applySlices(3, false, ReportMergeTest::changed).subList(1, 3));
        String msg = assertThrows(InvalidInputException.class, () -> ReportMerge.merge(mixed)).getMessage();
        assertTrue(msg.contains("apply-2.json: is slice 2/3 of 12 hosts, apply-1.json slice 1/4 of 12 hosts"), msg);
        assertTrue(msg.contains("fix: merge the slices of one run: the same N, inventory and --limit for every slice"), msg);
    }

    @Test
    void reportsOfDifferentRunsAreRefused() {
        List<ReportMerge.Input> slices = applySlices(2, false, ReportMergeTest::changed);
        List<ReportMerge.Input> checked = applySlices(2, true, ReportMergeTest::changed);
        String msg = assertThrows(InvalidInputException.class, () -> ReportMerge.merge(List.of(slices.get(0), checked.get(1)))).getMessage();
        assertTrue(msg.contains("apply-2.json: has check true, apply-1.json false"), msg);
        Map<String, Object> status = StatusJson.document(List.of(StatusProbe.unreachable("h1", "x")));
        msg = assertThrows(InvalidInputException.class, () -> ReportMerge.merge(List.of(slices.get(0), json("s.json", status)))).getMessage();
        assertTrue(msg.contains("s.json: is a tsync.status/v1 report, apply-1.json a tsync.apply/v1 report"), msg);
        msg = assertThrows(InvalidInputException.class, () -> ReportMerge.merge(List.of(new ReportMerge.Input("x.json", List.of())))).getMessage();
        assertTrue(msg.contains("x.json: is not a tsync --json report"), msg);
    }

    @Test
    void reportsWithoutSlicesConcatenateWhenNoHostRepeats() throws Exception {
        Map<String, Object> a = RunReport.document("kr.yaml", false, List.of(changed("eu1")), 0);
        a.put("slice", null);
        Map<String, Object> b = RunReport.document("kr.yaml", false, List.of(changed("us1"), changed("us2")), 0);
        b.put("slice", null);
        ReportMerge.Merged m = ReportMerge.merge(List.of(json("eu.json", a), json("us.json", b)));
        assertEquals(List.of("eu1", "us1", "us2"), hosts(m.document()), "in the order given");
        Map<String, Object> sliced = applySlices(2, false, ReportMergeTest::changed).get(0).document() instanceof Map<?, ?> d ? cast(d) : null;
        String msg = assertThrows(InvalidInputException.class, () -> ReportMerge.merge(List.of(json("eu.json", a), json("s1.json", sliced)))).getMessage();
        assertTrue(msg.contains("eu.json: is not the report of a slice, s1.json is"), msg);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    @Test
    void statusSlicesMergeWithStatusExitCodes() throws Exception {
        String synced = Files.readString(Path.of("src/test/resources/status/probe-chrony-synced.txt"));
        List<ReportMerge.Input> in = new ArrayList<>();
        for (int k = 1; k <= 2; k++) {
            Slice s = new Slice(k, 2);
            List<HostStatus> rows = s.select(FLEET, Function.identity()).stream().map(h -> StatusProbe.parse(h, synced)).toList();
            Map<String, Object> doc = StatusJson.document(rows);
            doc.put("slice", sliceOf(s, FLEET.size()));
            in.add(json("status-" + k + ".json", doc));
        }
        ReportMerge.Merged m = ReportMerge.merge(in);
        assertEquals(List.of("schema", "hosts", "fleetSpreadSeconds", "fleetSpreadErrorSeconds", "slice"), List.copyOf(m.document().keySet()));
        assertEquals(12, hosts(m.document()).size());
        assertEquals(0, m.exitCode(), "all synced");
        Map<String, Object> down = StatusJson.document(List.of(StatusProbe.unreachable("h99", "refused")));
        down.put("slice", null);
        Map<String, Object> ok = StatusJson.document(List.of(StatusProbe.parse("h1", synced)));
        ok.put("slice", null);
        assertEquals(5, ReportMerge.merge(List.of(json("a.json", ok), json("b.json", down))).exitCode());
    }

    @Test
    void factsSlicesMergeWithFactsExitCodes() throws Exception {
        Map<String, Object> a = new LinkedHashMap<>(Map.of("schema", "tsync.facts/v1", "hosts", List.of(Map.of("host", "h1", "state", "ok"))));
        Map<String, Object> b = new LinkedHashMap<>(Map.of("schema", "tsync.facts/v1", "hosts", List.of(Map.of("host", "h2", "state", "failed"))));
        assertEquals(4, ReportMerge.merge(List.of(json("a.json", a), json("b.json", b))).exitCode());
        assertEquals(0, ReportMerge.merge(List.of(json("a.json", a))).exitCode());
    }

    @Test
    void theFleetSpreadIsTakenOverEverySlicesHosts() throws Exception {
        String synced = Files.readString(Path.of("src/test/resources/status/probe-chrony-synced.txt"));
        // slice 1 measured h1 at +2 ms, slice 2 measured h2 at -1 ms: each slice alone spreads 0, the fleet 3 ms
        Map<String, Object> a = StatusJson.document(List.of(StatusProbe.parse("h1", synced)
                .withClock(new ClockOffset(0.002, 0.0004, ClockOffset.CONTROLLER), Verdict.SYNCED, "")));
        a.put("slice", sliceOf(new Slice(1, 2), 2));
        Map<String, Object> b = StatusJson.document(List.of(StatusProbe.parse("h2", synced)
                .withClock(new ClockOffset(-0.001, 0.0006, ClockOffset.CONTROLLER), Verdict.SYNCED, "")));
        b.put("slice", sliceOf(new Slice(2, 2), 2));
        assertEquals(0.0, ((Number) a.get("fleetSpreadSeconds")).doubleValue());
        Map<String, Object> merged = ReportMerge.merge(List.of(json("a.json", a), json("b.json", b))).document();
        assertEquals(0.003, ((Number) merged.get("fleetSpreadSeconds")).doubleValue(), 1e-12);
        assertEquals(0.001, ((Number) merged.get("fleetSpreadErrorSeconds")).doubleValue(), 1e-12);
        SchemaCheck.assertValid("status", Json.write(merged));
    }
}
