package io.tsync.run;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A rollout's waves in the reports: the {@code waves} member of {@code apply --json}, JUnit test cases, and the recap's not-started hosts. */
public final class WaveReport {
    private WaveReport() {}

    /** The {@code waves} array (docs/schemas/apply.schema.json); null without a rollout. */
    public static List<Object> json(List<WaveRunner.Wave> waves) {
        if (waves == null) {
            return null;
        }
        List<Object> out = new ArrayList<>();
        for (WaveRunner.Wave w : waves) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("wave", w.index());
            m.put("hosts", w.hosts());
            m.put("outcome", w.outcome().label());
            m.put("seconds", w.seconds());
            m.put("changed", w.changed());
            m.put("synced", w.synced());
            m.put("failed", new LinkedHashMap<>(w.failed()));
            m.put("rolledBack", new LinkedHashMap<>(w.rolledBack()));
            m.put("reason", w.reason());
            m.put("started", w.started() == null ? null : w.started().toString());
            m.put("syncedAt", w.syncedAt() == null ? null : w.syncedAt().toString());
            out.add(m);
        }
        return out;
    }

    /** The recap's lines for hosts of waves that did not start, each with the reason, and the rolled back hosts. */
    public static void recap(PrintStream out, List<WaveRunner.Wave> waves, int hostWidth) {
        // padded as ConsoleReporter pads the recap above
        int width = Math.max(4, hostWidth);
        for (WaveRunner.Wave w : waves) {
            w.rolledBack().forEach((h, what) -> out.println(String.format("%-" + width + "s", h) + " : " + what));
            if (w.outcome() == WaveRunner.WaveOutcome.NOT_STARTED) {
                for (String h : w.hosts()) {
                    out.println(String.format("%-" + width + "s", h) + " : not started (wave " + w.index() + "/" + w.of() + "): " + w.reason());
                }
            }
        }
        out.flush();
    }

    /**
     * JUnit test cases, one per wave (a stopped wave fails, a wave not started is skipped), inserted into
     * {@code suite} as the last cases; the suite's counts include them.
     */
    public static String junit(String suite, List<WaveRunner.Wave> waves) {
        StringBuilder cases = new StringBuilder();
        int failures = 0;
        for (WaveRunner.Wave w : waves) {
            cases.append("  <testcase classname=\"tsync.wave\" name=\"wave ").append(w.index()).append('/').append(w.of()).append(": ")
                    .append(w.hosts().size()).append(" host(s)\" time=\"").append(String.format(Locale.ROOT, "%.3f", w.seconds())).append("\">");
            switch (w.outcome()) {
                case STOPPED -> {
                    failures++;
                    cases.append("<failure message=\"stopped the rollout\">").append(xml(w.reason())).append("</failure>");
                }
                case NOT_STARTED -> cases.append("<skipped message=\"not started\">").append(xml(w.reason())).append("</skipped>");
                default -> cases.append("<system-out>").append(xml(String.join(", ", w.hosts()) + ": " + w.changed() + " changed, " + w.synced() + " synced"))
                        .append("</system-out>");
            }
            cases.append("</testcase>\n");
        }
        String s = bump(suite, "tests", waves.size());
        s = bump(s, "failures", failures);
        int end = s.lastIndexOf("</testsuite>");
        return s.substring(0, end) + cases + s.substring(end);
    }

    private static String bump(String xml, String attr, int by) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(attr + "=\"(\\d+)\"").matcher(xml);
        return m.find() ? xml.substring(0, m.start()) + attr + "=\"" + (Integer.parseInt(m.group(1)) + by) + "\"" + xml.substring(m.end()) : xml;
    }

    private static String xml(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&apos;");
    }
}
