package io.tsync.clock;

import io.tsync.transport.Bounds;
import io.tsync.transport.OutputTooLargeException;
import io.tsync.transport.RemoteProcess;
import io.tsync.transport.Transport;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures a host's clock against the controller's over the connection tsync already holds: one more channel on
 * it runs {@link #command()}, a loop that answers every line it reads with the host's wall time, and the controller
 * times a few such ping-pongs ({@link ClockOffset#best}). bash answers from {@code $EPOCHREALTIME} without a fork;
 * a shell without it runs {@code date +%s.%N}, whose fork only widens the error bound.
 */
public final class ClockProbe {
    /** The ping-pongs per host: the shortest round trip of a few is close to the true one on a quiet link. */
    public static final int SAMPLES = 5;
    /** On a busy link or machine, more ping-pongs, up to this many, until one round trip is {@link #GOOD_ROUND_TRIP}. */
    public static final int MAX_SAMPLES = 20;
    static final long GOOD_ROUND_TRIP = Duration.ofMillis(1).toNanos();
    /** ... but never longer than this in all. */
    static final long SAMPLING_BUDGET = Duration.ofMillis(250).toNanos();
    /** First line of the loop's output, then the method: {@code epochrealtime} or {@code date}. */
    static final String READY = "@clock ";

    private ClockProbe() {}

    /** Fixed content, nothing interpolated; ends when its stdin does. */
    public static String command() {
        String dateLoop = "echo '" + READY + "date'; while read -r l; do date +%s.%N; done";
        return String.join("\n",
                "export LC_ALL=C",
                "if command -v bash >/dev/null 2>&1; then exec bash --noprofile --norc -c 'if [ -n \"${EPOCHREALTIME:-}\" ]; then"
                        + " echo \"" + READY + "epochrealtime\"; while read -r l; do echo \"$EPOCHREALTIME\"; done; else "
                        + dateLoop.replace("'", "\"") + "; fi'; fi",
                dateLoop,
                "");
    }

    /**
     * A host's answer {@code SECONDS.FRACTION} (at most 9 fraction digits, as {@code $EPOCHREALTIME} and
     * {@code date +%s.%N} print it) as Unix nanoseconds.
     *
     * @throws IllegalArgumentException for anything else, e.g. a {@code date} without {@code %N}
     */
    public static long parseNanos(String answer) {
        String s = answer.strip();
        if (!s.matches("\\d{1,12}(\\.\\d{1,9})?")) {
            throw new IllegalArgumentException("not a time in seconds: '" + s + "'");
        }
        int dot = s.indexOf('.');
        long whole = Long.parseLong(dot < 0 ? s : s.substring(0, dot));
        String frac = dot < 0 ? "" : s.substring(dot + 1);
        long nanos = frac.isEmpty() ? 0 : Long.parseLong((frac + "000000000").substring(0, 9));
        return Math.addExact(Math.multiplyExact(whole, 1_000_000_000L), nanos);
    }

    /**
     * The host's clock against the controller's, from {@link #SAMPLES} ping-pongs on {@code t}, more while none had a
     * round trip of {@link #GOOD_ROUND_TRIP} (a busy machine delays some answers by milliseconds).
     *
     * @throws IOException when the host does not answer within {@code timeout} or answers something else
     */
    public static ClockOffset measure(Transport t, Duration timeout) throws IOException {
        try (RemoteProcess p = t.start(command())) {
            String ready = p.readLine(timeout);
            if (ready == null || !ready.startsWith(READY)) {
                throw new IOException("clock probe did not start: " + (ready == null ? p.stderr().strip() : ready));
            }
            return sample(p, timeout);
        }
    }

    /**
     * {@code script} (its stdin from /dev/null) and then the clock loop, in one remote command: one channel per host
     * for a probe and the clock, as for the probe alone. Read it with {@link #probeOutput}, then {@link #sample}.
     */
    public static String after(String script) {
        return "{\n" + script + "\n} </dev/null\n" + command();
    }

    /**
     * What the script given to {@link #after} printed: every line before the clock loop's first, within
     * {@code timeout} in all. Null lines end it too (the command ended: no clock loop). Bounded as any command's stdout ({@link Bounds#STDOUT}): a host that floods the probes fails
     * alone, naming the bound, instead of filling the controller's memory (HostileIT).
     */
    public static String probeOutput(String host, RemoteProcess p, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        StringBuilder out = new StringBuilder();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IOException("command timed out after " + timeout.toSeconds() + " s");
            }
            String line = p.readLine(Duration.ofNanos(left));
            if (line == null || line.startsWith(READY)) {
                return out.toString();
            }
            out.append(line).append('\n');
            if (out.length() > Bounds.STDOUT) {
                throw OutputTooLargeException.of(host, "on stdout", Bounds.STDOUT);
            }
        }
    }

    /** The ping-pongs, on a process whose clock loop has printed its first line. */
    public static ClockOffset sample(RemoteProcess p, Duration timeout) throws IOException {
        // wall time from one reading of the wall clock plus the monotonic clock: Instant.now() has microseconds
        Instant wall = Instant.now();
        long mono = System.nanoTime();
        long base = Math.addExact(Math.multiplyExact(wall.getEpochSecond(), 1_000_000_000L), wall.getNano()) - mono;
        List<ClockSample> samples = new ArrayList<>();
        byte[] ping = {'\n'};
        long best = Long.MAX_VALUE;
        long start = System.nanoTime();
        for (int i = 0; i < MAX_SAMPLES; i++) {
            if (i >= SAMPLES && (best <= GOOD_ROUND_TRIP || System.nanoTime() - start > SAMPLING_BUDGET)) {
                break;
            }
            long sent = System.nanoTime();
            p.write(ping);
            String answer = p.readLine(timeout);
            long received = System.nanoTime();
            if (answer == null) {
                throw new IOException("clock probe ended: " + p.stderr().strip());
            }
            try {
                samples.add(new ClockSample(base + sent, base + received, parseNanos(answer)));
                best = Math.min(best, received - sent);
            } catch (IllegalArgumentException e) {
                throw new IOException("clock probe: " + e.getMessage(), e);
            }
        }
        return ClockOffset.best(samples);
    }
}
