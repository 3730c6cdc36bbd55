package io.tsync.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What a host sends is read up to a bound and no further (Bounds). */
class BoundedOutputTest {
    /** Endless output: {@code line} again and again; counts the bytes handed out. */
    static final class Endless extends InputStream {
        final byte[] line;
        long served;

        Endless(String line) {
            this.line = line.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public int read() {
            return line[(int) (served++ % line.length)];
        }

        @Override
        public int read(byte[] b, int off, int len) {
            for (int i = 0; i < len; i++) {
                b[off + i] = (byte) read();
            }
            return len;
        }
    }

    @Test
    void readsAllUpToTheBoundExactly() throws Exception {
        byte[] in = "x".repeat(1000).getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(in, BoundedOutput.readAll(new ByteArrayInputStream(in), 1000, "h1", "on stdout"));
        assertArrayEquals(new byte[0], BoundedOutput.readAll(new ByteArrayInputStream(new byte[0]), 1000, "h1", "on stdout"));
    }

    @Test
    void stopsReadingEndlessOutputJustPastTheBound() {
        Endless in = new Endless("endless chronyc output\n");
        int limit = 3 * 1024 * 1024;
        OutputTooLargeException e = assertThrows(OutputTooLargeException.class, () -> BoundedOutput.readAll(in, limit, "h7", "on stdout"));
        assertTrue(in.served > limit && in.served <= limit + 8192L, "read " + in.served + " bytes");
        assertTrue(e.getMessage().startsWith("h7: a command printed more than 3 MiB on stdout; tsync reads up to 3 MiB of it and closed the channel"),
                e.getMessage());
    }

    @Test
    void sinkKeepsTheFirstBytesAndStopsOnce() {
        AtomicInteger stops = new AtomicInteger();
        BoundedOutput.Sink s = new BoundedOutput.Sink(10, stops::incrementAndGet);
        byte[] b = "0123456789abcdef".getBytes(StandardCharsets.UTF_8);
        s.write(b, 0, 6);
        assertFalse(s.overflowed());
        s.write(b, 6, 10);
        s.write(b, 0, 16);
        assertEquals("0123456789", s.text());
        assertTrue(s.overflowed());
        assertEquals(1, stops.get());
    }

    @Test
    void linesAsTheyCome() throws Exception {
        OutputLines lines = new OutputLines(new ByteArrayInputStream("a\r\nb\n\nlast".getBytes(StandardCharsets.UTF_8)), "t", "h1", () -> {});
        Duration s = Duration.ofSeconds(5);
        OutputLines.Timeout never = w -> new java.io.IOException("timeout");
        assertEquals("a", lines.next(s, never));
        assertEquals("b", lines.next(s, never));
        assertEquals("", lines.next(s, never));
        assertEquals("last", lines.next(s, never));
        assertNull(lines.next(s, never));
    }

    @Test
    void aLineWithoutEndStopsTheCommand() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        Endless in = new Endless("no newline ever ");
        OutputLines lines = new OutputLines(in, "t", "h7", stopped::countDown);
        assertTrue(stopped.await(10, TimeUnit.SECONDS));
        OutputTooLargeException e = assertThrows(OutputTooLargeException.class, () -> lines.next(Duration.ofSeconds(5), w -> new java.io.IOException("timeout")));
        assertTrue(e.getMessage().startsWith("h7: a command printed a line longer than 64 KiB"), e.getMessage());
        assertTrue(in.served <= Bounds.LINE + 8192L, "read " + in.served);
    }

    @Test
    void linesNobodyReadsAreBounded() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        Endless in = new Endless("x".repeat(999) + "\n");
        OutputLines lines = new OutputLines(in, "t", "h7", stopped::countDown);
        assertTrue(stopped.await(10, TimeUnit.SECONDS));
        int read = 0;
        OutputTooLargeException e = null;
        while (e == null) {
            try {
                assertEquals(999, lines.next(Duration.ofSeconds(5), w -> new java.io.IOException("timeout")).length());
                read++;
            } catch (OutputTooLargeException x) {
                e = x;
            }
        }
        assertTrue(read <= Bounds.QUEUED / 999 + 1, read + " lines");
        assertTrue(e.getMessage().contains("h7: a command printed more than 1 MiB of lines faster than tsync read them"), e.getMessage());
    }

    @Test
    void sizesAsPeopleSayThem() {
        assertEquals("300 MiB", Bounds.size(300L * 1024 * 1024));
        assertEquals("256 KiB", Bounds.size(256 * 1024));
        assertEquals("1.5 KiB", Bounds.size(1536));
        assertEquals("12 B", Bounds.size(12));
    }
}
