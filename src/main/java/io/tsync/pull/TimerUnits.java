package io.tsync.pull;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The systemd units {@code tsync pull --install-timer} writes: a oneshot service running the pull with
 * the same arguments, and its timer (first run {@value #BOOT_DELAY} after boot, or at once when
 * installed later; then every interval after the last run started, plus a random delay that spreads a
 * fleet's fetches over the Git server). Pure text, tested as such.
 */
public final class TimerUnits {
    public static final String SERVICE = "tsync-pull.service";
    public static final String TIMER = "tsync-pull.timer";
    public static final String DIR = "/etc/systemd/system";
    static final String BOOT_DELAY = "1min";
    private static final Pattern SPAN = Pattern.compile("(\\d{1,6})\\s*(s|sec|m|min|h)?");

    private TimerUnits() {}

    /** "15min", "900", "90s", "1h" (systemd's words); null when it is not one of those. */
    public static Duration parseSpan(String text) {
        Matcher m = SPAN.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "m", "min" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    /** A duration as systemd reads it: "15min", "1h", "90s". */
    public static String span(Duration d) {
        long s = d.toSeconds();
        if (s != 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s != 0 && s % 60 == 0) {
            return s / 60 + "min";
        }
        return s + "s";
    }

    /**
     * The service. {@code command} is the tsync launcher and the pull's arguments, each one word of
     * ExecStart (quoted for systemd: no shell is involved).
     */
    public static String service(List<String> command) {
        return "# Written by tsync pull --install-timer (docs/pull.md); run it again to change this file.\n"
                + "[Unit]\n"
                + "Description=tsync pull: converge this machine's time settings from Git\n"
                + "Documentation=man:tsync-pull(1)\n"
                + "Wants=network-online.target\n"
                + "After=network-online.target\n"
                + "\n"
                + "[Service]\n"
                + "Type=oneshot\n"
                + "ExecStart=" + execLine(command) + "\n"
                // a hung Git server or lock must not keep the next runs from starting forever
                + "TimeoutStartSec=1h\n";
    }

    public static String timer(Duration interval, Duration randomDelay) {
        return "# Written by tsync pull --install-timer (docs/pull.md); run it again to change this file.\n"
                + "[Unit]\n"
                + "Description=tsync pull every " + span(interval) + "\n"
                + "Documentation=man:tsync-pull(1)\n"
                + "\n"
                + "[Timer]\n"
                + "OnBootSec=" + BOOT_DELAY + "\n"
                + "OnUnitActiveSec=" + span(interval) + "\n"
                + "RandomizedDelaySec=" + span(randomDelay) + "\n"
                // systemd's default (1min) would add up to a minute of its own to each run, to coalesce wake-ups
                + "AccuracySec=1s\n"
                + "\n"
                + "[Install]\n"
                + "WantedBy=timers.target\n";
    }

    /** Words of an ExecStart= line, each quoted when systemd would otherwise split or expand it. */
    static String execLine(List<String> words) {
        StringBuilder sb = new StringBuilder();
        for (String w : words) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(quote(w));
        }
        return sb.toString();
    }

    /** One ExecStart word: % and $ doubled (specifiers, variables), quoted when it has blanks, quotes or backslashes. */
    static String quote(String word) {
        for (char c : word.toCharArray()) {
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("a control character cannot be part of a systemd unit: " + word.replaceAll("\\p{Cntrl}", "?"));
            }
        }
        String s = word.replace("%", "%%").replace("$", "$$");
        if (!s.isEmpty() && s.chars().noneMatch(c -> c == ' ' || c == '"' || c == '\'' || c == '\\' || c == ';')) {
            return s;
        }
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
