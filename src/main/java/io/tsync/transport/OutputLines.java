package io.tsync.transport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The lines of a started command's stdout, read by a thread of their own as they arrive, so that
 * a caller can wait for the next one with a timeout. Shared by the SSH and the local transport.
 */
final class OutputLines {
    /** What a caller throws when no line came in time (the transport knows why that may be). */
    interface Timeout {
        IOException after(Duration waited);
    }

    /** Put after the last line; compared by identity, so no line the command prints can look like it. */
    private static final String END = new String("end of output");
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private volatile boolean ended;

    /** Starts a daemon thread named {@code threadName} that reads {@code out} until it closes. */
    OutputLines(InputStream out, String threadName) {
        Thread reader = new Thread(() -> {
            try (var r = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // closed or killed: end of output
            } finally {
                lines.add(END);
            }
        }, threadName);
        reader.setDaemon(true);
        reader.start();
    }

    /** The next line, or null once the output ended; {@code timeout}'s exception when none came in time. */
    String next(Duration timeout, Timeout onTimeout) throws IOException {
        if (ended) {
            return null;
        }
        String line;
        try {
            line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (line == null) {
            throw onTimeout.after(timeout);
        }
        if (line == END) {
            ended = true;
            return null;
        }
        return line;
    }

    /** Whether the caller has read past the last line. */
    boolean ended() {
        return ended;
    }
}
