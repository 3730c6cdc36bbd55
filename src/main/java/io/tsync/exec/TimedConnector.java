package io.tsync.exec;

import io.tsync.model.Host;
import io.tsync.report.Timings;
import io.tsync.transport.ConnectTimes;
import io.tsync.transport.ExecResult;
import io.tsync.transport.RemoteProcess;
import io.tsync.transport.Transport;
import java.io.IOException;
import java.time.Duration;

/**
 * For commands that run one probe per host (status, facts): the time each host spends connecting,
 * then in {@code work} until its transport is closed.
 */
public final class TimedConnector implements Executor.Connector {
    private final Executor.Connector connector;
    private final Timings timings;
    private final Timings.Phase work;

    public TimedConnector(Executor.Connector connector, Timings timings, Timings.Phase work) {
        this.connector = connector;
        this.timings = timings;
        this.work = work;
    }

    @Override
    public Transport open(Host host) throws IOException {
        Timings.HostClock clock = timings.host(host.name());
        clock.enter(Timings.Phase.CONNECT);
        Transport t;
        try {
            t = connector.open(host);
        } catch (IOException | RuntimeException e) {
            clock.leave();
            throw e;
        }
        if (t.connectTimes() != null) {
            clock.connected(t.connectTimes());
        }
        clock.enter(work);
        return new Transport() {
            @Override
            public ExecResult exec(String command, byte[] stdin, Duration timeout) throws IOException {
                return t.exec(command, stdin, timeout);
            }

            @Override
            public ExecResult execUnprivileged(String command, Duration timeout) throws IOException {
                return t.execUnprivileged(command, timeout);
            }

            @Override
            public RemoteProcess start(String command) throws IOException {
                return t.start(command);
            }

            @Override
            public boolean alive() {
                return t.alive();
            }

            @Override
            public ConnectTimes connectTimes() {
                return t.connectTimes();
            }

            @Override
            public void close() {
                t.close();
                clock.leave();
            }
        };
    }
}
