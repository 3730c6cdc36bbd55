package io.tsync.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reading what a host sends up to a bound ({@link Bounds}): never more than the bound is held. */
public final class BoundedOutput {
    private BoundedOutput() {}

    /**
     * Reads {@code in} to its end, or throws once more than {@code limit} bytes came (having read at
     * most {@code limit + 1}); the caller closes the stream or channel, so nothing more is read.
     */
    public static byte[] readAll(InputStream in, int limit, String host, String what) throws IOException {
        byte[] buf = new byte[Math.min(limit + 1, 8192)];
        int n = 0;
        while (true) {
            if (n == buf.length) {
                if (n > limit) {
                    throw OutputTooLargeException.of(host, what, limit);
                }
                buf = Arrays.copyOf(buf, (int) Math.min((long) limit + 1, 2L * buf.length));
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                return Arrays.copyOf(buf, n);
            }
            n += r;
            if (n > limit) {
                throw OutputTooLargeException.of(host, what, limit);
            }
        }
    }

    /**
     * A stream that keeps the first {@code limit} bytes written to it and drops the rest; the first
     * byte past the bound runs {@code onOverflow} once (the SSH transport disconnects the channel:
     * JSch writes stderr from its session thread, so the bound must act there).
     */
    public static final class Sink extends OutputStream {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final int limit;
        private final Runnable onOverflow;
        private boolean overflowed;

        public Sink(int limit, Runnable onOverflow) {
            this.limit = limit;
            this.onOverflow = onOverflow;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            boolean first;
            synchronized (this) {
                int room = limit - kept.size();
                kept.write(b, off, Math.max(0, Math.min(room, len)));
                first = len > room && !overflowed;
                overflowed |= len > room;
            }
            if (first) {
                onOverflow.run();
            }
        }

        public synchronized boolean overflowed() {
            return overflowed;
        }

        public synchronized String text() {
            return kept.toString(StandardCharsets.UTF_8);
        }
    }
}
