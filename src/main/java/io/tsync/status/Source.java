package io.tsync.status;

import java.util.Objects;

/**
 * One time source of a host, as listed by {@code chronyc sources} or {@code ntpq -p}.
 *
 * <p>{@code state} uses chrony's vocabulary for both daemons: {@code *} selected, {@code +} combined, {@code -} not
 * combined, {@code ?} unreachable/unselectable, {@code x} falseticker, {@code ~} too variable (chrony only).
 * {@code tally} is the character the tool printed (for ntpq the tally code, {@code ' '} for reject).
 * Offsets, delays and errors are in seconds; components a tool does not report are {@code null}.
 *
 * @param state normalised state, one of {@link HostStatus#STATES}
 * @param tally raw state/tally character as printed
 * @param mode {@code server}, {@code peer}, {@code refclock}, {@code pool}, {@code broadcast}, {@code multicast},
 *     {@code manycast} or {@code unknown}
 * @param address IP address, pool name or reference clock name
 * @param refid the source's reference ID (ntpq only)
 * @param stratum the source's stratum
 * @param pollLog2 polling interval as a base-2 logarithm of seconds
 * @param reach reachability register, 0..255 (printed in octal by the tools: 377 = 255)
 * @param lastRxSeconds seconds since the last sample, {@code null} if never
 * @param offsetSeconds last (chrony: adjusted) offset of the source
 * @param measuredOffsetSeconds chrony's originally measured offset
 * @param errorSeconds chrony's error bound (the {@code +/-} value)
 * @param delaySeconds round-trip delay (ntpq only)
 * @param jitterSeconds jitter (ntpq only)
 */
public record Source(char state, char tally, String mode, String address, String refid, int stratum, int pollLog2,
        int reach, Long lastRxSeconds, Double offsetSeconds, Double measuredOffsetSeconds, Double errorSeconds,
        Double delaySeconds, Double jitterSeconds) {

    public Source {
        if (HostStatus.STATES.indexOf(state) < 0) {
            throw new IllegalArgumentException("unknown source state '" + state + "'");
        }
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(address, "address");
        if (reach < 0 || reach > 0xff) {
            throw new IllegalArgumentException("reach out of range: " + reach);
        }
    }

    /** Whether the source answered at least once in the last eight polls. */
    public boolean reachable() {
        return reach != 0;
    }

    /**
     * Whether this is an ntpd pool placeholder ({@code .POOL.} refid, type {@code p}): it only spawns real
     * servers and is never a source itself, so it is left out of the state counts.
     */
    public boolean poolPlaceholder() {
        return "pool".equals(mode) || ".POOL.".equals(refid);
    }

    /** The reach register in octal as the tools print it, e.g. {@code "377"}. */
    public String reachOctal() {
        return Integer.toOctalString(reach);
    }
}
