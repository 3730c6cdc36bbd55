package io.tsync.status;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parsers for chronyc's CSV reports ({@code chronyc -c -n ...}). They are strict: a line that is not what chronyc
 * 4.x prints raises {@link IllegalArgumentException}; check {@link #error} first to tell a daemon error apart.
 */
public final class ChronyParsers {
    /** Leap status chronyd reports while not synchronised. */
    public static final String LEAP_UNSYNCHRONISED = "Not synchronised";

    /** chronyc prints this for a never-sampled source in the LastRx column (2^32 - 1). */
    private static final long NEVER = 4294967295L;
    /** chronyc's error replies, e.g. {@code 506 Cannot talk to daemon} or {@code 501 Not authorised}. */
    private static final Pattern REPLY_ERROR = Pattern.compile("^\\d{3} \\S.*");
    private static final int SOURCE_FIELDS = 10;
    private static final int TRACKING_FIELDS = 14;

    private ChronyParsers() {}

    /**
     * The error chronyc printed instead of a report, e.g. {@code 506 Cannot talk to daemon} when chronyd is not
     * running (chronyc then exits with 1), or empty if the output looks like a report.
     */
    public static Optional<String> error(String output) {
        for (String line : lines(output)) {
            if (REPLY_ERROR.matcher(line).matches() || line.startsWith("Could not") || line.startsWith("chronyc:")) {
                return Optional.of(line);
            }
        }
        return Optional.empty();
    }

    /**
     * Parses {@code chronyc -c -n sources}: one line per source with the fields mode ({@code ^} server, {@code =}
     * peer, {@code #} reference clock), state, address (or refclock name), stratum, poll (log2 s), reach (octal),
     * seconds since last sample (4294967295 = never), adjusted offset, measured offset and error bound (seconds).
     * Empty output means no sources.
     */
    public static List<Source> sources(String csv) {
        List<Source> out = new ArrayList<>();
        int n = 0;
        for (String line : csv.split("\\R")) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.strip().split(",", -1);
            if (f.length != SOURCE_FIELDS || f[0].length() != 1 || f[1].length() != 1) {
                throw new IllegalArgumentException("chronyc sources line " + n + ": expected " + SOURCE_FIELDS
                        + " CSV fields, got: " + line.strip());
            }
            char state = f[1].charAt(0);
            if (HostStatus.STATES.indexOf(state) < 0) {
                throw new IllegalArgumentException("chronyc sources line " + n + ": unknown state '" + state + "'");
            }
            try {
                long lastRx = Long.parseLong(f[6]);
                out.add(new Source(state, state, mode(f[0].charAt(0)), f[2], null, Integer.parseInt(f[3]),
                        Integer.parseInt(f[4]), Integer.parseInt(f[5], 8), lastRx == NEVER ? null : lastRx,
                        finite(f[7]), finite(f[8]), finite(f[9]), null, null));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("chronyc sources line " + n + ": bad number in: " + line.strip(), e);
            }
        }
        return out;
    }

    /**
     * Parses {@code chronyc -c -n tracking}: one line with reference ID (hex), reference name, stratum, reference
     * time (epoch seconds), system time offset, last offset, RMS offset, frequency, residual frequency, skew, root
     * delay, root dispersion, update interval and leap status.
     */
    public static ChronyTracking tracking(String csv) {
        List<String> lines = lines(csv);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("chronyc tracking printed nothing");
        }
        String line = lines.get(0);
        String[] f = line.split(",", -1);
        if (f.length != TRACKING_FIELDS) {
            throw new IllegalArgumentException("chronyc tracking: expected " + TRACKING_FIELDS + " CSV fields, got: "
                    + line);
        }
        // seconds since the epoch with at most 9 decimals: "1e10000000" made longValue() work for minutes (found by fuzzing)
        if (!f[3].matches("\\d{1,12}(\\.\\d{0,9})?")) {
            throw new IllegalArgumentException("chronyc tracking: bad reference time '" + f[3] + "' in: " + line);
        }
        try {
            BigDecimal ref = new BigDecimal(f[3]);
            Instant refTime = ref.signum() == 0 ? null
                    : Instant.ofEpochSecond(ref.longValue(), ref.remainder(BigDecimal.ONE).movePointRight(9).longValue());
            return new ChronyTracking(f[0], f[1].isEmpty() ? null : f[1], Integer.parseInt(f[2]), refTime,
                    finite(f[4]), finite(f[5]), finite(f[6]),
                    finite(f[7]), finite(f[8]), finite(f[9]),
                    finite(f[10]), finite(f[11]), finite(f[12]), f[13]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("chronyc tracking: bad number in: " + line, e);
        }
    }

    private static String mode(char m) {
        return switch (m) {
            case '^' -> "server";
            case '=' -> "peer";
            case '#' -> "refclock";
            default -> "unknown";
        };
    }

    private static List<String> lines(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /** A number as chronyc prints it; Java's Infinity, NaN and 1e999 are none (JSON cannot hold them: found by fuzzing). */
    private static double finite(String s) {
        double d = Double.parseDouble(s);
        if (!Double.isFinite(d)) {
            throw new NumberFormatException("not a finite number: " + s);
        }
        return d;
    }
}
