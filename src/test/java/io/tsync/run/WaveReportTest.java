package io.tsync.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.exec.HostResult;
import io.tsync.exec.Outcome;
import io.tsync.report.Json;
import io.tsync.report.RunReport;
import io.tsync.report.SchemaCheck;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The waves of a rollout in apply --json (held to docs/schemas/apply.schema.json) and in --junit. */
class WaveReportTest {
    static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

    /** A rollout of [1, "50%"] over 6 hosts whose first wave did not sync and was rolled back; and its --check plan. */
    static List<WaveRunner.Wave> stopped() {
        return List.of(
                new WaveRunner.Wave(1, 3, List.of("h1"), WaveRunner.WaveOutcome.STOPPED, 12.3, 1, 0, Map.of("h1", "did not sync within 10 s"),
                        Map.of("h1", "rolled back: restored the previous /etc/chrony/chrony.conf and restarted chrony (active)"), "1 of 1 host(s) failed",
                        T0, null),
                WaveRunner.Wave.notRun(2, 3, List.of("h2", "h3", "h4"), WaveRunner.WaveOutcome.NOT_STARTED, "wave 1/3 stopped the rollout"),
                WaveRunner.Wave.notRun(3, 3, List.of("h5", "h6"), WaveRunner.WaveOutcome.NOT_STARTED, "wave 1/3 stopped the rollout"));
    }

    static List<WaveRunner.Wave> passed() {
        return List.of(new WaveRunner.Wave(1, 2, List.of("h1"), WaveRunner.WaveOutcome.PASSED, 8.5, 1, 1, Map.of(), Map.of(), null, T0, T0.plusSeconds(8)),
                WaveRunner.Wave.notRun(2, 2, List.of("h2"), WaveRunner.WaveOutcome.PLANNED, null));
    }

    static String document(List<WaveRunner.Wave> waves) {
        List<HostResult> results = List.of(new HostResult("h1", Outcome.CHANGED, List.of(), List.of(), 3, null, null, "debian12"));
        Map<String, Object> doc = RunReport.document("waves.yaml", false, results, 6, null);
        doc.put("waves", WaveReport.json(waves));
        return Json.write(doc);
    }

    @Test
    void everyOutcomeOfAWaveIsAValidReport() {
        SchemaCheck.assertValid("apply", document(stopped()));
        SchemaCheck.assertValid("apply", document(passed()));
        // without serial the member is null, and a merged report may lack it
        SchemaCheck.assertValid("apply", document(null));
        String json = document(stopped());
        assertTrue(json.contains("\"outcome\": \"not started\""), json);
        SchemaCheck.assertInvalid("apply", json.replace("\"outcome\": \"not started\"", "\"outcome\": \"skipped\""), "outcome");
        SchemaCheck.assertInvalid("apply", json.replace("\"syncedAt\":", "\"synced_at\":"), "syncedAt");
    }

    @Test
    void junitHasACasePerWaveAndCountsThem() {
        String suite = RunReport.junit("waves.yaml", false, List.of(new HostResult("h1", Outcome.CHANGED, List.of(), List.of(), 3, null, null, "debian12")), 12.3);
        String x = WaveReport.junit(suite, stopped());
        assertTrue(x.contains("tests=\"4\" failures=\"1\""), x);
        assertTrue(x.contains("<testcase classname=\"tsync.wave\" name=\"wave 1/3: 1 host(s)\" time=\"12.300\"><failure message=\"stopped the rollout\">"), x);
        assertEquals(2, x.split("<skipped message=\"not started\">", -1).length - 1, x);
        assertTrue(x.endsWith("</testsuite>\n"), x);
    }
}
