package io.tsync.report;

import io.tsync.clock.ClockOffset;
import io.tsync.clock.FleetSpread;
import io.tsync.load.InvalidInputException;
import io.tsync.load.Problem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Combines the {@code --json} reports of the slices of one run ({@code --slice K/N}, one worker each)
 * into the report a single run over the whole selection prints: {@code tsync.apply/v1},
 * {@code tsync.status/v1} or {@code tsync.facts/v1}, hosts in the order the reports are given,
 * summary and exit code recomputed, {@code slice} null. Refuses what cannot be one run: different
 * schemas, playbooks or check modes, a host in two reports, slices cut differently, a slice given
 * twice or missing, so a combined report that says "all ok" has seen every host.
 */
public final class ReportMerge {
    public static final List<String> SCHEMAS = List.of(RunReport.SCHEMA, "tsync.status/v1", "tsync.facts/v1");

    /** Exit codes as the commands use them (README "Exit codes"). */
    static final int OK = 0;
    static final int CHANGES_PENDING = 2;
    static final int HOST_FAILED = 4;
    static final int HOST_UNREACHABLE = 5;
    static final int NOT_SYNCED = 6;

    private ReportMerge() {}

    /** One report as read: where it came from (for errors) and its parsed JSON. */
    public record Input(String name, Object document) {}

    /** The fleet's report and the exit code one run over the whole fleet would have ended with. */
    public record Merged(Map<String, Object> document, int exitCode) {}

    public static Merged merge(List<Input> inputs) throws InvalidInputException {
        List<Problem> problems = new ArrayList<>();
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Input in : inputs) {
            Map<String, Object> d = shape(in, problems);
            if (d != null) {
                docs.add(d);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        if (docs.isEmpty()) {
            throw new InvalidInputException(new Problem("report merge", 0, 0, "no report given", "name the --json reports of every slice"));
        }
        Map<String, Object> first = docs.get(0);
        String schema = (String) first.get("schema");
        for (int i = 1; i < docs.size(); i++) {
            Map<String, Object> d = docs.get(i);
            String name = inputs.get(i).name();
            if (!schema.equals(d.get("schema"))) {
                problems.add(new Problem(name, 0, 0, "is a " + d.get("schema") + " report, " + inputs.get(0).name() + " a " + schema + " report",
                        "merge the reports of one command (apply, status or facts)"));
                continue;
            }
            for (String key : schema.equals(RunReport.SCHEMA) ? List.of("playbook", "check") : List.<String>of()) {
                if (!Objects.equals(first.get(key), d.get(key))) {
                    problems.add(new Problem(name, 0, 0, "has " + key + " " + Json.write(d.get(key), false) + ", " + inputs.get(0).name() + " "
                            + Json.write(first.get(key), false), "merge the slices of one run: the same playbook, all with --check or none"));
                }
            }
        }
        List<Object> hosts = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < docs.size(); i++) {
            for (Object h : (List<?>) docs.get(i).get("hosts")) {
                String host = (String) ((Map<?, ?>) h).get("host");
                String other = seen.putIfAbsent(host, inputs.get(i).name());
                if (other != null) {
                    problems.add(new Problem(inputs.get(i).name(), 0, 0, "host " + host + " is also in " + other,
                            "give each slice's report once; slices cut with the same N never share a host"));
                }
                hosts.add(h);
            }
        }
        checkSlices(inputs, docs, hosts.size(), problems);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        Map<String, Object> out = new LinkedHashMap<>(first);
        out.put("hosts", hosts);
        int code;
        if (schema.equals(RunReport.SCHEMA)) {
            boolean check = Boolean.TRUE.equals(first.get("check"));
            code = applyExit(docs, hosts, check);
            out.put("summary", summary(hosts, check));
            out.put("exitCode", code);
        } else if (schema.equals("tsync.status/v1")) {
            code = statusExit(hosts);
            spread(hosts, out);
        } else {
            code = factsExit(hosts);
        }
        out.put("slice", null);
        return new Merged(out, code);
    }

