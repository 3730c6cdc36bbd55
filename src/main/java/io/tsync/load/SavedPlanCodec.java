package io.tsync.load;

import io.tsync.plan.SavedPlan;
import io.tsync.report.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A saved plan as JSON (schema {@code tsync.plan/v1}, docs/schemas/plan.schema.json): written with
 * the project's one JSON writer, read back with its reader and checked field by field, so that a
 * truncated or hand-edited plan is refused before any host is contacted with file:line:column
 * (syntax) or the JSON path (structure) and the fix.
 */
public final class SavedPlanCodec {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern AT = Pattern.compile("(\\d+):(\\d+): (.*)", Pattern.DOTALL);
    private static final String FIX = "make the plan again with tsync apply --check --out FILE; a plan file is not edited by hand";

    private SavedPlanCodec() {}

    /**
     * Whether {@code file} is a saved plan rather than a playbook: a JSON object naming a
     * tsync.plan schema. A playbook is a YAML list of plays, never a JSON object, so the two cannot be
     * confused; only the first 4 KiB are read.
     */
    public static boolean sniff(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (var in = Files.newInputStream(file)) {
            String head = new String(in.readNBytes(4096), StandardCharsets.UTF_8).stripLeading();
            return head.startsWith("{") && head.contains("\"tsync.plan/");
        } catch (IOException e) {
            return false;
        }
    }

    public static Map<String, Object> toJson(SavedPlan p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", SavedPlan.SCHEMA);
        m.put("tsyncVersion", p.tsyncVersion());
        m.put("created", p.created());
        m.put("playbook", input(p.playbook()));
        m.put("inventory", input(p.inventory()));
        m.put("templates", input(p.templates()));
        m.put("salt", p.salt());
        List<Object> keys = new ArrayList<>();
        for (SavedPlan.KeyDigest k : p.keys()) {
            Map<String, Object> km = new LinkedHashMap<>();
            km.put("id", k.id());
            km.put("source", k.source());
            km.put("hmac", k.hmac());
            keys.add(km);
        }
        m.put("keys", keys);
        List<Object> hosts = new ArrayList<>();
        for (SavedPlan.HostPlan h : p.hosts()) {
            Map<String, Object> hm = new LinkedHashMap<>();
            hm.put("host", h.host());
            hm.put("outcome", h.outcome());
            hm.put("platform", h.platform());
            hm.put("ok", h.ok());
            hm.put("factsSha256", h.factsSha256());
            hm.put("facts", new java.util.TreeMap<>(h.facts()));
            List<Object> steps = new ArrayList<>();
            for (SavedPlan.PlannedStep s : h.steps()) {
                Map<String, Object> sm = new LinkedHashMap<>();
                sm.put("play", s.play());
                sm.put("step", s.step());
                sm.put("title", s.title());
                sm.put("reason", s.reason());
                if (s.sha256() != null) {
                    sm.put("sha256", s.sha256());
                }
                if (s.hmac() != null) {
                    sm.put("hmac", s.hmac());
                }
                steps.add(sm);
            }
            hm.put("steps", steps);
            hm.put("warnings", h.warnings());
            hm.put("diff", h.diff());
            hosts.add(hm);
        }
        m.put("hosts", hosts);
        m.put("exitCode", p.exitCode());
        return m;
    }

