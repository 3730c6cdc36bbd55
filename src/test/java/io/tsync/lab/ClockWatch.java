package io.tsync.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A guest's clock watched by the lab while something else (an apply) runs: {@code lab/clock HOST --watch
 * INTERVAL}, one process measuring the guest's raw clock over UDP every INTERVAL, read line by line here.
 * It tells when a clock first became correct, which a poll after the apply returns cannot: chronyd steps a
 * clock seconds after it starts, long before {@code apply --wait} has finished with the other hosts.
 */
final class ClockWatch implements AutoCloseable {
    /**
     * One measurement: this machine's time of it (Unix seconds), the guest's offset and its error, and the
     * guest's time since boot (which boot the reading came from).
     */
    record Reading(double at, double offset, double error, double uptime) {
        boolean within(double bound) {
            return Math.abs(offset) + error < bound;
        }
    }

    private final String host;
    private final Process process;
    private final Thread reader;
    private final List<Reading> readings = new ArrayList<>();
    private final StringBuilder unparsed = new StringBuilder();

    private ClockWatch(String host, Process process) {
        this.host = host;
        this.process = process;
        this.reader = new Thread(this::read, "clock-watch-" + host);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    static ClockWatch start(LabInstance lab, String host, Duration interval) {
        try {
            ProcessBuilder pb = new ProcessBuilder("lab/clock", host, "--watch", String.format("%.3f", interval.toMillis() / 1000.0))
                    .directory(Lab.ROOT.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("TSYNC_LAB", lab.name());
            return new ClockWatch(host, pb.start());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start lab/clock " + host + " --watch: " + e, e);
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.strip().split("\\s+");
                synchronized (this) {
                    if (f.length == 7 && f[1].equals("offset") && f[3].equals("error") && f[5].equals("uptime")) {
                        readings.add(new Reading(Double.parseDouble(f[0]), Double.parseDouble(f[2]), Double.parseDouble(f[4]),
                                Double.parseDouble(f[6])));
                        notifyAll();
                    } else if (unparsed.length() < 4096) {
                        unparsed.append(line).append('\n');
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            synchronized (this) {
                unparsed.append(e).append('\n');
            }
        }
    }

    /** The first reading at or after {@code sinceUnix} within {@code bound}, waiting at most {@code max} from now. */
    synchronized Optional<Reading> firstWithin(double bound, double sinceUnix, Duration max) {
        return first(r -> r.at() >= sinceUnix && r.within(bound), max);
    }

    /** The first reading that {@code wanted} accepts, waiting at most {@code max} from now. */
    synchronized Optional<Reading> first(java.util.function.Predicate<Reading> wanted, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        int seen = 0;
        while (true) {
            for (; seen < readings.size(); seen++) {
                Reading r = readings.get(seen);
                if (wanted.test(r)) {
                    return Optional.of(r);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || !process.isAlive() && seen == readings.size()) {
                return Optional.empty();
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    synchronized List<Reading> readings() {
        return List.copyOf(readings);
    }

    synchronized Optional<Reading> last() {
        return readings.isEmpty() ? Optional.empty() : Optional.of(readings.get(readings.size() - 1));
    }

    synchronized String describe() {
        return host + ": " + readings.size() + " readings, last " + last().map(Reading::toString).orElse("none")
                + (unparsed.isEmpty() ? "" : ", other output: " + unparsed);
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
