package io.tsync.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.load.KeyMaterial;
import io.tsync.load.PlaybookLoader;
import io.tsync.load.SavedPlanCodec;
import io.tsync.model.Host;
import io.tsync.model.NtpSpec;
import io.tsync.model.Sha256;
import io.tsync.plan.Desired;
import io.tsync.plan.PlanFacts;
import io.tsync.plan.PlanGate;
import io.tsync.plan.PlanRecorder;
import io.tsync.plan.PlanWatch;
import io.tsync.plan.SavedPlan;
import io.tsync.plan.Step;
import io.tsync.render.Renderer;
import io.tsync.report.ConsoleReporter;
import io.tsync.report.Json;
import io.tsync.report.PlanPrinter;
import io.tsync.report.RunReport;
import io.tsync.report.SchemaCheck;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A saved plan through the real executor, on hosts answering with facts captured on lab hosts:
 * the check records it, the file holds no key, {@code show} prints what the check printed, and
 * applying it lets the unchanged hosts go ahead and refuses, before any change, the one whose
 * config was edited by hand since.
 */
class SavedPlanFlowTest {
    static final String KEY = KeySecrecyTest.KEY;
    static final String SALT = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    static final Path FACTS = Path.of("src/test/resources/facts");

    static NtpSpec spec(String key) throws Exception {
        NtpSpec spec = PlaybookLoader.load(Path.of("src/test/resources/depth/client.yaml")).plays().get(0).ntp();
        return KeyMaterial.resolve(spec, Map.of("TSYNC_NTP_KEY_1", "HEX:" + key), true, new ArrayList<>(), new ArrayList<>());
    }

    static HostJob job(String name, NtpSpec spec) {
        return new HostJob(new Host(name, "192.0.2.1", 22, "root", null, false, Map.of(), List.of()), List.of(new Desired("Asia/Seoul", spec)));
    }

    /** The chrony-x capture with another chrony.conf: an operator's hand edit. */
    static String handEdited() throws Exception {
        String facts = Files.readString(FACTS.resolve("debian12-chrony-x.txt"));
        String edited = Base64.getEncoder().encodeToString("server 192.0.2.99 iburst\n".getBytes(StandardCharsets.UTF_8));
        return facts.replaceFirst("(@file /etc/chrony/chrony.conf\n)[^\n]*", "$1" + edited);
    }

    record Run(List<HostResult> results, String console, Map<String, KeySecrecyTest.ScriptedHost> hosts) {}

