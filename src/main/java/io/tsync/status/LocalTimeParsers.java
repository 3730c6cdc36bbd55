package io.tsync.status;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** Reads the host's wall clock and time zone from the probe's {@code date} and {@code tz} sections. */
public final class LocalTimeParsers {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxx");

    private LocalTimeParsers() {}

    /** The output of {@code date +%Y-%m-%dT%H:%M:%S%z}, or {@code null} when it is blank or not that. */
    public static OffsetDateTime dateTime(String date) {
        try {
            return date.isBlank() ? null : OffsetDateTime.parse(date.strip(), DATE);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The zone name from the {@code tz} section's {@code link=} and {@code file=} lines, as {@link #timezone(String, String)}. */
    public static String timezone(String tzSection) {
        Map<String, String> vars = KeyValueLines.parse(tzSection);
        return timezone(vars.get("link"), vars.get("file"));
    }

    /**
     * The IANA zone name from the {@code /etc/localtime} link target (everything after {@code zoneinfo/}, without
     * a {@code posix/} or {@code right/} prefix), else the first line of {@code /etc/timezone}, else {@code null}.
     */
    public static String timezone(String localtimeLink, String timezoneFile) {
        String link = localtimeLink == null ? "" : localtimeLink.strip();
        int i = link.indexOf("zoneinfo/");
        if (i >= 0 && i + 9 < link.length()) {
            String z = link.substring(i + 9);
            for (String prefix : List.of("posix/", "right/")) {
                if (z.startsWith(prefix)) {
                    z = z.substring(prefix.length());
                }
            }
            return z;
        }
        String file = timezoneFile == null ? "" : timezoneFile.strip();
        return file.isEmpty() ? null : file;
    }
}
