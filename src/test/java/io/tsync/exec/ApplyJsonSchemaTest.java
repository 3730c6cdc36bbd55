package io.tsync.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tsync.load.DesiredResolver;
import io.tsync.load.PlaybookLoader;
import io.tsync.model.Host;
import io.tsync.model.Play;
import io.tsync.plan.Desired;
import io.tsync.render.Renderer;
import io.tsync.report.ConsoleReporter;
import io.tsync.report.Json;
import io.tsync.report.ReportMerge;
import io.tsync.report.RunReport;
import io.tsync.report.SchemaCheck;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code apply --json} as the engine writes it, held to docs/schemas/apply.schema.json: the
 * executor runs playbooks/kr.yaml on hosts answering with facts captured on lab hosts (changed,
 * already right, failed, unreachable; applied, --check, --diff), and the report is written as
 * ApplyCommand writes it, with and without a slice; the merge of such slices too.
 */
class ApplyJsonSchemaTest {
    static final Path FACTS = Path.of("src/test/resources/facts");

    /** One run of the engine over a host per facts capture, h-fail failing its timezone step, h-gone unreachable, h-ok already right. */
    static List<HostResult> run(boolean check, boolean diff) throws Exception {
        Play play = PlaybookLoader.load(Path.of("playbooks/kr.yaml")).plays().get(0);
        Map<String, KeySecrecyTest.ScriptedHost> fakes = new LinkedHashMap<>();
        try (var files = Files.list(FACTS)) {
            for (Path f : files.sorted().toList()) {
                fakes.put(f.getFileName().toString().replace(".txt", ""), new KeySecrecyTest.ScriptedHost(Files.readString(f), null));
            }
        }
        fakes.put("h-fail", new KeySecrecyTest.ScriptedHost(Files.readString(FACTS.resolve("debian12-pristine.txt")), "timedatectl"));
        List<HostJob> jobs = new ArrayList<>();
        for (String name : fakes.keySet()) {
            jobs.add(job(play, name));
        }
        jobs.add(job(play, "h-gone"));
        // already right: the converged capture's timezone, and nothing else asked
        fakes.put("h-ok", new KeySecrecyTest.ScriptedHost(Files.readString(FACTS.resolve("debian12-chrony-converged.txt")), null));
        jobs.add(new HostJob(new Host("h-ok", "192.0.2.2", 22, "root", null, false, Map.of(), List.of()), List.of(new Desired("Asia/Seoul", null))));
        ConsoleReporter quiet = new ConsoleReporter(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false, check, false, 8, jobs.size(), false);
        Executor ex = new Executor(new Executor.Options(check, diff, 2, Duration.ofSeconds(10), Duration.ofSeconds(5), ExecutorLockFlowTest.ME),
                new Renderer(null), host -> {
                    KeySecrecyTest.ScriptedHost fake = fakes.get(host.name());
                    if (fake == null) {
                        throw new IOException("ssh: connect to host " + host.name() + " port 22: Connection refused");
                    }
                    return fake;
                }, quiet);
        return ex.run(jobs);
    }

    private static HostJob job(Play play, String name) throws Exception {
        Host h = new Host(name, "192.0.2.1", 22, "root", null, false, Map.of(), List.of());
        Desired d = DesiredResolver.resolve(play, h);
        return new HostJob(h, List.of(d));
    }

    static Map<String, Object> slice(int k, int n, int selected) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", k);
        m.put("count", n);
        m.put("selectedHosts", selected);
        return m;
    }

    @Test
    void appliedCheckedAndDiffedRunsAreValidReports() throws Exception {
        Set<Outcome> seen = new TreeSet<>();
        for (boolean check : List.of(false, true)) {
            for (boolean diff : List.of(false, true)) {
                List<HostResult> results = run(check, diff);
                results.forEach(r -> seen.add(r.outcome()));
                SchemaCheck.assertValid("apply", Json.write(RunReport.document("playbooks/kr.yaml", check, results, 4, null)));
                SchemaCheck.assertValid("apply", Json.write(RunReport.document("playbooks/kr.yaml", check, results, 4, slice(2, 4, 12))));
            }
        }
        assertEquals(Set.of(Outcome.values()), seen, "every outcome was written at least once");
    }

    @Test
    void theMergeOfSlicesIsAValidReport() throws Exception {
        List<HostResult> results = run(false, false);
        List<ReportMerge.Input> inputs = new ArrayList<>();
        int half = results.size() / 2;
        List<List<HostResult>> parts = List.of(results.subList(0, half), results.subList(half, results.size()));
        for (int k = 1; k <= 2; k++) {
            String json = Json.write(RunReport.document("playbooks/kr.yaml", false, parts.get(k - 1), 4, slice(k, 2, results.size())));
            inputs.add(new ReportMerge.Input("apply-" + k + ".json", Json.parse(json)));
        }
        // the slices must be cut as --slice cuts them, or merge refuses them; here each part is its own, so drop the slice
        inputs = inputs.stream().map(in -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> d = new LinkedHashMap<>((Map<String, Object>) in.document());
            d.put("slice", null);
            return new ReportMerge.Input(in.name(), d);
        }).collect(Collectors.toList());
        SchemaCheck.assertValid("apply", Json.write(ReportMerge.merge(inputs).document()));
    }

    @Test
    void aRenamedFieldFailsTheSchema() throws Exception {
        String json = Json.write(RunReport.document("playbooks/kr.yaml", false, run(false, false), 4, null));
        SchemaCheck.assertValid("apply", json);
        SchemaCheck.assertInvalid("apply", json.replace("\"outcome\":", "\"result\":"), "outcome");
        SchemaCheck.assertInvalid("apply", json.replace("\"exitCode\":", "\"exit_code\":"), "exitCode");
    }
}