    static Run run(boolean check, PlanWatch watch, Map<String, String> facts, NtpSpec spec) {
        Map<String, KeySecrecyTest.ScriptedHost> hosts = new LinkedHashMap<>();
        facts.forEach((h, f) -> hosts.put(h, new KeySecrecyTest.ScriptedHost(f, null)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConsoleReporter reporter = new ConsoleReporter(new PrintStream(out, true, StandardCharsets.UTF_8), false, check, false, 2, facts.size(), false);
        Executor ex;
        try {
            ex = new Executor(new Executor.Options(check, true, 1, Duration.ofSeconds(10), Duration.ofSeconds(5), ExecutorLockFlowTest.ME),
                    new Renderer(null), host -> hosts.get(host.name()), reporter, watch);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        List<HostResult> results = ex.run(facts.keySet().stream().map(h -> job(h, spec)).toList());
        reporter.recap(results);
        return new Run(results, out.toString(StandardCharsets.UTF_8), hosts);
    }

    /** The plan as apply --check --out writes it (SavedPlans.write): one HostPlan per result, from the recorder. */
    static SavedPlan plan(List<HostResult> results, PlanRecorder rec, NtpSpec spec) {
        List<SavedPlan.HostPlan> hosts = new ArrayList<>();
        for (HostResult r : results) {
            PlanRecorder.Recorded x = rec.of(r.host());
            hosts.add(new SavedPlan.HostPlan(r.host(), r.outcome() == Outcome.PENDING ? "pending" : "ok", r.platform(), r.ok(), x.facts(),
                    PlanFacts.fingerprint(x.facts()), x.steps(), r.warnings(), r.diff()));
        }
        String h = Sha256.hex("x");
        return new SavedPlan("dev", "2026-12-05T13:00:00Z", new SavedPlan.Input("client.yaml", h), new SavedPlan.Input("inventory.yaml", h),
                new SavedPlan.Input(null, h), SALT, List.of(new SavedPlan.KeyDigest(1, "environment variable TSYNC_NTP_KEY_1",
                PlanFacts.hmac(SALT, spec.advanced().keys().get(0).value().reveal()))), hosts, 2);
    }

    static Map<String, String> fleet(String h2) throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("h1", Files.readString(FACTS.resolve("debian12-pristine.txt")));
        m.put("h2", h2);
        m.put("h3", Files.readString(FACTS.resolve("debian12-ntpsec.txt")));
        return m;
    }

    @Test
    void aPlanIsAppliedToTheHostsThatDidNotChangeAndRefusedOnTheOneThatDid() throws Exception {
        NtpSpec spec = spec(KEY);
        PlanRecorder rec = new PlanRecorder(SALT);
        Run check = run(true, rec, fleet(Files.readString(FACTS.resolve("debian12-chrony-x.txt"))), spec);
        SavedPlan plan = plan(check.results(), rec, spec);
        String text = Json.write(SavedPlanCodec.toJson(plan));
        SchemaCheck.assertValid("plan", text);
        SavedPlan read = SavedPlanCodec.parse("plan.json", text);
        assertEquals(plan, read, "the file reads back as written");
        assertTrue(read.hosts().stream().allMatch(h -> !h.steps().isEmpty()), text);
        assertTrue(read.hosts().get(1).steps().stream().anyMatch(s -> s.step().equals("WriteKeys") && s.hmac() != null), text);

        Run apply = run(false, new PlanGate(read), fleet(handEdited()), spec);
        HostResult h1 = apply.results().get(0);
        HostResult h2 = apply.results().get(1);
        HostResult h3 = apply.results().get(2);
        assertEquals(Outcome.CHANGED, h1.outcome(), apply.console());
        assertEquals(Outcome.CHANGED, h3.outcome(), apply.console());
        assertEquals(Outcome.FAILED, h2.outcome(), apply.console());
        assertEquals("h2 changed since the plan (/etc/chrony/chrony.conf differs): plan again", h2.message());
        assertEquals(List.of(), h2.applied());
        assertTrue(apply.hosts().get("h2").stdins.isEmpty(), "nothing was run with sudo on h2: " + apply.hosts().get("h2").stdins);
        assertEquals(read.hosts().get(0).steps().stream().map(SavedPlan.PlannedStep::title).toList(),
                h1.applied().stream().map(Step::title).toList(), "h1 ran exactly the planned steps");
    }

    @Test
    void anotherKeyValueMakesTheHostsStepsDifferFromThePlan() throws Exception {
        PlanRecorder rec = new PlanRecorder(SALT);
        Map<String, String> facts = Map.of("h2", Files.readString(FACTS.resolve("debian12-chrony-x.txt")));
        NtpSpec spec = spec(KEY);
        SavedPlan plan = plan(run(true, rec, facts, spec).results(), rec, spec);
        Run apply = run(false, new PlanGate(plan), facts, spec(KEY.replace('A', 'B')));
        assertEquals(Outcome.FAILED, apply.results().get(0).outcome());
        assertTrue(apply.results().get(0).message().startsWith("h2 would now do other steps than the plan says (planned: "),
                apply.results().get(0).message());
        KeySecrecyTest.assertNoKey("the refusal", apply.console());
    }

    @Test
    void thePlanFileHoldsNoByteOfTheKey() throws Exception {
        NtpSpec spec = spec(KEY);
        PlanRecorder rec = new PlanRecorder(SALT);
        // h2 already holds a key file: its facts carry the file's SHA-256, which the plan keeps only as an HMAC
        Run check = run(true, rec, fleet(Files.readString(FACTS.resolve("debian12-chrony-x.txt"))), spec);
        String text = Json.write(SavedPlanCodec.toJson(plan(check.results(), rec, spec)));
        KeySecrecyTest.assertNoKey("the plan file", text);
        assertFalse(text.contains(spec.advanced().keys().get(0).value().sha256()), "no plain hash of the key");
        String keyFile = io.tsync.render.KeyFiles.render(io.tsync.model.Daemon.CHRONY, spec.advanced().keys()).reveal();
        assertFalse(text.contains(Sha256.hex(keyFile)), "no plain hash of the key file");
        assertFalse(text.toLowerCase(Locale.ROOT).contains(KEY.substring(8, 24).toLowerCase(Locale.ROOT)));
    }

    @Test
    void showPrintsWhatTheCheckPrinted() throws Exception {
        NtpSpec spec = spec(KEY);
        PlanRecorder rec = new PlanRecorder(SALT);
        Run check = run(true, rec, fleet(Files.readString(FACTS.resolve("debian12-chrony-x.txt"))), spec);
        SavedPlan plan = SavedPlanCodec.parse("plan.json", Json.write(SavedPlanCodec.toJson(plan(check.results(), rec, spec))));
        assertEquals(check.console(), PlanPrinter.text(plan, false));
        String json = Json.write(PlanPrinter.json(plan));
        SchemaCheck.assertValid("apply", json);
        assertEquals(Json.write(RunReport.document("client.yaml", true, check.results(), 2, null)), json);
    }

    @Test
    void aHostWhosePackagesChangedIsRefusedNamingThem() throws Exception {
        NtpSpec spec = spec(KEY);
        PlanRecorder rec = new PlanRecorder(SALT);
        Map<String, String> facts = Map.of("h1", Files.readString(FACTS.resolve("debian12-pristine.txt")));
        SavedPlan plan = plan(run(true, rec, facts, spec).results(), rec, spec);
        PlanGate gate = new PlanGate(plan);
        Run again = run(false, gate, Map.of("h1", Files.readString(FACTS.resolve("debian12-ntpsec.txt"))), spec);
        assertTrue(again.results().get(0).message().startsWith("h1 changed since the plan ("), again.results().get(0).message());
        assertTrue(again.results().get(0).message().contains("package ntpsec appeared"), again.results().get(0).message());
    }
}
