package io.tsync.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.transport.ConnectTimes;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TimingsTest {
    private final AtomicLong now = new AtomicLong();

    private void at(double seconds) {
        now.set((long) (seconds * 1e9));
    }

    /** Two hosts on 2 forks: h1 converges with two steps, h2 is slower to connect and has nothing to do. */
    private Timings run() {
        at(0);
        Timings t = new Timings(now::get, 0, 2);
        at(0.4);
        t.segment("load");
        at(0.5);
        t.segment("hosts");
        Timings.HostClock h1 = t.host("h1");
        Timings.HostClock h2 = t.host("h2");
        h1.enter(Timings.Phase.CONNECT);
        h2.enter(Timings.Phase.CONNECT);
        at(0.7);
        h1.connected(new ConnectTimes(0.01, 0.12, 0.05, 0.02));
        h1.enter(Timings.Phase.FACTS);
        h1.remote(Timings.Phase.FACTS, OptionalLong.of(30_000_000L));
        at(0.8);
        h1.enter(Timings.Phase.PLAN);
        at(0.85);
        h1.enter(Timings.Phase.STEPS);
        at(1.35);
        h1.stepDone("install chrony");
        at(1.55);
        h1.stepDone("restart chrony");
        h1.leave();
        at(1.9);
        h2.enter(Timings.Phase.FACTS);
        h2.remote(Timings.Phase.FACTS, OptionalLong.empty()); // a shell without $EPOCHREALTIME
        at(2.0);
        h2.enter(Timings.Phase.PLAN);
        at(2.1);
        h2.leave();
        t.segment("wait");
        at(3.1);
        h1.add(Timings.Phase.SYNC, 1_000_000_000L);
        t.segment("report");
        at(3.2);
        t.finish();
        at(99); // after finish, the clock no longer counts
        return t;
    }

    @Test
    void segmentsAddUpToTheWallTime() {
        Timings.RunTimes r = run().snapshot();
        assertEquals(3.2, r.wallSeconds(), 1e-9);
        assertEquals(List.of("startup", "load", "hosts", "wait", "report"), List.copyOf(r.segments().keySet()));
        assertEquals(0.4, r.segments().get("startup"), 1e-9);
        assertEquals(0.1, r.segments().get("load"), 1e-9);
        assertEquals(1.6, r.segments().get("hosts"), 1e-9);
        assertEquals(1.0, r.segments().get("wait"), 1e-9);
        assertEquals(r.wallSeconds(), r.segments().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
    }

    @Test
    void eachHostsPhasesAddUpAndStepsAreTimedOneByOne() {
        Timings.RunTimes r = run().snapshot();
        Timings.HostTimes h1 = r.hosts().get(0);
        assertEquals("h1", h1.host());
        assertEquals(0.2, h1.seconds(Timings.Phase.CONNECT), 1e-9);
        assertEquals(0.1, h1.seconds(Timings.Phase.FACTS), 1e-9);
        assertEquals(0.05, h1.seconds(Timings.Phase.PLAN), 1e-9);
        assertEquals(0.7, h1.seconds(Timings.Phase.STEPS), 1e-9);
        assertEquals(1.0, h1.seconds(Timings.Phase.SYNC), 1e-9);
        assertEquals(2.05, h1.total(), 1e-9);
        assertEquals(List.of(new Timings.StepTime("install chrony", 0.5), new Timings.StepTime("restart chrony", 0.2)),
                h1.steps().stream().map(s -> new Timings.StepTime(s.step(), Math.round(s.seconds() * 1000) / 1000.0)).toList());
        Timings.HostTimes h2 = r.hosts().get(1);
        assertEquals(1.6, h2.total(), 1e-9);
        assertEquals(List.of("h1", "h2"), r.slowest(5).stream().map(Timings.HostTimes::host).toList());
    }

    @Test
    void phaseTotalsShareAndBusyForks() {
        Timings.RunTimes r = run().snapshot();
        double all = 2.05 + 1.6;
        Map<Timings.Phase, Timings.PhaseTotal> byPhase = new java.util.EnumMap<>(Timings.Phase.class);
        r.phases().forEach(p -> byPhase.put(p.phase(), p));
        assertEquals(0.2 + 1.4, byPhase.get(Timings.Phase.CONNECT).hostSeconds(), 1e-9);
        assertEquals((0.2 + 1.4) / all, byPhase.get(Timings.Phase.CONNECT).share(), 1e-9);
        assertEquals(1.0, r.phases().stream().mapToDouble(Timings.PhaseTotal::share).sum(), 1e-9);
        // 3.65 host-seconds over the 2.6 s the hosts were worked on (hosts + wait)
        assertEquals(all / 2.6, r.busyForks(), 1e-9);
    }

    @Test
    void summaryNamesTheSlowestHostsTheirPhasesAndTheRun() {
        String s = Timings.summary(run().snapshot());
        assertEquals("""

                TIMINGS
                h1    2.05 s connect 0.20 (tcp 0.01, kex 0.12, auth 0.05), facts 0.10 (remote 0.03, transfer 0.07), plan 0.05, steps 0.70, sync 1.00; slowest step: install chrony 0.50 s
                h2    1.60 s connect 1.40, facts 0.10 (remote unknown), plan 0.10
                phase    host-s  share forks: avg  peak
                connect     1.6    44%        0.6     2
                facts       0.2     5%        0.1     1  remote 0.03, transfer 0.07 (1 of 2 hosts timed)
                plan        0.2     4%        0.1     1
                steps       0.7    19%        0.3     1
                sync        1.0    27%        0.4     -
                all         3.7               1.4     2 of 2 forks
                run: 3.20 s = startup 0.40 + load 0.10 + hosts 1.60 + wait 1.00 + report 0.10
                """, s);
    }

    /** Per phase, the forks it kept busy on average (its host-seconds over the hosts' 2.6 s) and at most at once. */
    @Test
    void eachPhaseSaysHowManyForksItKeptBusy() {
        Timings.RunTimes r = run().snapshot();
        Map<Timings.Phase, Timings.PhaseTotal> byPhase = new java.util.EnumMap<>(Timings.Phase.class);
        r.phases().forEach(p -> byPhase.put(p.phase(), p));
        assertEquals(1.6 / 2.6, byPhase.get(Timings.Phase.CONNECT).busyForks(), 1e-9);
        assertEquals(2, byPhase.get(Timings.Phase.CONNECT).peakForks(), "h1 and h2 connected at once");
        assertEquals(1, byPhase.get(Timings.Phase.FACTS).peakForks(), "h1 gathered facts before h2 did");
        assertEquals(0, byPhase.get(Timings.Phase.SYNC).peakForks(), "the wait's polls are added after the fact");
        assertEquals(r.busyForks(), r.phases().stream().mapToDouble(Timings.PhaseTotal::busyForks).sum(), 1e-9);
        assertEquals(2, r.peakForks());
    }

    /** Ten hosts on 4 forks, each connecting for 1 s as a fork frees: never more than 4 at once. */
    @Test
    void peakForksFollowTheHostsOverlap() {
        at(0);
        Timings t = new Timings(now::get, 0, 4);
        t.segment("hosts");
        for (int second = 0; second <= 3; second++) {
            at(second);
            for (int i = 0; i < 10; i++) {
                if (i / 4 + 1 == second) {
                    t.host("h" + i).leave();
                }
            }
            for (int i = 0; i < 10; i++) {
                if (i / 4 == second) {
                    t.host("h" + i).enter(Timings.Phase.CONNECT);
                }
            }
        }
        t.finish();
        Timings.RunTimes r = t.snapshot();
        assertEquals(4, r.peakForks());
        assertEquals(4, r.phases().get(0).peakForks());
        assertEquals(10.0 / 3, r.busyForks(), 1e-9);
    }

    /** The facts probe's own time on the host, and the rest; a host whose shell cannot tell has no remote time, not zero. */
    @Test
    void aSelfTimingProbeSplitsItsPhaseIntoRemoteAndTransfer() {
        Timings.RunTimes r = run().snapshot();
        Timings.ProbeTime h1 = r.hosts().get(0).probes().get(Timings.Phase.FACTS);
        assertEquals(0.03, h1.remoteSeconds(), 1e-9);
        assertEquals(0.07, h1.transferSeconds(), 1e-9);
        Timings.ProbeTime h2 = r.hosts().get(1).probes().get(Timings.Phase.FACTS);
        assertEquals(null, h2.remoteSeconds());
        assertEquals(null, h2.transferSeconds());
        Timings.PhaseTotal facts = r.phases().stream().filter(p -> p.phase() == Timings.Phase.FACTS).findFirst().orElseThrow();
        assertEquals(0.03, facts.remoteHostSeconds(), 1e-9);
        assertEquals(0.07, facts.transferHostSeconds(), 1e-9);
        assertEquals(1, facts.timedHosts());
        Timings.PhaseTotal plan = r.phases().stream().filter(p -> p.phase() == Timings.Phase.PLAN).findFirst().orElseThrow();
        assertEquals(null, plan.remoteHostSeconds(), "no probe runs in plan");
        @SuppressWarnings("unchecked")
        Map<String, Object> hosts = (Map<String, Object>) Timings.json(r).get("hosts");
        String json = Json.write(hosts, false);
        assertTrue(json.contains("\"h1\":{") && json.contains("\"probes\":{\"facts\":{\"remoteSeconds\":0.03,\"transferSeconds\":0.07}}"), json);
        assertTrue(json.contains("\"probes\":{\"facts\":{\"remoteSeconds\":null,\"transferSeconds\":null}}"), json);
    }

    @Test
    void summaryShowsFiveOfManyHosts() {
        at(0);
        Timings t = new Timings(now::get, 0, 10);
        for (int i = 1; i <= 8; i++) {
            t.host("h" + i).enter(Timings.Phase.CONNECT);
        }
        for (int i = 1; i <= 8; i++) {
            at(i);
            t.host("h" + i).leave();
        }
        t.finish();
        String s = Timings.summary(t.snapshot());
        assertTrue(s.contains("h8 ") && s.contains("h4 ") && !s.contains("h3 "), s);
        assertTrue(s.contains("(the 5 slowest of 8 hosts)"), s);
    }

    @Test
    void jsonHasTheFieldsTheSchemaNames() {
        Map<String, Object> j = Timings.json(run().snapshot());
        assertEquals(3.2, j.get("wallSeconds"));
        assertEquals(List.of("h1", "h2"), j.get("slowest"));
        @SuppressWarnings("unchecked")
        Map<String, Object> h1 = (Map<String, Object>) ((Map<String, Object>) j.get("hosts")).get("h1");
        assertEquals(2.05, h1.get("totalSeconds"));
        assertEquals(Map.of("tcpSeconds", 0.01, "kexSeconds", 0.12, "authSeconds", 0.05), h1.get("connect"));
        assertTrue(Json.write(j).contains("\"phases\""));
    }

    /** The timings member validates in the apply, status and facts schemas; a renamed field does not. */
    @Test
    void timingsValidateAgainstTheSchemas() {
        Map<String, Object> doc = new java.util.LinkedHashMap<>(io.tsync.status.StatusJson.document(List.of(), null, null));
        doc.put("timings", Timings.json(run().snapshot()));
        String json = Json.write(doc);
        SchemaCheck.assertValid("status", json);
        SchemaCheck.assertInvalid("status", json.replace("\"kexSeconds\":", "\"kex\":"), "kex");
        SchemaCheck.assertInvalid("status", json.replace("\"steps\":1.0", "\"stepz\":1.0").replace("\"sync\":", "\"synk\":"), "synk");
        Map<String, Object> facts = io.tsync.facts.FactsJson.document(List.of());
        facts.put("slice", null);
        facts.put("timings", Timings.json(run().snapshot()));
        SchemaCheck.assertValid("facts", Json.write(facts));
    }
}
