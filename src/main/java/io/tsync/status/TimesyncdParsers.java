package io.tsync.status;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for what {@code timedatectl show-timesync} and {@code timedatectl timesync-status} print (systemd 247 to 257). */
final class TimesyncdParsers {
    private TimesyncdParsers() {}

    private static final Pattern SPAN = Pattern.compile("(?:(\\d+)min)?\\s*(?:(\\d+)s)?");

    /**
     * The fields of {@code NTPMessage={ Leap=0, Version=4, ..., Ignored=no PacketCount=1, Jitter=0 }}. systemd
     * 247 prints no comma between Ignored and PacketCount, so fields are split on "Name=" rather than on commas.
     */
    static Map<String, String> ntpMessage(String value) {
        Map<String, String> out = new LinkedHashMap<>();
        String body = value.strip();
        if (body.startsWith("{")) {
            body = body.substring(1);
        }
        if (body.endsWith("}")) {
            body = body.substring(0, body.length() - 1);
        }
        Matcher m = Pattern.compile("([A-Za-z]+)=").matcher(body);
        String key = null;
        int from = 0;
        while (m.find()) {
            if (key != null) {
                out.put(key, clean(body.substring(from, m.start())));
            }
            key = m.group(1);
            from = m.end();
        }
        if (key != null) {
            out.put(key, clean(body.substring(from)));
        }
        return out;
    }

    private static String clean(String v) {
        String t = v.strip();
        return t.endsWith(",") ? t.substring(0, t.length() - 1).strip() : t;
    }

    static Integer integer(String s) {
        try {
            return s == null ? null : Integer.valueOf(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** "Offset: +37us" (and "-1.234ms", "+2.5s") in seconds, or null. */
    static Double offsetSeconds(String timesyncStatus) {
        return seconds(timesyncStatus, "Offset");
    }

    /** A duration line of timesync-status ("Offset", "Delay", "Jitter") in seconds, or null. */
    static Double seconds(String timesyncStatus, String label) {
        Matcher m = Pattern.compile("(?m)^\\s*" + label + ":\\s*([+-]?[0-9.]+)(ns|us|ms|s|min)\\s*$").matcher(timesyncStatus);
        if (!m.find()) {
            return null;
        }
        double v;
        try {
            v = Double.parseDouble(m.group(1)); // "1.2.3" matches the pattern too
        } catch (NumberFormatException e) {
            return null;
        }
        double out = switch (m.group(2)) {
            case "ns" -> v * 1e-9;
            case "us" -> v * 1e-6;
            case "ms" -> v * 1e-3;
            case "min" -> v * 60;
            default -> v;
        };
        return Double.isFinite(out) ? out : null;
    }

    /** A poll interval such as "32s", "1min 4s" or "34min 8s" as a base-2 logarithm of seconds (32s: 5), or null. */
    static Integer pollLog2(String span) {
        if (span == null || span.isBlank()) {
            return null;
        }
        Matcher m = SPAN.matcher(span.strip());
        if (!m.matches()) {
            return null;
        }
        long secs = (m.group(1) == null ? 0 : Long.parseLong(m.group(1)) * 60) + (m.group(2) == null ? 0 : Long.parseLong(m.group(2)));
        return secs <= 0 ? null : (int) Math.round(Math.log(secs) / Math.log(2));
    }

    /** NTP's leap indicator as chrony words it. */
    static String leap(Integer li) {
        if (li == null) {
            return null;
        }
        return switch (li) {
            case 0 -> "Normal";
            case 1 -> "Insert second";
            case 2 -> "Delete second";
            default -> "Not synchronised";
        };
    }
}
