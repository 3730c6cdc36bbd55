package io.tsync.transport;

/**
 * How much tsync reads from a host at most, in one table (docs/faults.md, "What a host can send").
 * A broken or compromised host must not exhaust the controller's memory or hold a run forever: past
 * a bound the host fails alone with a message naming the bound. Measured on the lab's Debian 11, 12
 * and 13 hosts, the facts output is 6-7 KiB and the status output under 3 KiB, a config file 1-3 KiB.
 */
public final class Bounds {
    private Bounds() {}

    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;

    /** A command's stdout, read whole (facts, status, a step's output); the transport stops reading and closes the channel past it. */
    public static final int STDOUT = 8 * MIB;
    /** A command's stderr. */
    public static final int STDERR = 1 * MIB;
    /** One line of a command whose output is read as it runs (lock waits, the run lock). */
    public static final int LINE = 64 * KIB;
    /** What such a command may have printed and the controller not yet consumed. */
    public static final int QUEUED = 1 * MIB;
    /** Each config file the facts probe reads: checked on the host before reading, and again on what arrives. */
    public static final int CONFIG_FILE = 256 * KIB;
    /** Each command of the status probe (chronyc, ntpq, timedatectl): cut on the host, and the host marks the cut. */
    public static final int STATUS_COMMAND = 256 * KIB;
    /** The lines of -v's echo of a command's output, and the characters of each. */
    public static final int VERBOSE_LINES = 200;
    public static final int VERBOSE_LINE_CHARS = 1000;

    /** "8 MiB", "64 KiB", "512 B": a size as the messages and docs say it. */
    public static String size(long bytes) {
        if (bytes >= MIB) {
            return bytes % MIB == 0 ? bytes / MIB + " MiB" : String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (double) MIB);
        }
        if (bytes >= KIB) {
            return bytes % KIB == 0 ? bytes / KIB + " KiB" : String.format(java.util.Locale.ROOT, "%.1f KiB", bytes / (double) KIB);
        }
        return bytes + " B";
    }
}
