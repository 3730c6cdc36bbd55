package io.tsync.exec;

import io.tsync.model.Host;
import io.tsync.transport.ConnectTimes;
import io.tsync.transport.ExecResult;
import io.tsync.transport.RemoteProcess;
import io.tsync.transport.Transport;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A connector that keeps each host's SSH connection open for later use: from one poll to the next
 * ({@code status --watch}, {@code --wait-synced}) instead of a new login every two seconds, and
 * from {@code apply} to the polls of {@code apply --wait}. The first use of a connection (apply's
 * steps) runs as on any connection: full timeouts, no retry. Later uses must be read-only polls:
 * on a kept connection a command gets at most
 * {@code keptTimeout} (a connect timeout's worth); if it fails or is that slow, the connection is
 * dropped and the command runs once more on a fresh connection with the full timeout, which is
 * safe because polled commands change nothing. So a host that went away mid-watch is reported
 * within about two connect timeouts, not after the command timeout or three missed keep-alives.
 */
public final class KeptConnections implements Executor.Connector, AutoCloseable {
    private final Executor.Connector connector;
    private final Duration keptTimeout;
    private final Map<String, Transport> open = new ConcurrentHashMap<>();

    public KeptConnections(Executor.Connector connector, Duration keptTimeout) {
        this.connector = connector;
        this.keptTimeout = keptTimeout;
    }

    @Override
    public Transport open(Host host) throws IOException {
        Transport kept = open.get(host.name());
        if (kept != null && !kept.alive()) {
            drop(host, kept);
            kept = null;
        }
        Transport reused = kept;
        Transport fresh = reused == null ? connect(host) : null;
        return new Transport() {
            @Override
            public ExecResult exec(String command, byte[] stdin, Duration timeout) throws IOException {
                if (fresh != null) {
                    return fresh.exec(command, stdin, timeout);
                }
                try {
                    return reused.exec(command, stdin, timeout.compareTo(keptTimeout) < 0 ? timeout : keptTimeout);
                } catch (IOException e) {
                    drop(host, reused);
                    return connect(host).exec(command, stdin, timeout);
                }
            }

            @Override
            public ExecResult execUnprivileged(String command, Duration timeout) throws IOException {
                if (fresh != null) {
                    return fresh.execUnprivileged(command, timeout);
                }
                try {
                    return reused.execUnprivileged(command, timeout.compareTo(keptTimeout) < 0 ? timeout : keptTimeout);
                } catch (IOException e) {
                    drop(host, reused);
                    return connect(host).execUnprivileged(command, timeout);
                }
            }

            @Override
            public ConnectTimes connectTimes() {
                // the login's parts belong to the use that logged in
                return fresh != null ? fresh.connectTimes() : null;
            }

            @Override
            public RemoteProcess start(String command) throws IOException {
                // not a poll: it runs once, on whichever connection this host has
                return (fresh != null ? fresh : reused).start(command);
            }

            @Override
            public void close() {
                // kept for the next poll; KeptConnections.close() closes it
            }
        };
    }

    private Transport connect(Host host) throws IOException {
        Transport t = connector.open(host);
        Transport previous = open.put(host.name(), t);
        if (previous != null && previous != t) {
            previous.close();
        }
        return t;
    }

    private void drop(Host host, Transport t) {
        open.remove(host.name(), t);
        t.close();
    }

    @Override
    public void close() {
        open.values().forEach(Transport::close);
        open.clear();
    }
}
