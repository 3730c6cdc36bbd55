package io.tsync.run;

import io.tsync.model.Serial;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a run's hosts into waves as Ansible's {@code serial} does (its {@code _get_serialized_batches}
 * and {@code pct_to_int}): in the order given, a percentage taken of all the run's hosts and truncated
 * (never below 1), the last size repeating. Pure: no I/O.
 */
public final class WavePlanner {
    private WavePlanner() {}

    /** The waves, in order; without {@code serial}, one wave of every host. No host is in two waves, none is left out. */
    public static <T> List<List<T>> split(List<T> hosts, Serial serial) {
        if (hosts.isEmpty()) {
            return List.of();
        }
        if (serial == null) {
            return List.of(List.copyOf(hosts));
        }
        List<List<T>> waves = new ArrayList<>();
        int total = hosts.size();
        int from = 0;
        for (int k = 0; from < total; k++) {
            int n = size(serial.sizes().get(Math.min(k, serial.sizes().size() - 1)), total);
            int to = Math.min(total, from + n);
            waves.add(List.copyOf(hosts.subList(from, to)));
            from = to;
        }
        return List.copyOf(waves);
    }

    /** A size in hosts: a count as given; a percentage of {@code total} truncated as Ansible's int(pct / 100.0 * total), at least 1. */
    static int size(Serial.Size s, int total) {
        if (!s.percent()) {
            return s.value();
        }
        return Math.max(1, (int) (s.value() / 100.0 * total));
    }

    /** Whether {@code failed} of a wave's {@code size} hosts stops the rollout: Ansible's int(max / 100.0 * size) < failed. */
    public static boolean stops(int failed, int size, int maxFailPercentage) {
        return (int) (maxFailPercentage / 100.0 * size) < failed;
    }
}