    /** The document's parts merge relies on, each of the right type; else a problem naming the report. */
    private static Map<String, Object> shape(Input in, List<Problem> problems) {
        if (!(in.document() instanceof Map<?, ?> m) || !(m.get("schema") instanceof String schema)) {
            problems.add(new Problem(in.name(), 0, 0, "is not a tsync --json report (no \"schema\")", "give the output of tsync apply, status or facts --json"));
            return null;
        }
        if (!SCHEMAS.contains(schema)) {
            problems.add(new Problem(in.name(), 0, 0, "has schema " + schema + ", which this tsync cannot merge", "merge reports of " + String.join(", ", SCHEMAS)));
            return null;
        }
        if (!(m.get("hosts") instanceof List<?> hosts) || hosts.stream().anyMatch(h -> !(h instanceof Map<?, ?> hm) || !(hm.get("host") instanceof String))) {
            problems.add(new Problem(in.name(), 0, 0, "has no \"hosts\" list of objects with a \"host\" name", "give an unmodified tsync --json report"));
            return null;
        }
        Object slice = m.get("slice");
        if (slice != null && !(slice instanceof Map<?, ?> s && s.get("index") instanceof Long && s.get("count") instanceof Long
                && s.get("selectedHosts") instanceof Long)) {
            problems.add(new Problem(in.name(), 0, 0, "has a \"slice\" that is not {index, count, selectedHosts}", "give an unmodified tsync --json report"));
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) m;
        return doc;
    }