    private static Map<String, Object> input(SavedPlan.Input in) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", in.path());
        m.put("sha256", in.sha256());
        return m;
    }

    public static SavedPlan read(Path file) throws InvalidInputException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException(new Problem(file.toString(), 0, 0, "cannot read the plan: " + e.getMessage(), "check the path"));
        }
        return parse(file.toString(), text);
    }

    public static SavedPlan parse(String file, String text) throws InvalidInputException {
        Object doc;
        try {
            doc = Json.parse(text);
        } catch (IllegalArgumentException e) {
            Matcher at = AT.matcher(e.getMessage());
            if (at.matches()) {
                throw new InvalidInputException(new Problem(file, Integer.parseInt(at.group(1)), Integer.parseInt(at.group(2)),
                        "not a tsync plan: " + at.group(3), FIX));
            }
            throw new InvalidInputException(new Problem(file, 0, 0, "not a tsync plan: " + e.getMessage(), FIX));
        }
        Reader r = new Reader(file);
        Map<String, Object> m = r.object(doc, "$");
        String schema = r.string(m, "$", "schema", false);
        if (!SavedPlan.SCHEMA.equals(schema)) {
            throw new InvalidInputException(new Problem(file, 0, 0, "$.schema is '" + schema + "', this tsync reads " + SavedPlan.SCHEMA,
                    "make the plan again with this tsync, or apply it with the tsync that made it"));
        }
        String salt = r.string(m, "$", "salt", false);
        if (salt != null && !salt.matches("[0-9a-f]{32,128}")) {
            r.problem("$.salt", "is not 32 to 128 hex digits");
        }
        List<SavedPlan.KeyDigest> keys = new ArrayList<>();
        List<Object> kl = r.array(m, "$", "keys");
        for (int i = 0; i < kl.size(); i++) {
            String at = "$.keys[" + i + "]";
            Map<String, Object> k = r.object(kl.get(i), at);
            keys.add(new SavedPlan.KeyDigest(r.integer(k, at, "id"), r.string(k, at, "source", false), r.hash(k, at, "hmac", false)));
        }
        List<SavedPlan.HostPlan> hosts = new ArrayList<>();
        List<Object> hl = r.array(m, "$", "hosts");
        for (int i = 0; i < hl.size(); i++) {
            String at = "$.hosts[" + i + "]";
            Map<String, Object> h = r.object(hl.get(i), at);
            Map<String, String> facts = new LinkedHashMap<>();
            Map<String, Object> fm = r.object(h.get("facts"), at + ".facts");
            fm.forEach((k, v) -> {
                if (v instanceof String s) {
                    facts.put(k, s);
                } else {
                    r.problem(at + ".facts." + k, "is not a string");
                }
            });
            List<SavedPlan.PlannedStep> steps = new ArrayList<>();
            List<Object> sl = r.array(h, at, "steps");
            for (int j = 0; j < sl.size(); j++) {
                String sat = at + ".steps[" + j + "]";
                Map<String, Object> s = r.object(sl.get(j), sat);
                steps.add(new SavedPlan.PlannedStep(r.integer(s, sat, "play"), r.string(s, sat, "step", false), r.string(s, sat, "title", false),
                        r.string(s, sat, "reason", false), r.hash(s, sat, "sha256", true), r.hash(s, sat, "hmac", true)));
            }
            List<String> warnings = new ArrayList<>();
            List<Object> wl = r.array(h, at, "warnings");
            for (int j = 0; j < wl.size(); j++) {
                if (wl.get(j) instanceof String s) {
                    warnings.add(s);
                } else {
                    r.problem(at + ".warnings[" + j + "]", "is not a string");
                }
            }
            String outcome = r.string(h, at, "outcome", false);
            if (outcome != null && !outcome.equals("pending") && !outcome.equals("ok")) {
                r.problem(at + ".outcome", "is '" + outcome + "', not pending or ok");
            }
            hosts.add(new SavedPlan.HostPlan(r.string(h, at, "host", false), outcome, r.string(h, at, "platform", true),
                    r.integer(h, at, "ok"), facts, r.hash(h, at, "factsSha256", false), steps, warnings, r.string(h, at, "diff", true)));
        }
        SavedPlan p = new SavedPlan(r.string(m, "$", "tsyncVersion", false), r.string(m, "$", "created", false),
                r.input(m, "playbook", false), r.input(m, "inventory", true), r.input(m, "templates", true), salt, keys, hosts,
                r.integer(m, "$", "exitCode"));
        if (!r.problems.isEmpty()) {
            throw new InvalidInputException(r.problems);
        }
        return p;
    }

    /** Reads fields, collecting every problem rather than stopping at the first. */
    private static final class Reader {
        final String file;
        final List<Problem> problems = new ArrayList<>();

        Reader(String file) {
            this.file = file;
        }

        <T> T problem(String at, String what) {
            problems.add(new Problem(file, 0, 0, at + " " + what, FIX));
            return null;
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> object(Object v, String at) throws InvalidInputException {
            if (v instanceof Map<?, ?> m) {
                return (Map<String, Object>) m;
            }
            problem(at, v == null ? "is missing" : "is not an object");
            if (at.equals("$")) {
                throw new InvalidInputException(problems);
            }
            return Map.of();
        }

        @SuppressWarnings("unchecked")
        List<Object> array(Map<String, Object> m, String at, String key) {
            Object v = m.get(key);
            if (v instanceof List<?> l) {
                return (List<Object>) l;
            }
            problem(at + "." + key, v == null ? "is missing" : "is not an array");
            return List.of();
        }

        String string(Map<String, Object> m, String at, String key, boolean nullable) {
            Object v = m.get(key);
            if (v instanceof String s) {
                return s;
            }
            if (v == null && nullable) {
                return null;
            }
            return problem(at + "." + key, v == null ? "is missing" : "is not a string");
        }

        String hash(Map<String, Object> m, String at, String key, boolean nullable) {
            String s = string(m, at, key, nullable);
            if (s != null && !HEX64.matcher(s).matches()) {
                return problem(at + "." + key, "is not a SHA-256 (64 lowercase hex digits)");
            }
            return s;
        }

        int integer(Map<String, Object> m, String at, String key) {
            Object v = m.get(key);
            if (v instanceof Long l && l >= 0 && l <= Integer.MAX_VALUE) {
                return l.intValue();
            }
            problem(at + "." + key, v == null ? "is missing" : "is not a whole number >= 0");
            return 0;
        }

        SavedPlan.Input input(Map<String, Object> m, String key, boolean pathNullable) throws InvalidInputException {
            Map<String, Object> in = object(m.get(key), "$." + key);
            return new SavedPlan.Input(string(in, "$." + key, "path", pathNullable), hash(in, "$." + key, "sha256", false));
        }
    }
}
