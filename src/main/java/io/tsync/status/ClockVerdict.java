package io.tsync.status;

import io.tsync.clock.ClockOffset;
import io.tsync.clock.ClockPolicy;
import io.tsync.clock.FleetSpread;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The verdict on measured clocks, next to the daemon's: a host whose measured offset exceeds {@code --max-offset}
 * even at the edge of its error is {@link Verdict#CLOCK_WRONG}, whatever its daemon claims; the fleet's spread is
 * checked against {@code --max-spread}. Pure: the measurements come in, statuses go out.
 */
public final class ClockVerdict {
    private ClockVerdict() {}

    /**
     * The controller's clock against {@code --reference}: {@code controller} null (and {@code error} set) when the
     * server gave no usable answer.
     */
    public record Reference(String server, ClockOffset controller, String error) {}

    /**
     * {@code s} judged by {@code policy}, its offset stated against {@code reference} when there is one. With a
     * reference that did not answer, the offset stays against the controller and the detail says so.
     */
    public static HostStatus judge(HostStatus s, ClockPolicy policy, Reference reference) {
        ClockOffset m = s.measured();
        if (m == null) {
            return s;
        }
        String detail = s.detail();
        if (reference != null && reference.controller() != null && m.against().equals(ClockOffset.CONTROLLER)) {
            m = m.against(reference.server(), reference.controller());
        }
        if (m.exceeds(policy.maxOffset())) {
            String why = "measured offset " + text(m) + " exceeds --max-offset " + bound(policy.maxOffset())
                    + (s.verdict() == Verdict.CLOCK_WRONG ? "" : " (daemon: " + s.verdict().label() + ")");
            return s.withClock(m, Verdict.CLOCK_WRONG, detail.isEmpty() ? why : why + "; " + detail);
        }
        return s.withClock(m, s.verdict(), detail);
    }

    /** The spread of these hosts' measured clocks; null when none was measured. */
    public static FleetSpread spread(List<HostStatus> hosts) {
        return FleetSpread.of(hosts.stream().map(HostStatus::measured).filter(Objects::nonNull).toList());
    }

    /** One line for under the table: the spread and, when it is too large, that it is. */
    public static String spreadLine(FleetSpread spread, ClockPolicy policy) {
        if (spread == null) {
            return "fleet spread: - (no clock measured)";
        }
        String line = "fleet spread: " + StatusTable.rms(spread.seconds()) + " ± " + StatusTable.rms(spread.errorSeconds());
        return spread.exceeds(policy.maxSpread()) ? line + ", exceeds --max-spread " + bound(policy.maxSpread()) : line;
    }

    /** {@code +1.234ms ± 0.5ms} (against the controller) or with {@code vs SERVER}. */
    public static String text(ClockOffset m) {
        if (m == null) {
            return "-";
        }
        String t = StatusTable.offset(m.seconds()) + "±" + StatusTable.rms(m.errorSeconds());
        return m.against().equals(ClockOffset.CONTROLLER) ? t : t + " vs " + m.against();
    }

    private static String bound(Duration d) {
        return StatusTable.rms(d.toNanos() / 1e9);
    }
}
