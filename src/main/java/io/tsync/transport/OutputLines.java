package io.tsync.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
    /** Put instead of END when the command passed a bound ({@link Bounds#LINE}, {@link Bounds#QUEUED}). */
    private static final String TOO_MUCH = new String("too much output");
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private final String host;
    private volatile String tooMuch;
    private volatile boolean ended;

    /**
     * Starts a daemon thread named {@code threadName} that reads {@code out} until it closes, or until
     * a line longer than {@link Bounds#LINE} or more than {@link Bounds#QUEUED} unread: then it runs
     * {@code stop} (which ends the command) and the next read throws.
     */
    OutputLines(InputStream out, String threadName, String host, Runnable stop) {
        this.host = host;
        Thread reader = new Thread(() -> {
            String last = END;
            try (out) {
                last = read(out, Bounds.LINE, Bounds.QUEUED);
            } catch (IOException e) {
                // closed or killed: end of output
            } finally {
                if (last == TOO_MUCH) {
                    stop.run();
                }
                lines.add(last);
            }
        }, threadName);
        reader.setDaemon(true);
        reader.start();
    }

    /** Queues the lines of {@code in}; END at its end, TOO_MUCH (having stopped reading) past a bound. */
    private String read(InputStream in, int maxLine, int maxQueued) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) >= 0; ) {
            for (int i = 0; i < n; i++) {
                if (buf[i] != '\n') {
                    line.write(buf[i]);
                    if (line.size() > maxLine) {
                        tooMuch = "a line longer than " + Bounds.size(maxLine);
                        return TOO_MUCH;
                    }
                    continue;
                }
                String s = line.toString(StandardCharsets.UTF_8);
                line.reset();
                if (queued.addAndGet(s.length()) > maxQueued) {
                    tooMuch = "more than " + Bounds.size(maxQueued) + " of lines faster than tsync read them";
                    return TOO_MUCH;
                }
                lines.add(s.endsWith("\r") ? s.substring(0, s.length() - 1) : s);
            }
        }
        if (line.size() > 0) {
            lines.add(line.toString(StandardCharsets.UTF_8));
        }
        return END;
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
        if (line == TOO_MUCH) {
            ended = true;
            // not "left running": the status probe is read as it comes, and a flood can still outrun its reader
            throw new OutputTooLargeException(host + ": a command printed " + tooMuch
                    + "; tsync stopped reading and ended it (its own commands print short lines: look on the host for a"
                    + " shell or tool that prints without end)");
        }
        queued.addAndGet(-line.length());
        return line;
    }

    /** Whether the caller has read past the last line. */
    boolean ended() {
        return ended;
    }
}
