package io.tsync.clock;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The largest minus the smallest measured offset of a fleet: how far apart its clocks are, whatever the controller's
 * own clock says (it cancels out). Its error is the two hosts' errors added.
 */
public record FleetSpread(double seconds, double errorSeconds) {
    /** The spread of the measured offsets ({@code null} entries are hosts not measured); null when none was. */
    public static FleetSpread of(List<ClockOffset> offsets) {
        List<ClockOffset> sorted = offsets.stream().filter(Objects::nonNull).sorted(Comparator.comparingDouble(ClockOffset::seconds)).toList();
        if (sorted.isEmpty()) {
            return null;
        }
        if (sorted.size() == 1) {
            return new FleetSpread(0, 0);
        }
        ClockOffset min = sorted.get(0);
        ClockOffset max = sorted.get(sorted.size() - 1);
        return new FleetSpread(max.seconds() - min.seconds(), max.errorSeconds() + min.errorSeconds());
    }

    /** True when even the smallest spread the measurements allow exceeds {@code max}; a zero {@code max} never does. */
    public boolean exceeds(Duration max) {
        return !max.isZero() && seconds - errorSeconds > max.toNanos() / 1e9;
    }
}
