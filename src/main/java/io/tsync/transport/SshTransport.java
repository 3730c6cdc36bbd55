package io.tsync.transport;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import io.tsync.model.Host;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.TimeUnit;

/**
 * One SSH connection (JSch) per host per run; every exec is a channel on it. When the host's user
 * is not root, commands run through sudo: {@code sudo -n} without a password, or {@code sudo -k -S}
 * with the password written first on stdin (never on a command line).
 */
public final class SshTransport implements Transport {
    private final Host host;
    private final Session session;
    private final SshOptions options;
    private final boolean become;
    private final Timer watchdog = new Timer("tsync-watchdog", true);
    private volatile ConnectTimes connectTimes;

    SshTransport(Host host, Session session, SshOptions options, boolean become) {
        this.host = host;
        this.session = session;
        this.options = options;
        this.become = become;
    }

    void connectTimes(ConnectTimes times) {
        this.connectTimes = times;
    }

    @Override
    public ConnectTimes connectTimes() {
        return connectTimes;
    }

    /** Verifies that privilege escalation works before any step runs (a wrong password must not eat a payload). */
    public void checkBecome() throws IOException {
        if (!become) {
            return;
        }
        ExecResult r = exec("true", new byte[0], options.commandTimeout());
        if (!r.ok()) {
            throw new IOException(Become.failure(host.name(), options.becomePassword(), r.errorText()));
        }
    }

    @Override
    public ExecResult exec(String command, byte[] stdin, Duration timeout) throws IOException {
        Privileged p = privileged(command, stdin);
        return run(p.command(), p.stdin(), timeout);
    }

    /** The command as it runs on the host (through sudo with become) and the stdin that goes first. */
    private record Privileged(String command, byte[] stdin) {}

    private Privileged privileged(String command, byte[] stdin) {
        if (!become) {
            return new Privileged(command, stdin);
        }
        Become.Wrapped w = Become.wrap(command, stdin, options.becomePassword());
        return new Privileged(w.command(), w.stdin());
    }

    @Override
    public RemoteProcess start(String command) throws IOException {
        Privileged p = privileged(command, new byte[0]);
        ChannelExec ch;
        try {
            ch = (ChannelExec) session.openChannel("exec");
        } catch (JSchException e) {
            throw new IOException("connection to " + host.name() + " lost: " + e.getMessage(), e);
        }
        BoundedOutput.Sink err = new BoundedOutput.Sink(Bounds.STDERR, ch::disconnect);
        ch.setCommand(p.command());
        ch.setErrStream(err, true);
        try {
            InputStream out = ch.getInputStream();
            OutputStream in = ch.getOutputStream();
            ch.connect((int) options.connectTimeout().toMillis());
            if (p.stdin().length > 0) {
                in.write(p.stdin());
                in.flush();
            }
            return new SshProcess(ch, out, in, err);
        } catch (JSchException e) {
            ch.disconnect();
            throw new IOException("cannot run a command on " + host.name() + ": " + e.getMessage(), e);
        }
    }

    /** A started command: a reader thread turns its stdout into lines as they arrive. */
    private final class SshProcess implements RemoteProcess {
        private final ChannelExec ch;
        private final OutputStream in;
        private final BoundedOutput.Sink err;
        private final OutputLines lines;

        SshProcess(ChannelExec ch, InputStream out, OutputStream in, BoundedOutput.Sink err) {
            this.ch = ch;
            this.in = in;
            this.err = err;
            this.lines = new OutputLines(out, "tsync-remote-" + host.name(), host.name(), ch::disconnect);
        }

        @Override
        public String readLine(Duration timeout) throws IOException {
            return lines.next(timeout, waited -> session.isConnected()
                    ? new InterruptedIOException("no answer from " + host.name() + " within " + waited.toMillis() + " ms")
                    : new IOException("connection to " + host.name() + " lost (no answer to keep-alives, or the host went down)"));
        }

