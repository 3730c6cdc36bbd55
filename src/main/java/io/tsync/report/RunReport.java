package io.tsync.report;

import io.tsync.exec.HostResult;
import io.tsync.exec.Outcome;
import io.tsync.plan.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Machine-readable results of an apply: the JSON document (schema {@code tsync.apply/v1},
 * documented in docs/json.md) and a JUnit XML report with one test case per host for CI dashboards.
 */
public final class RunReport {
    public static final String SCHEMA = "tsync.apply/v1";

    private RunReport() {}

    /** The document {@code apply --json} prints: {@link #document(String, boolean, List, int)} and the run's {@code slice} (null without --slice). */
    public static Map<String, Object> document(String playbook, boolean check, List<HostResult> results, int exitCode, Map<String, Object> slice) {
        Map<String, Object> doc = document(playbook, check, results, exitCode);
        doc.put("slice", slice);
        return doc;
    }

    public static Map<String, Object> document(String playbook, boolean check, List<HostResult> results, int exitCode) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", SCHEMA);
        doc.put("playbook", playbook);
        doc.put("check", check);
        List<Object> hosts = new ArrayList<>();
        int ok = 0;
        int changed = 0;
        int failed = 0;
        int unreachable = 0;
        for (HostResult r : results) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("host", r.host());
            h.put("outcome", r.outcome().name().toLowerCase(Locale.ROOT));
            h.put("platform", r.platform());
            h.put("ok", r.ok());
            h.put("changed", r.changed());
            List<Object> steps = new ArrayList<>();
            for (Step s : r.plan()) {
                Map<String, Object> st = new LinkedHashMap<>();
                st.put("step", s.getClass().getSimpleName());
                st.put("title", s.title());
                st.put("reason", s.reason());
                st.put("applied", r.applied().contains(s));
                steps.add(st);
            }
            h.put("steps", steps);
            h.put("warnings", r.warnings());
            h.put("message", r.message());
            h.put("diff", r.diff());
            hosts.add(h);
            switch (r.outcome()) {
                case OK -> ok++;
                case CHANGED, PENDING -> changed++;
                case FAILED -> failed++;
                case UNREACHABLE -> unreachable++;
            }
        }
        doc.put("hosts", hosts);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("ok", ok);
        summary.put(check ? "pending" : "changed", changed);
        summary.put("failed", failed);
        summary.put("unreachable", unreachable);
        doc.put("summary", summary);
        doc.put("exitCode", exitCode);
        return doc;
    }

    /** JUnit XML: a test case per host; failed/unreachable hosts fail, and so does drift under --check. */
    public static String junit(String playbook, boolean check, List<HostResult> results, double seconds) {
        return junit(playbook, check, results, seconds, Map.of());
    }

    /** As above, each host's test case with its time ({@code hostSeconds}, from --timings' figures). */
    public static String junit(String playbook, boolean check, List<HostResult> results, double seconds, Map<String, Double> hostSeconds) {
        long failures = results.stream().filter(r -> r.outcome() == Outcome.FAILED || r.outcome() == Outcome.PENDING).count();
        long errors = results.stream().filter(r -> r.outcome() == Outcome.UNREACHABLE).count();
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.append("<testsuite name=\"tsync ").append(check ? "check " : "apply ").append(xml(playbook)).append("\" tests=\"").append(results.size())
                .append("\" failures=\"").append(failures).append("\" errors=\"").append(errors)
                .append("\" time=\"").append(String.format(Locale.ROOT, "%.3f", seconds)).append("\">\n");
        for (HostResult r : results) {
            x.append("  <testcase classname=\"tsync.").append(check ? "drift" : "apply").append("\" name=\"").append(xml(r.host())).append('"');
            Double t = hostSeconds.get(r.host());
            if (t != null) {
                x.append(" time=\"").append(String.format(Locale.ROOT, "%.3f", t)).append('"');
            }
            x.append('>');
            switch (r.outcome()) {
                case FAILED -> x.append("<failure message=\"failed\">").append(xml(r.message())).append("</failure>");
                case UNREACHABLE -> x.append("<error message=\"unreachable\">").append(xml(r.message())).append("</error>");
                case PENDING -> x.append("<failure message=\"drift: ").append(r.plan().size()).append(" change(s) pending\">")
                        .append(xml(String.join("\n", r.plan().stream().map(s -> s.title() + " (" + s.reason() + ")").toList())))
                        .append("</failure>");
                default -> x.append("<system-out>").append(xml(r.outcome() == Outcome.CHANGED ? r.changed() + " change(s) applied" : "in the desired state"))
                        .append("</system-out>");
            }
            x.append("</testcase>\n");
        }
        return x.append("</testsuite>\n").toString();
    }

    static String xml(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
                        b.append("?");
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
