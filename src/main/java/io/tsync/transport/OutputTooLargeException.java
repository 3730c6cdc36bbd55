package io.tsync.transport;

import java.io.IOException;

/** A host sent more than a bound of {@link Bounds} allows; the channel was closed and the rest not read. */
public final class OutputTooLargeException extends IOException {
    public OutputTooLargeException(String message) {
        super(message);
    }

    /** "h7: a command printed more than 8 MiB on stdout; tsync reads up to 8 MiB of it: ..." */
    public static OutputTooLargeException of(String host, String what, int limit) {
        return new OutputTooLargeException(host + ": a command printed more than " + Bounds.size(limit) + " " + what
                + "; tsync reads up to " + Bounds.size(limit) + " of it and closed the channel (tsync's own commands print a few KiB:"
                + " look on the host for a shell or tool that prints without end, e.g. a wrapper first on root's PATH)");
    }
}