        @Override
        public void write(byte[] bytes) throws IOException {
            in.write(bytes);
            in.flush();
        }

        @Override
        public int exitStatus() {
            long deadline = System.nanoTime() + options.connectTimeout().toNanos();
            while (ch.getExitStatus() < 0 && !ch.isClosed() && ch.isConnected() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return ch.getExitStatus();
        }

        @Override
        public String stderr() {
            return err.text();
        }

        @Override
        public boolean alive() {
            return !lines.ended() && !ch.isClosed() && ch.isConnected() && session.isConnected();
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                // the channel is going anyway
            }
            ch.disconnect();
        }
    }

    @Override
    public ExecResult execUnprivileged(String command, Duration timeout) throws IOException {
        return run(command, new byte[0], timeout);
    }

    private ExecResult run(String command, byte[] stdin, Duration timeout) throws IOException {
        ChannelExec ch;
        try {
            ch = (ChannelExec) session.openChannel("exec");
        } catch (JSchException e) {
            throw new IOException("connection to " + host.name() + " lost: " + e.getMessage(), e);
        }
        BoundedOutput.Sink err = new BoundedOutput.Sink(Bounds.STDERR, ch::disconnect);
        ch.setCommand(command);
        ch.setErrStream(err, true);
        TimerTask kill = new TimerTask() {
            @Override
            public void run() {
                ch.disconnect();
            }
        };
        try {
            InputStream out = ch.getInputStream();
            OutputStream in = ch.getOutputStream();
            ch.connect((int) options.connectTimeout().toMillis());
            watchdog.schedule(kill, timeout.toMillis());
            if (stdin.length > 0) {
                in.write(stdin);
                in.flush();
            }
            in.close();
            byte[] stdout;
            try {
                stdout = BoundedOutput.readAll(out, Bounds.STDOUT, host.name(), "on stdout");
            } catch (IOException e) {
                if (err.overflowed()) {
                    throw OutputTooLargeException.of(host.name(), "on stderr", Bounds.STDERR);
                }
                throw e;
            }
            if (err.overflowed()) {
                throw OutputTooLargeException.of(host.name(), "on stderr", Bounds.STDERR);
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            // The exit status arrives before the channel closes. Wait for it, not for isClosed():
            // JSch's disconnect() on the server's CLOSE clears "connected" before it sets "closed",
            // so a finished command can briefly look neither connected nor closed.
            while (ch.getExitStatus() < 0 && !ch.isClosed() && ch.isConnected() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            int exit = ch.getExitStatus();
            if (exit < 0 && ch.getExitSignal() == null && System.nanoTime() < deadline) {
                // closed without an exit status: when the connection dropped, JSch closes the channels
                // before it marks the session disconnected; give it a moment to say so
                long grace = System.nanoTime() + 1_000_000_000L;
                while (session.isConnected() && System.nanoTime() < grace) {
                    Thread.sleep(10);
                }
            }
            if (exit < 0) {
                if (!session.isConnected()) {
                    throw new IOException("connection to " + host.name() + " lost during a command (the host went "
                            + "down, its sshd session ended, or it stopped answering keep-alives)");
                }
                if (ch.getExitSignal() != null) {
                    throw new IOException("remote command killed by SIG" + ch.getExitSignal() + " on " + host.name()
                            + "; stderr: " + err.text().strip());
                }
                if (System.nanoTime() >= deadline) {
                    throw new IOException("command timed out after " + timeout.toSeconds() + " s on " + host.name());
                }
                throw new IOException("remote command ended without an exit status on " + host.name()
                        + "; stderr: " + err.text().strip());
            }
            return new ExecResult(exit, new String(stdout, StandardCharsets.UTF_8), err.text());
        } catch (JSchException e) {
            throw new IOException("cannot run a command on " + host.name() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            kill.cancel();
            ch.disconnect();
        }
    }

    @Override
    public boolean alive() {
        return session.isConnected();
    }

    @Override
    public void close() {
        watchdog.cancel();
        session.disconnect();
    }
}
