package io.tsync.status;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers for the output of {@code ntpq} (classic ntp 4.2.x and NTPsec): the peer billboard {@code ntpq -pn} and
 * the system variables {@code ntpq -c rv}. Times printed in milliseconds (or with an explicit {@code ns/us/ms/s}
 * unit, as NTPsec's {@code -u} prints them) are converted to seconds.
 */
public final class NtpqParsers {
    /** Tally codes of the first column of {@code ntpq -p}. */
    private static final String TALLIES = " x.-+#*o";
    private static final int PEER_FIELDS = 10;
    private static final Pattern VAR = Pattern.compile("([A-Za-z_][A-Za-z0-9_.]*)=(\"([^\"]*)\"|[^,\\s]*)");
    private static final Pattern TIME = Pattern.compile("([-+]?[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)(ns|us|µs|ms|s)?");
    private static final Pattern WHEN = Pattern.compile("([0-9]+)([mhd]?)");

    private NtpqParsers() {}

    /**
     * The error ntpq printed instead of a report, or empty if the output is a report (including NTPsec's "No
     * association IDs returned" for a daemon without peers). Classic ntpq prints e.g. {@code ntpq: read: Connection
     * refused} when ntpd is down; NTPsec prints {@code ***Socket error; probably ntpd is not running} and exits 0.
     */
    public static Optional<String> error(String output) {
        List<String> lines = output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        for (String l : lines) {
            if (isHeader(l) || l.contains("associd=") || l.startsWith("No association ID")) {
                return Optional.empty();
            }
        }
        String first = lines.get(0);
        while (first.startsWith("*")) {
            first = first.substring(1);
        }
        return Optional.of(first.strip());
    }

    /**
     * Parses {@code ntpq -pn}. Each peer line holds the tally code in column 1 followed by remote, refid, st, t,
     * when, poll, reach (octal), delay, offset and jitter. Tallies map onto chrony's states: {@code *} and {@code o}
     * (system/PPS peer) to {@code *}; {@code +} (candidate) to {@code +}; {@code #} (backup), {@code -} (outlier)
     * and {@code .} (excess) to {@code -}; {@code x} (falseticker) to {@code x}; {@code ' '} (reject) to {@code ?}.
     * Pool entries ({@code .POOL.}) are kept, with mode {@code pool}. A remote too long for its column, printed
     * alone on its own line, is joined with the next line.
     */
    public static List<Source> peers(String text) {
        List<Source> out = new ArrayList<>();
        String pendingRemote = null;
        char pendingTally = ' ';
        int n = 0;
        for (String line : text.split("\\R")) {
            n++;
            if (line.isBlank() || isHeader(line) || line.strip().startsWith("===")
                    || line.strip().startsWith("No association ID")) {
                continue;
            }
            char tally = line.charAt(0);
            if (TALLIES.indexOf(tally) < 0) {
                throw new IllegalArgumentException("ntpq peers line " + n + ": unknown tally code '" + tally + "' in: "
                        + line);
            }
            List<String> f = new ArrayList<>(List.of(line.substring(1).strip().split("\\s+")));
            if (pendingRemote != null) {
                if (f.size() == PEER_FIELDS - 1) {
                    f.add(0, pendingRemote);
                    tally = pendingTally;
                }
                pendingRemote = null;
            } else if (f.size() == 1) {
                pendingRemote = f.get(0);
                pendingTally = tally;
                continue;
            }
            if (f.size() != PEER_FIELDS) {
                throw new IllegalArgumentException("ntpq peers line " + n + ": expected " + PEER_FIELDS
                        + " columns, got: " + line.strip());
            }
            out.add(peer(tally, f, n, line));
        }
        if (pendingRemote != null) {
            throw new IllegalArgumentException("ntpq peers: remote " + pendingRemote + " without columns");
        }
        return out;
    }

    /** Parses {@code ntpq -c rv} ({@code name=value} pairs separated by commas, across several lines). */
    public static NtpSystemVars systemVars(String text) {
        Map<String, String> raw = new LinkedHashMap<>();
        Matcher m = VAR.matcher(text);
        while (m.find()) {
            raw.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(2));
        }
        if (raw.isEmpty()) {
            throw new IllegalArgumentException("ntpq rv: no variables in: " + abbreviate(text));
        }
        return new NtpSystemVars(leap(raw.get("leap")), integer(raw.get("stratum")), raw.get("refid"),
                millis(raw.get("offset")), millis(raw.get("sys_jitter")), millis(raw.get("rootdelay")),
                millis(raw.get("rootdisp")), raw);
    }

    /** Maps ntpd's two leap bits onto chrony's leap status words. */
    static String leap(String bits) {
        if (bits == null) {
            return null;
        }
        return switch (bits.strip()) {
            case "00", "0" -> "Normal";
            case "01", "1" -> "Insert second";
            case "10", "2" -> "Delete second";
            case "11", "3" -> ChronyParsers.LEAP_UNSYNCHRONISED;
            default -> null;
        };
    }

    private static Source peer(char tally, List<String> f, int n, String line) {
        try {
            String remote = f.get(0);
            String refid = f.get(1);
            int stratum = Integer.parseInt(f.get(2));
            String type = f.get(3);
            Long when = when(f.get(4));
            int poll = log2(Integer.parseInt(f.get(5)));
            int reach = Integer.parseInt(f.get(6), 8);
            String mode = ".POOL.".equals(refid) ? "pool" : mode(type);
            return new Source(state(tally), tally, mode, remote, refid, stratum, poll, reach, when,
                    time(f.get(8)), null, null, time(f.get(7)), time(f.get(9)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ntpq peers line " + n + ": cannot parse: " + line.strip(), e);
        }
    }

    private static char state(char tally) {
        return switch (tally) {
            case '*', 'o' -> '*';
            case '+' -> '+';
            case '#', '-', '.' -> '-';
            case 'x' -> 'x';
            default -> '?';
        };
    }

    private static String mode(String t) {
        return switch (t) {
            case "u" -> "server";
            case "p" -> "pool";
            case "l" -> "refclock";
            case "s", "S" -> "peer";
            case "b", "B" -> "broadcast";
            case "m", "M" -> "multicast";
            case "a", "A" -> "manycast";
            // NTPsec shows an NTS server's cookie count (0-9) in the t column
            default -> t.length() == 1 && Character.isDigit(t.charAt(0)) ? "server" : "unknown";
        };
    }

    /** "-" (never), "37", "5m", "2h", "3d" to seconds. */
    private static Long when(String s) {
        if (s.equals("-")) {
            return null;
        }
        Matcher m = WHEN.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad 'when': " + s);
        }
        long v = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "m" -> v * 60;
            case "h" -> v * 3600;
            case "d" -> v * 86400;
            default -> v;
        };
    }

    private static int log2(int seconds) {
        if (seconds <= 0) {
            throw new IllegalArgumentException("bad poll: " + seconds);
        }
        return 31 - Integer.numberOfLeadingZeros(seconds);
    }

    /** A time in ntpq's default milliseconds, or with an explicit unit suffix, in seconds. */
    static Double time(String s) {
        if (s == null || s.isEmpty() || s.equals("-")) {
            return null;
        }
        Matcher m = TIME.matcher(s);
        // a long number or exponent (1e999999999) made BigDecimal work for seconds: found by fuzzing
        if (!m.matches() || m.group(1).length() > 40) {
            throw new IllegalArgumentException("bad time: " + abbreviate(s));
        }
        // scale in decimal so that 0.8123 ms becomes exactly the double nearest to 0.0008123 s
        BigDecimal v = new BigDecimal(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2).toLowerCase(Locale.ROOT);
        if (Math.abs(v.scale()) > 400) {
            throw new IllegalArgumentException("bad time: " + abbreviate(s));
        }
        double d = switch (unit) {
            case "ns" -> v.movePointLeft(9).doubleValue();
            case "us", "µs" -> v.movePointLeft(6).doubleValue();
            case "s" -> v.doubleValue();
            default -> v.movePointLeft(3).doubleValue();
        };
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("bad time: " + abbreviate(s));
        }
        return d;
    }

    private static Double millis(String s) {
        try {
            return time(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Integer integer(String s) {
        try {
            return s == null ? null : Integer.valueOf(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean isHeader(String line) {
        String l = line.strip();
        return l.startsWith("remote") && l.contains("refid");
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() <= 80 ? t : t.substring(0, 77) + "...";
    }
}
