package io.tsync.clock;

/**
 * One ping-pong with a host's clock: the controller's wall time (Unix nanoseconds) when the question left and when
 * the answer came back, and the host's wall time in the answer. The host read its clock somewhere in between.
 */
public record ClockSample(long sentNanos, long receivedNanos, long remoteNanos) {
    public ClockSample {
        if (receivedNanos < sentNanos) {
            throw new IllegalArgumentException("answer received before the question was sent");
        }
    }

    public long roundTripNanos() {
        return receivedNanos - sentNanos;
    }

    /** The host's clock minus the controller's at the midpoint of the round trip, in nanoseconds. */
    public long offsetNanos() {
        return remoteNanos - (sentNanos + roundTripNanos() / 2);
    }
}
