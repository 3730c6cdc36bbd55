package io.tsync.status;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the {@link StatusScript} printed on one host, split into its sections by name in output order.
 *
 * @param sections each section by name; a section cut off before its end marker has a {@code null} exit code
 * @param ended whether the output has its {@code @end} line (else the connection was cut)
 */
public record ProbeOutput(Map<String, ProbeSection> sections, boolean ended) {
    public ProbeOutput {
        sections = Collections.unmodifiableMap(new LinkedHashMap<>(sections));
    }

    /** Splits the output; anything before the {@link StatusScript#HEADER} line (a login banner) is ignored, and output without it has no sections. */
    public static ProbeOutput read(String output) {
        return new ProbeOutput(split(output), output.lines().anyMatch("@end"::equals));
    }

    private static Map<String, ProbeSection> split(String output) {
        Map<String, ProbeSection> out = new LinkedHashMap<>();
        List<String> lines = output.lines().toList();
        int start = lines.indexOf(StatusScript.HEADER);
        if (start < 0) {
            return out;
        }
        String name = null;
        StringBuilder body = new StringBuilder();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("@section ") || line.equals("@end")) {
                if (name != null) {
                    out.put(name, new ProbeSection(name, strip(body), null));
                }
                name = line.equals("@end") ? null : line.substring("@section ".length()).strip();
                body.setLength(0);
                if (line.equals("@end")) {
                    break;
                }
            } else if (name != null && line.startsWith("@exit " + name + " ")) {
                Integer code;
                try {
                    code = Integer.valueOf(line.substring(("@exit " + name + " ").length()).strip());
                } catch (NumberFormatException e) {
                    code = null;
                }
                out.put(name, new ProbeSection(name, strip(body), code));
                name = null;
                body.setLength(0);
            } else if (name != null) {
                body.append(line).append('\n');
            }
        }
        if (name != null) {
            out.put(name, new ProbeSection(name, strip(body), null));
        }
        return out;
    }

    private static String strip(StringBuilder body) {
        return body.toString().stripTrailing();
    }

    /** Whether any section was read: output without the {@link StatusScript#HEADER}, or with nothing after it, is no probe output. */
    public boolean recognised() {
        return !sections.isEmpty();
    }

    /** The section, or {@code null} when the script did not print it. */
    public ProbeSection section(String name) {
        return sections.get(name);
    }

    /** The section's body, or an empty string when the script did not print it. */
    public String body(String name) {
        ProbeSection p = sections.get(name);
        return p == null ? "" : p.body();
    }

    /** Names of the sections whose command printed more than the probe reads, in output order. */
    public List<String> tooLong() {
        return sections.values().stream().filter(ProbeSection::tooLong).map(ProbeSection::name).toList();
    }
}
