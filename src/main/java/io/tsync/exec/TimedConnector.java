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
 * then in {@code work} until its transport is closed, and how much of it the probe ran on the host
 * when it says so ({@link RemoteElapsed}, labelled as the phase).
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
                return timed(t.exec(command, stdin, timeout));
            }

            @Override
            public ExecResult execUnprivileged(String command, Duration timeout) throws IOException {
                return timed(t.execUnprivileged(command, timeout));
            }

            private ExecResult timed(ExecResult r) {
                RemoteElapsed.nanos(r.stdout(), work.label).ifPresent(n -> clock.remote(work, n));
                return r;
            }

            @Override
            public RemoteProcess start(String command) throws IOException {
                RemoteProcess p = t.start(command);
                String marker = RemoteElapsed.MARKER + work.label + " ";
                return new RemoteProcess() {
                    @Override
                    public String readLine(Duration timeout) throws IOException {
                        String line = p.readLine(timeout);
                        if (line != null && line.startsWith(marker)) {
                            RemoteElapsed.nanos(line, work.label).ifPresent(n -> clock.remote(work, n));
                        }
                        return line;
                    }

                    @Override
                    public void write(byte[] bytes) throws IOException {
                        p.write(bytes);
                    }

                    @Override
                    public int exitStatus() {
                        return p.exitStatus();
                    }

                    @Override
                    public String stderr() {
                        return p.stderr();
                    }

                    @Override
                    public boolean alive() {
                        return p.alive();
                    }

                    @Override
                    public void close() {
                        p.close();
                    }
                };
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
