package io.tsync.load;

import java.time.ZoneId;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The strict grammar every value must pass before it may reach a config file or a remote shell.
 * Anything not matched here is refused: no quoting can then be wrong.
 */
public final class Grammar {
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern HEXGROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");
    private static final Pattern UNIT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9@._-]{0,100}");
    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._/-]{1,200}");
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}");
    private static final Pattern ZONE = Pattern.compile("[A-Za-z0-9_+-]{1,40}(/[A-Za-z0-9_+-]{1,40}){0,3}");
    private static final Pattern PTP = Pattern.compile("/dev/ptp([0-9]{1,3}|_[a-z][a-z0-9_]{0,30})");
    private static final Pattern ENV = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,100}");
    private static final Pattern HEX_KEY = Pattern.compile("(HEX:)?([0-9A-Fa-f]{32,128})");
    private static final Pattern LINE = Pattern.compile("[\\x20-\\x7e\\t]{1,300}");

    private Grammar() {}

    public static boolean isHostname(String s) {
        if (s == null || s.isEmpty() || s.length() > 253) {
            return false;
        }
        String t = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
        if (t.isEmpty()) {
            return false;
        }
        for (String label : t.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        // an all-numeric dotted name must be a valid IPv4 address instead
        return !t.matches("[0-9.]+") || isIpv4(t);
    }

    public static boolean isIpv4(String s) {
        return s != null && IPV4.matcher(s).matches();
    }

    public static boolean isIpv6(String s) {
        if (s == null || s.length() < 2 || s.length() > 45 || !s.contains(":")) {
            return false;
        }
        String body = s;
        int groupsFromV4 = 0;
        int lastColon = s.lastIndexOf(':');
        if (s.indexOf('.') > lastColon) {
            if (!isIpv4(s.substring(lastColon + 1))) {
                return false;
            }
            body = s.substring(0, lastColon + 1) + "0";
            groupsFromV4 = 1;
        }
        int dbl = body.indexOf("::");
        if (dbl >= 0 && body.indexOf("::", dbl + 1) >= 0) {
            return false;
        }
        String[] parts = dbl >= 0
                ? (body.substring(0, dbl) + ":" + body.substring(dbl + 2)).split(":", -1)
                : body.split(":", -1);
        int groups = 0;
        for (String p : parts) {
            if (p.isEmpty()) {
                if (dbl < 0) {
                    return false;
                }
                continue;
            }
            if (!HEXGROUP.matcher(p).matches()) {
                return false;
            }
            groups++;
        }
        groups += groupsFromV4;
        return dbl >= 0 ? groups <= 7 : groups == 8;
    }

    public static boolean isAddress(String s) {
        return isIpv4(s) || isIpv6(s);
    }

    /** A host or address fit for an NTP server line or an SSH target. */
    public static boolean isHostOrAddress(String s) {
        return isHostname(s) || isIpv6(s);
    }

    /** An address or a CIDR network ({@code 10.0.0.0/8}, {@code fd00::/8}) for chrony's allow. */
    public static boolean isNetwork(String s) {
        if (s == null) {
            return false;
        }
        int slash = s.indexOf('/');
        if (slash < 0) {
            return isAddress(s);
        }
        String addr = s.substring(0, slash);
        String bits = s.substring(slash + 1);
        if (!bits.matches("\\d{1,3}")) {
            return false;
        }
        int b = Integer.parseInt(bits);
        return (isIpv4(addr) && b <= 32) || (isIpv6(addr) && b <= 128);
    }

    public static boolean isUnitName(String s) {
        return s != null && UNIT.matcher(s).matches();
    }

    public static boolean isAbsolutePath(String s) {
        return s != null && PATH.matcher(s).matches() && !s.contains("..");
    }

    /** A tz database name for chrony's leapsectz, e.g. right/UTC (no path, no "..", no spaces). */
    public static boolean isZoneName(String s) {
        return s != null && ZONE.matcher(s).matches() && !s.contains("..");
    }

    /** A PTP hardware clock device: /dev/ptpN or a udev link such as /dev/ptp_kvm, /dev/ptp_hyperv, /dev/ptp_ena. */
    public static boolean isPtpDevice(String s) {
        return s != null && PTP.matcher(s).matches();
    }

    public static boolean isEnvName(String s) {
        return s != null && ENV.matcher(s).matches();
    }

    /**
     * Key material: 128 to 512 bits in hex (32 to 128 hex digits, even), optionally prefixed HEX: as in
     * chrony's key file. Random keys only: a hash of the key file may appear in facts, which is safe for
     * random keys and not for passwords.
     */
    public static boolean isHexKey(String s) {
        if (s == null) {
            return false;
        }
        Matcher m = HEX_KEY.matcher(s);
        return m.matches() && m.group(2).length() % 2 == 0;
    }

    /** The hex digits of a key, without a HEX: prefix, upper case. */
    public static String hexDigits(String key) {
        return (key.startsWith("HEX:") ? key.substring(4) : key).toUpperCase(Locale.ROOT);
    }

    /** One line of printable ASCII (an escape-hatch config line): no newline, no control character. */
    public static boolean isConfigLine(String s) {
        return s != null && LINE.matcher(s).matches();
    }

    public static boolean isUserName(String s) {
        return s != null && USER.matcher(s).matches();
    }

    private static final Set<String> ZONES = new TreeSet<>(ZoneId.getAvailableZoneIds());

    /** IANA timezone names known to the JDK's tz database (offline). */
    public static Set<String> timezones() {
        return ZONES;
    }

    public static boolean isTimezone(String s) {
        return s != null && (ZONES.contains(s) || s.equals("UTC"));
    }

    /** No timezone name is longer (the longest has 32 characters): a did-you-mean looks at this much of a value. */
    static final int SUGGEST_LENGTH = 64;

    /**
     * The closest known timezone name, for a did-you-mean. Only the value's first {@link #SUGGEST_LENGTH}
     * characters count: edit distances to some 600 names cost their lengths' product (a fuzzed 1 MiB
     * value took minutes).
     */
    public static String suggestTimezone(String s) {
        String lower = s.substring(0, Math.min(s.length(), SUGGEST_LENGTH)).toLowerCase(Locale.ROOT).replace(' ', '_');
        for (String z : ZONES) {
            if (z.toLowerCase(Locale.ROOT).equals(lower)) {
                return z;
            }
        }
        for (String z : ZONES) {
            if (z.toLowerCase(Locale.ROOT).endsWith("/" + lower)) {
                return z;
            }
        }
        String best = "UTC";
        int bestD = Integer.MAX_VALUE;
        for (String z : ZONES) {
            int d = distance(z.toLowerCase(Locale.ROOT), lower);
            if (d < bestD) {
                bestD = d;
                best = z;
            }
        }
        return best;
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
