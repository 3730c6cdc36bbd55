package io.tsync.status;

import io.tsync.clock.ClockOffset;
import io.tsync.model.Daemon;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The time-sync status of one host: one row of {@code tsync status}.
 *
 * <p>Every component but {@code host}, {@code sourceStateCounts}, {@code sources}, {@code verdict} and
 * {@code detail} may be {@code null} when unknown. Offsets are in seconds.
 *
 * @param host inventory name of the host
 * @param localTime the host's local wall-clock time with its UTC offset, when probed
 * @param timezone IANA zone name, e.g. {@code Europe/Berlin}
 * @param daemon the daemon found, {@code null} when neither chrony nor ntpd is installed
 * @param active whether its systemd unit is active ({@code null} without systemd)
 * @param enabled whether its systemd unit is enabled ({@code null} without systemd)
 * @param selectedSource address of the selected ({@code *}) source, or {@code LOCAL} in local mode
 * @param stratum this host's stratum
 * @param lastOffsetSeconds last measured offset of the system clock
 * @param rmsOffsetSeconds long-term RMS offset (ntpd: {@code sys_jitter})
 * @param reach reach register (0..255) of the selected source
 * @param leap {@code Normal}, {@code Insert second}, {@code Delete second} or {@code Not synchronised}
 * @param sourceStateCounts number of sources per state, keys exactly {@link #STATES} in that order
 * @param sources all sources, as listed by the daemon
 * @param verdict overall verdict
 * @param detail short human explanation of the verdict
 * @param measured the host's clock as tsync measured it ({@link io.tsync.clock.ClockProbe}), null when not measured
 */
public record HostStatus(String host, OffsetDateTime localTime, String timezone, Daemon daemon, Boolean active,
        Boolean enabled, String selectedSource, Integer stratum, Double lastOffsetSeconds, Double rmsOffsetSeconds,
        Integer reach, String leap, Map<Character, Integer> sourceStateCounts, List<Source> sources, Verdict verdict,
        String detail, ClockOffset measured) {

    /** The source states, in display order. */
    public static final List<Character> STATES = List.of('*', '+', '-', '?', 'x', '~');

    public HostStatus {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(verdict, "verdict");
        sources = sources == null ? List.of() : List.copyOf(sources);
        Map<Character, Integer> counts = new LinkedHashMap<>();
        for (Character s : STATES) {
            Integer n = sourceStateCounts == null ? null : sourceStateCounts.get(s);
            counts.put(s, n == null ? 0 : n);
        }
        if (sourceStateCounts != null && !STATES.containsAll(sourceStateCounts.keySet())) {
            throw new IllegalArgumentException("unknown source state in " + sourceStateCounts.keySet());
        }
        sourceStateCounts = Collections.unmodifiableMap(counts);
        detail = detail == null ? "" : detail;
    }

    /** A status whose clock was not measured (yet). */
    public HostStatus(String host, OffsetDateTime localTime, String timezone, Daemon daemon, Boolean active,
            Boolean enabled, String selectedSource, Integer stratum, Double lastOffsetSeconds, Double rmsOffsetSeconds,
            Integer reach, String leap, Map<Character, Integer> sourceStateCounts, List<Source> sources, Verdict verdict,
            String detail) {
        this(host, localTime, timezone, daemon, active, enabled, selectedSource, stratum, lastOffsetSeconds, rmsOffsetSeconds,
                reach, leap, sourceStateCounts, sources, verdict, detail, null);
    }

    /** This status with a measured clock, and the verdict and detail that go with it. */
    public HostStatus withClock(ClockOffset clock, Verdict newVerdict, String newDetail) {
        return new HostStatus(host, localTime, timezone, daemon, active, enabled, selectedSource, stratum, lastOffsetSeconds,
                rmsOffsetSeconds, reach, leap, sourceStateCounts, sources, newVerdict, newDetail, clock);
    }

    /** Counts the sources per state, leaving out ntpd pool placeholders. */
    public static Map<Character, Integer> countStates(List<Source> sources) {
        Map<Character, Integer> counts = new LinkedHashMap<>();
        STATES.forEach(s -> counts.put(s, 0));
        for (Source s : sources) {
            if (!s.poolPlaceholder()) {
                counts.merge(s.state(), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** {@code chrony}, {@code ntpd} or {@code none}. */
    public String daemonKey() {
        return daemon == null ? "none" : daemon.key();
    }
}
