package io.tsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.exec.HostJob;
import io.tsync.model.Host;
import io.tsync.transport.ExecResult;
import io.tsync.transport.RemoteProcess;
import io.tsync.transport.Transport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * One `tsync status` poll holds at most --forks connections at once: at 1,000 hosts, keeping every
 * host's connection to the end held 1,000 sockets, reader threads and remote sessions (bench/fanout).
 */
class StatusConnectionsTest {
    /** Counts open transports and the most open at once. */
    static final class Counting {
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger max = new AtomicInteger();
        final AtomicInteger opened = new AtomicInteger();

        Transport open(Host h) {
            opened.incrementAndGet();
            max.accumulateAndGet(open.incrementAndGet(), Math::max);
            return new Transport() {
                boolean closed;

                @Override
                public ExecResult exec(String command, byte[] stdin, Duration timeout) {
                    try {
                        Thread.sleep(2); // let the pool's threads overlap
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return new ExecResult(0, "", "");
                }

                @Override
                public ExecResult execUnprivileged(String command, Duration timeout) {
                    return exec(command, new byte[0], timeout);
                }

                @Override
                public RemoteProcess start(String command) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public synchronized void close() {
                    if (!closed) {
                        closed = true;
                        open.decrementAndGet();
                    }
                }
            };
        }
    }

    static List<HostJob> jobs(int n) {
        List<HostJob> jobs = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            jobs.add(new HostJob(new Host("e" + i, "192.0.2." + i, 22, "root", null, false, Map.of(), List.of()), List.of()));
        }
        return jobs;
    }

    @Test
    void onePollClosesEachConnectionAfterItsRow() throws Exception {
        StatusCommand status = new StatusCommand();
        status.fleet = new FleetOptions();
        status.fleet.forks = 4;
        status.json = true;
        status.format = StatusCommand.Format.json;
        Counting c = new Counting();
        PrintStream out = System.out;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream()));
            status.poll(status.fleet.get(), jobs(60), c::open, null, Instant.now(), null);
        } finally {
            System.setOut(out);
        }
        assertEquals(60, c.opened.get(), "one connection per host");
        assertTrue(c.max.get() <= 4, "at most --forks open at once, was " + c.max.get());
        assertEquals(0, c.open.get(), "none left open");
    }
}
