package io.tsync.clock;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A clock's offset as measured: the true offset lies within {@code seconds ± errorSeconds}.
 *
 * @param seconds the clock minus the clock it was measured against (positive: ahead)
 * @param errorSeconds half the round trip of the sample it came from (plus the reference's error, when stated
 *     against a reference)
 * @param against {@code controller} or the NTP server given as {@code --reference}
 */
public record ClockOffset(double seconds, double errorSeconds, String against) {
    public static final String CONTROLLER = "controller";

    public ClockOffset {
        Objects.requireNonNull(against, "against");
        if (errorSeconds < 0 || Double.isNaN(seconds) || Double.isNaN(errorSeconds)) {
            throw new IllegalArgumentException("not a measurement: " + seconds + " ± " + errorSeconds);
        }
    }

    /** The sample with the shortest round trip: the one the network and the scheduler delayed least. */
    public static ClockOffset best(List<ClockSample> samples) {
        ClockSample b = samples.stream().min(Comparator.comparingLong(ClockSample::roundTripNanos))
                .orElseThrow(() -> new IllegalArgumentException("no clock samples"));
        return new ClockOffset(b.offsetNanos() / 1e9, b.roundTripNanos() / 2e9, CONTROLLER);
    }

    /**
     * This offset (against the controller) stated against a reference, given the controller's offset against it:
     * (host - controller) - (reference - controller); the errors add.
     */
    public ClockOffset against(String reference, ClockOffset controllerVsReference) {
        return new ClockOffset(seconds - controllerVsReference.seconds(), errorSeconds + controllerVsReference.errorSeconds(), reference);
    }

    /** True when even the smallest offset the measurement allows exceeds {@code max}; a zero {@code max} never does. */
    public boolean exceeds(Duration max) {
        return !max.isZero() && Math.abs(seconds) - errorSeconds > max.toNanos() / 1e9;
    }
}
