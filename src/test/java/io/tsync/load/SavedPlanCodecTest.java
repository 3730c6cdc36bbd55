package io.tsync.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.model.Sha256;
import io.tsync.plan.SavedPlan;
import io.tsync.report.Json;
import io.tsync.report.SchemaCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plan files: written, read back, told from playbooks, and refused offline with where and why when damaged. */
class SavedPlanCodecTest {
    static final String H = Sha256.hex("x");

    static SavedPlan plan() {
        return new SavedPlan("1.4.0", "2026-12-05T13:00:00Z", new SavedPlan.Input("pb.yaml", H), new SavedPlan.Input("inv.yaml", H),
                new SavedPlan.Input(null, H), "0123456789abcdef0123456789abcdef", List.of(new SavedPlan.KeyDigest(1, "file /k", H)),
                List.of(new SavedPlan.HostPlan("h1", "pending", "debian12", 2, Map.of("timezone", "Etc/UTC"), H,
                        List.of(new SavedPlan.PlannedStep(0, "SetTimezone", "set timezone Asia/Seoul", "Etc/UTC", null, null),
                                new SavedPlan.PlannedStep(0, "WriteConfig", "write /etc/chrony/chrony.conf", "differs", H, null)),
                        List.of("a warning"), "--- h1: timezone\n-Etc/UTC\n+Asia/Seoul\n")), 2);
    }

    @Test
    void aPlanReadsBackAsWrittenAndMatchesItsSchema() throws Exception {
        String text = Json.write(SavedPlanCodec.toJson(plan()));
        SchemaCheck.assertValid("plan", text);
        SchemaCheck.assertInvalid("plan", text.replace("\"factsSha256\"", "\"facts_sha256\""), "factsSha256");
        assertEquals(plan(), SavedPlanCodec.parse("plan.json", text));
    }

    @Test
    void aPlanIsToldFromAPlaybookByItsSchemaMarker(@TempDir Path dir) throws Exception {
        Path plan = Files.writeString(dir.resolve("plan.json"), Json.write(SavedPlanCodec.toJson(plan())));
        assertTrue(SavedPlanCodec.sniff(plan));
        assertFalse(SavedPlanCodec.sniff(Path.of("playbooks/kr.yaml")));
        assertFalse(SavedPlanCodec.sniff(Files.writeString(dir.resolve("flow.yaml"), "{hosts: all, timezone: Asia/Seoul}\n")),
                "a YAML flow mapping without the marker is not a plan");
        assertFalse(SavedPlanCodec.sniff(dir.resolve("absent.json")));
    }

    @Test
    void aTruncatedPlanIsRefusedAtItsLineAndColumn() {
        String text = Json.write(SavedPlanCodec.toJson(plan()));
        String cut = text.substring(0, text.indexOf("\"hosts\"") + 12);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SavedPlanCodec.parse("plan.json", cut));
        Problem p = e.problems().get(0);
        assertEquals("plan.json", p.file());
        assertEquals(cut.split("\n").length, p.line(), e.getMessage());
        assertTrue(p.column() > 0, e.getMessage());
        assertTrue(e.getMessage().contains("not a tsync plan: unexpected end of the document"), e.getMessage());
        assertTrue(e.getMessage().contains("fix: make the plan again with tsync apply --check --out FILE"), e.getMessage());
    }

    @Test
    void aHandEditedPlanIsRefusedNamingEveryBadField() {
        String edited = Json.write(SavedPlanCodec.toJson(plan()))
                .replace("\"play\": 0", "\"play\": -1")
                .replace("\"outcome\": \"pending\"", "\"outcome\": \"done\"")
                .replace("\"sha256\": \"" + H + "\",\n          \"hmac\"", "\"sha256\": \"zz\",\n          \"hmac\"");
        String text = edited.replace("\"title\": \"set timezone Asia/Seoul\",", "");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SavedPlanCodec.parse("plan.json", text));
        String m = e.getMessage();
        assertTrue(m.contains("plan.json: $.hosts[0].steps[0].play is not a whole number >= 0"), m);
        assertTrue(m.contains("plan.json: $.hosts[0].steps[0].title is missing"), m);
        assertTrue(m.contains("plan.json: $.hosts[0].outcome is 'done', not pending or ok"), m);
    }

    @Test
    void anotherSchemaVersionIsRefusedWithTheFix() {
        String text = Json.write(SavedPlanCodec.toJson(plan())).replace("tsync.plan/v1", "tsync.plan/v2");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SavedPlanCodec.parse("plan.json", text));
        assertEquals("plan.json: $.schema is 'tsync.plan/v2', this tsync reads tsync.plan/v1\n"
                + "  fix: make the plan again with this tsync, or apply it with the tsync that made it", e.getMessage());
    }
}
