package io.tsync.transport;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A command left running on a host ({@link Transport#start}): its output is read line by line while
 * it runs, its stdin stays open until {@link #close()}. Closing ends it: the command reads end of
 * input and the channel goes, as it does when the connection drops or the controller dies.
 */
public interface RemoteProcess extends AutoCloseable {
    /**
     * The next line the command printed on stdout, waiting at most {@code timeout}; null once its
     * stdout ended (the command exited).
     *
     * @throws InterruptedIOException when nothing came in time
     * @throws IOException            when the connection is gone
     */
    String readLine(Duration timeout) throws IOException;

    /**
     * {@link #readLine(Duration)} that gives up as soon as {@code stop} says so (checked every
     * second), for waits that an interrupted run must not sit out.
     */
    default String readLine(Duration timeout, BooleanSupplier stop, String waitingFor) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (stop.getAsBoolean()) {
                throw new IOException("interrupted while waiting for " + waitingFor);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new InterruptedIOException("no answer within " + timeout.toSeconds() + " s while waiting for " + waitingFor);
            }
            try {
                return readLine(Duration.ofNanos(Math.min(left, Duration.ofSeconds(1).toNanos())));
            } catch (InterruptedIOException e) {
                // nothing yet: look at stop again
            }
        }
    }

    /** Feeds the command's stdin. */
    void write(byte[] bytes) throws IOException;

    /** Its exit status once stdout ended (waiting briefly for it); -1 when it ended without one. */
    int exitStatus();

    /** What it printed on stderr so far. */
    String stderr();

    /** True while the command runs and its connection is up. */
    boolean alive();

    @Override
    void close();
}
