package io.tsync.status;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads {@code KEY=VALUE} lines, as the probe's {@code tz} section and {@code timedatectl show-timesync} print them. */
final class KeyValueLines {
    private KeyValueLines() {}

    /** Each line's key and value, both stripped, in order; a later key wins, lines without a key before an {@code =} are skipped. */
    static Map<String, String> parse(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : body.split("\\R")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return out;
    }
}