    /** Sliced reports: all of one cut (same N, same selection), each slice once, none missing, every host there. */
    private static void checkSlices(List<Input> inputs, List<Map<String, Object>> docs, int hostCount, List<Problem> problems) {
        List<Integer> sliced = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            if (docs.get(i).get("slice") != null) {
                sliced.add(i);
            }
        }
        if (sliced.isEmpty()) {
            return;
        }
        if (sliced.size() != docs.size()) {
            int plain = 0;
            while (sliced.contains(plain)) {
                plain++;
            }
            problems.add(new Problem(inputs.get(plain).name(), 0, 0, "is not the report of a slice, " + inputs.get(sliced.get(0)).name() + " is",
                    "merge the reports of the slices of one run (each run with --slice K/N)"));
            return;
        }
        Map<?, ?> cut = (Map<?, ?>) docs.get(0).get("slice");
        long count = (Long) cut.get("count");
        long selected = (Long) cut.get("selectedHosts");
        Map<Long, String> given = new HashMap<>();
        for (int i = 0; i < docs.size(); i++) {
            Map<?, ?> s = (Map<?, ?>) docs.get(i).get("slice");
            String name = inputs.get(i).name();
            if ((Long) s.get("count") != count || (Long) s.get("selectedHosts") != selected) {
                problems.add(new Problem(name, 0, 0, "is slice " + s.get("index") + "/" + s.get("count") + " of " + s.get("selectedHosts") + " hosts, "
                        + inputs.get(0).name() + " slice " + cut.get("index") + "/" + count + " of " + selected + " hosts",
                        "merge the slices of one run: the same N, inventory and --limit for every slice"));
                continue;
            }
            String other = given.putIfAbsent((Long) s.get("index"), name);
            if (other != null) {
                problems.add(new Problem(name, 0, 0, "is slice " + s.get("index") + "/" + count + " again (" + other + " is too)",
                        "give each slice's report once"));
            }
        }
        if (!problems.isEmpty()) {
            return;
        }
        TreeSet<Long> missing = new TreeSet<>();
        for (long k = 1; k <= count; k++) {
            if (!given.containsKey(k)) {
                missing.add(k);
            }
        }
        if (!missing.isEmpty()) {
            problems.add(new Problem("report merge", 0, 0, "slice(s) " + String.join(", ", missing.stream().map(k -> k + "/" + count).toList())
                    + " missing: the fleet report would lack their hosts", "give the report of every slice; re-run a slice whose worker failed before writing one"));
        } else if (hostCount != selected) {
            problems.add(new Problem("report merge", 0, 0, "the " + count + " slices list " + hostCount + " hosts, but " + selected + " were selected",
                    "give unmodified reports of one run"));
        }
    }

    private static Map<String, Object> summary(List<Object> hosts, boolean check) {
        int ok = 0;
        int changed = 0;
        int failed = 0;
        int unreachable = 0;
        for (Object h : hosts) {
            switch (String.valueOf(((Map<?, ?>) h).get("outcome"))) {
                case "ok" -> ok++;
                case "changed", "pending" -> changed++;
                case "failed" -> failed++;
                case "unreachable" -> unreachable++;
                default -> { }
            }
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("ok", ok);
        s.put(check ? "pending" : "changed", changed);
        s.put("failed", failed);
        s.put("unreachable", unreachable);
        return s;
    }

    /**
     * As apply decides it over all hosts: a failed host 4, else an unreachable one 5, else drift under
     * --check 2, else a slice that did not sync in --wait 6 (only its report knows), else 0.
     */
    private static int applyExit(List<Map<String, Object>> docs, List<Object> hosts, boolean check) {
        List<String> outcomes = hosts.stream().map(h -> String.valueOf(((Map<?, ?>) h).get("outcome"))).toList();
        List<Long> codes = docs.stream().map(d -> d.get("exitCode") instanceof Long l ? l : 0L).toList();
        if (outcomes.contains("failed") || codes.contains((long) HOST_FAILED)) {
            return HOST_FAILED;
        }
        if (outcomes.contains("unreachable") || codes.contains((long) HOST_UNREACHABLE)) {
            return HOST_UNREACHABLE;
        }
        if (check && outcomes.contains("pending") || codes.contains((long) CHANGES_PENDING)) {
            return CHANGES_PENDING;
        }
        if (codes.contains((long) NOT_SYNCED)) {
            return NOT_SYNCED;
        }
        return codes.stream().filter(c -> c != OK).findFirst().map(Long::intValue).orElse(OK);
    }

    /** As status decides it: an unreachable host 5, else one not synced 6, else one drifted from the playbook 2. */
    private static int statusExit(List<Object> hosts) {
        List<Object> verdicts = hosts.stream().map(h -> (Object) ((Map<?, ?>) h).get("verdict")).toList();
        if (verdicts.contains("unreachable")) {
            return HOST_UNREACHABLE;
        }
        if (verdicts.stream().anyMatch(v -> !"synced".equals(v))) {
            return NOT_SYNCED;
        }
        if (hosts.stream().anyMatch(h -> Boolean.FALSE.equals(((Map<?, ?>) h).get("playbookMatch")))) {
            return CHANGES_PENDING;
        }
        return OK;
    }

    /** The fleet's spread over every slice's hosts (each measured against its worker's clock or the same --reference). */
    private static void spread(List<Object> hosts, Map<String, Object> out) {
        List<ClockOffset> offsets = new ArrayList<>();
        for (Object h : hosts) {
            Map<?, ?> m = (Map<?, ?>) h;
            if (m.get("measuredOffsetSeconds") instanceof Number o && m.get("measuredErrorSeconds") instanceof Number e && e.doubleValue() >= 0) {
                offsets.add(new ClockOffset(o.doubleValue(), e.doubleValue(), ClockOffset.CONTROLLER));
            }
        }
        FleetSpread spread = FleetSpread.of(offsets);
        out.put("fleetSpreadSeconds", spread == null ? null : spread.seconds());
        out.put("fleetSpreadErrorSeconds", spread == null ? null : spread.errorSeconds());
    }

    /** As facts decides it: a host whose probe failed 4, else an unreachable one 5. */
    private static int factsExit(List<Object> hosts) {
        List<Object> states = hosts.stream().map(h -> (Object) ((Map<?, ?>) h).get("state")).toList();
        if (states.contains("failed")) {
            return HOST_FAILED;
        }
        return states.contains("unreachable") ? HOST_UNREACHABLE : OK;
    }
}
