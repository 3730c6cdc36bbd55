package io.tsync.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tsync.model.Host;
import io.tsync.transport.ExecResult;
import io.tsync.transport.RemoteProcess;
import io.tsync.transport.Transport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Polling over kept connections: reuse, a bounded try on a kept one, a fresh one when it is gone. */
class KeptConnectionsTest {
    static final Host H = new Host("h1", "192.0.2.1", 22, "root", null, false, Map.of(), List.of());
    static final Duration FULL = Duration.ofSeconds(60);
    static final Duration KEPT = Duration.ofSeconds(10);

    /** A connection whose answers the test scripts: "ok", "fail" (an IOException), or "dead" (gone). */
    static final class Conn implements Transport {
        final List<Duration> timeouts = new ArrayList<>();
        String next = "ok";
        boolean closed;

        @Override
        public ExecResult exec(String command, byte[] stdin, Duration timeout) throws IOException {
            timeouts.add(timeout);
            if (next.equals("fail")) {
                throw new IOException("command timed out");
            }
            return new ExecResult(0, "out", "");
        }

        @Override
        public ExecResult execUnprivileged(String command, Duration timeout) throws IOException {
            return exec(command, new byte[0], timeout);
        }

        @Override
        public RemoteProcess start(String command) {
            throw new UnsupportedOperationException("polls run no started commands");
        }

        @Override
        public boolean alive() {
            return !next.equals("dead");
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    final List<Conn> opened = new ArrayList<>();
    final KeptConnections kept = new KeptConnections(h -> {
        Conn c = new Conn();
        opened.add(c);
        return c;
    }, KEPT);

    @Test
    void pollsReuseOneConnectionAndCloseItAtTheEnd() throws IOException {
        for (int i = 0; i < 5; i++) {
            try (Transport t = kept.open(H)) {
                t.exec("probe", new byte[0], FULL);
            }
        }
        assertEquals(1, opened.size());
        assertEquals(List.of(FULL, KEPT, KEPT, KEPT, KEPT), opened.get(0).timeouts, "a fresh connection gets the full timeout, a kept one a bounded try");
        assertEquals(false, opened.get(0).closed);
        kept.close();
        assertEquals(true, opened.get(0).closed);
    }

    @Test
    void aKeptConnectionThatFailsIsReplacedAndTheCommandRunsAgainOnce() throws IOException {
        kept.open(H).exec("probe", new byte[0], FULL);
        opened.get(0).next = "fail";
        assertEquals("out", kept.open(H).exec("probe", new byte[0], FULL).stdout());
        assertEquals(2, opened.size());
        assertEquals(true, opened.get(0).closed);
        assertEquals(List.of(FULL), opened.get(1).timeouts);
    }

    @Test
    void aKeptConnectionKnownToBeGoneIsNotTriedAtAll() throws IOException {
        kept.open(H).exec("probe", new byte[0], FULL);
        opened.get(0).next = "dead";
        kept.open(H).exec("probe", new byte[0], FULL);
        assertEquals(2, opened.size());
        assertEquals(List.of(FULL), opened.get(0).timeouts);
    }

    @Test
    void aFreshConnectionThatFailsIsTheHostsAnswer() throws IOException {
        Transport t = kept.open(H);
        opened.get(0).next = "fail";
        assertThrows(IOException.class, () -> t.exec("probe", new byte[0], FULL));
        assertEquals(1, opened.size(), "no retry on a fresh connection");
    }
}
