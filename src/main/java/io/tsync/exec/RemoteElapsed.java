package io.tsync.exec;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * A probe script that times itself on the host, so that a phase's time divides into the probe's
 * run on the host and the rest (channel, transfer, the controller's side). bash's
 * {@code $EPOCHREALTIME} is read at the script's start and end: no fork, no extra round trip. A
 * shell without it prints the marker with empty times, and the remote time is unknown, not zero.
 */
public final class RemoteElapsed {
    private RemoteElapsed() {}

    /** The marker line: {@code @elapsed LABEL START END}, START and END in seconds (empty when the shell cannot tell). */
    static final String MARKER = "@elapsed ";

    /** {@code script} with the marker line printed after it; {@code label} names the probe (lower-case letters). */
    public static String wrap(String label, String script) {
        if (!label.matches("[a-z]{1,20}")) {
            throw new IllegalArgumentException("probe label: " + label);
        }
        String var = "tsync_t_" + label;
        return var + "=${EPOCHREALTIME-}\n" + script + "\necho \"" + MARKER + label + " $" + var + " ${EPOCHREALTIME-}\"\n";
    }

    /**
     * The probe {@code label}'s remote time in {@code output}: empty when the output has no marker
     * line for it (not a self-timing probe); a present but empty {@link OptionalLong} when its
     * shell could not tell the time (no {@code $EPOCHREALTIME}, or a clock that stepped back).
     */
    public static Optional<OptionalLong> nanos(String output, String label) {
        String key = MARKER + label + " ";
        int at = output.startsWith(key) ? 0 : output.lastIndexOf("\n" + key);
        if (at < 0) {
            return Optional.empty();
        }
        int start = at == 0 ? 0 : at + 1;
        int end = output.indexOf('\n', start);
        String[] f = output.substring(start + key.length(), end < 0 ? output.length() : end).strip().split(" +");
        if (f.length != 2) {
            return Optional.of(OptionalLong.empty());
        }
        try {
            long elapsed = Math.subtractExact(epochNanos(f[1]), epochNanos(f[0]));
            return Optional.of(elapsed >= 0 ? OptionalLong.of(elapsed) : OptionalLong.empty());
        } catch (IllegalArgumentException | ArithmeticException e) {
            return Optional.of(OptionalLong.empty());
        }
    }

    /** {@code SECONDS.MICROS} as bash prints {@code $EPOCHREALTIME}; the radix is the locale's, so a comma too. */
    static long epochNanos(String s) {
        if (!s.matches("\\d{1,12}[.,]\\d{1,9}")) {
            throw new IllegalArgumentException("not a time in seconds: " + s);
        }
        int dot = Math.max(s.indexOf('.'), s.indexOf(','));
        long whole = Long.parseLong(s.substring(0, dot));
        long frac = Long.parseLong((s.substring(dot + 1) + "000000000").substring(0, 9));
        return Math.addExact(Math.multiplyExact(whole, 1_000_000_000L), frac);
    }
}
