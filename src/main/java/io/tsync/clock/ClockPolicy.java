package io.tsync.clock;

import java.time.Duration;
import java.util.Objects;

/**
 * How a run judges measured clocks: the largest offset a host may have ({@code --max-offset}) and the largest
 * spread the fleet may have ({@code --max-spread}), zero for no check; and the NTP server offsets are stated
 * against ({@code --reference}), null to state them against the controller's clock.
 */
public record ClockPolicy(Duration maxOffset, Duration maxSpread, String reference) {
    /** The default of status and apply --wait: 100 ms per host, no spread check, against the controller. */
    public static final Duration DEFAULT_MAX_OFFSET = Duration.ofMillis(100);
    public static final ClockPolicy DEFAULT = new ClockPolicy(DEFAULT_MAX_OFFSET, Duration.ZERO, null);

    public ClockPolicy {
        Objects.requireNonNull(maxOffset, "maxOffset");
        Objects.requireNonNull(maxSpread, "maxSpread");
        if (maxOffset.isNegative() || maxSpread.isNegative()) {
            throw new IllegalArgumentException("a negative bound");
        }
    }

    /**
     * {@code 100ms}, {@code 2s}, {@code 1.5s}, {@code 500us}, {@code 1m}; a bare number is seconds; {@code 0} turns
     * the check off.
     *
     * @throws IllegalArgumentException with the accepted forms
     */
    public static Duration parseBound(String text) {
        String s = text.strip().toLowerCase(java.util.Locale.ROOT);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9}(?:\\.\\d{1,9})?)(us|ms|s|m)?").matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration like 100ms, 2s, 1.5s or 0 (off)");
        }
        java.math.BigDecimal n = new java.math.BigDecimal(m.group(1));
        long perUnit = switch (m.group(2) == null ? "s" : m.group(2)) {
            case "us" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 1_000_000_000L;
        };
        return Duration.ofNanos(n.multiply(java.math.BigDecimal.valueOf(perUnit)).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact());
    }
}
