package io.tsync.report;

import io.tsync.plan.SavedPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tsync show PLAN}: a saved plan as {@code apply --check --diff} printed it (the lines of
 * {@link ConsoleReporter} in check mode, hosts in plan order) or as its {@code --json} document
 * ({@link RunReport}'s tsync.apply/v1).
 */
public final class PlanPrinter {
    private PlanPrinter() {}

    public static String text(SavedPlan plan, boolean color) {
        int width = Math.max(4, plan.hosts().stream().mapToInt(h -> h.host().length()).max().orElse(4));
        StringBuilder out = new StringBuilder();
        for (SavedPlan.HostPlan h : plan.hosts()) {
            for (String w : h.warnings()) {
                out.append(pad(h.host(), width)).append("  ").append(paint(color, "35", "warning")).append("  ").append(w).append('\n');
            }
            if (h.steps().isEmpty()) {
                out.append(pad(h.host(), width)).append("  ").append(paint(color, "32", "ok     ")).append("  in the desired state\n");
            } else {
                out.append(pad(h.host(), width)).append("  ").append(paint(color, "33", "pending")).append("  ").append(h.steps().size())
                        .append(" change(s) would be made:\n");
                for (SavedPlan.PlannedStep s : h.steps()) {
                    out.append(pad("", width)).append("    ~ ").append(s.title()).append("  (").append(s.reason()).append(")\n");
                }
            }
            if (h.diff() != null) {
                for (String line : h.diff().split("\n")) {
                    String c = line.startsWith("+") && !line.startsWith("+++") ? "32" : line.startsWith("-") && !line.startsWith("---") ? "31"
                            : line.startsWith("@@") ? "36" : null;
                    out.append(c == null ? line : paint(color, c, line)).append('\n');
                }
            }
        }
        out.append("\nRECAP (check mode: nothing was changed)\n");
        for (SavedPlan.HostPlan h : plan.hosts()) {
            int n = h.steps().size();
            String line = pad(h.host(), width) + " : ok=" + h.ok() + "  pending=" + n + "  failed=0  unreachable=0";
            out.append(paint(color, n > 0 ? "33" : "32", line)).append('\n');
        }
        return out.toString();
    }

    /** The document {@code apply --check --json} printed when the plan was made (tsync.apply/v1, without a slice). */
    public static Map<String, Object> json(SavedPlan plan) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", RunReport.SCHEMA);
        doc.put("playbook", plan.playbook().path());
        doc.put("check", true);
        List<Object> hosts = new ArrayList<>();
        int ok = 0;
        for (SavedPlan.HostPlan h : plan.hosts()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("host", h.host());
            m.put("outcome", h.steps().isEmpty() ? "ok" : "pending");
            m.put("platform", h.platform());
            m.put("ok", h.ok());
            m.put("changed", 0);
            List<Object> steps = new ArrayList<>();
            for (SavedPlan.PlannedStep s : h.steps()) {
                Map<String, Object> st = new LinkedHashMap<>();
                st.put("step", s.step());
                st.put("title", s.title());
                st.put("reason", s.reason());
                st.put("applied", false);
                steps.add(st);
            }
            m.put("steps", steps);
            m.put("warnings", h.warnings());
            m.put("message", null);
            m.put("diff", h.diff());
            hosts.add(m);
            ok += h.steps().isEmpty() ? 1 : 0;
        }
        doc.put("hosts", hosts);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("ok", ok);
        summary.put("pending", plan.hosts().size() - ok);
        summary.put("failed", 0);
        summary.put("unreachable", 0);
        doc.put("summary", summary);
        doc.put("exitCode", plan.exitCode());
        doc.put("slice", null);
        return doc;
    }

    private static String pad(String s, int width) {
        return String.format("%-" + width + "s", s);
    }

    private static String paint(boolean color, String code, String s) {
        return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}
