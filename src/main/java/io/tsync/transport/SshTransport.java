package io.tsync.transport;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import io.tsync.model.Host;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Timer;
import java.util.TimerTask;

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

    SshTransport(Host host, Session session, SshOptions options, boolean become) {
        this.host = host;
        this.session = session;
        this.options = options;
        this.become = become;
    }

    /** Verifies that privilege escalation works before any step runs (a wrong password must not eat a payload). */
    public void checkBecome() throws IOException {
        if (!become) {
            return;
        }
        ExecResult r = exec("true", new byte[0], options.commandTimeout());
        if (!r.ok()) {
            throw new IOException("sudo failed on " + host.name() + ": "
                    + (options.becomePassword() == null ? "a password is required; set TSYNC_BECOME_PASSWORD or use --ask-become-pass"
                    : "the become password was rejected") + " (" + firstLine(r.errorText()) + ")");
        }
    }

    @Override
    public ExecResult exec(String command, byte[] stdin, Duration timeout) throws IOException {
        if (!become) {
            return run(command, stdin, timeout);
        }
        String wrapped;
        byte[] input = stdin;
        if (options.becomePassword() == null) {
            wrapped = "sudo -n -- sh -c " + Shell.quote(command);
        } else {
            wrapped = "sudo -k -S -p '' -- sh -c " + Shell.quote(command);
            byte[] pw = (options.becomePassword() + "\n").getBytes(StandardCharsets.UTF_8);
            input = new byte[pw.length + stdin.length];
            System.arraycopy(pw, 0, input, 0, pw.length);
            System.arraycopy(stdin, 0, input, pw.length, stdin.length);
        }
        return run(wrapped, input, timeout);
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
        ByteArrayOutputStream err = new ByteArrayOutputStream();
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
            byte[] stdout = out.readAllBytes();
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
                            + "; stderr: " + err.toString(StandardCharsets.UTF_8).strip());
                }
                if (System.nanoTime() >= deadline) {
                    throw new IOException("command timed out after " + timeout.toSeconds() + " s on " + host.name());
                }
                throw new IOException("remote command ended without an exit status on " + host.name()
                        + "; stderr: " + err.toString(StandardCharsets.UTF_8).strip());
            }
            return new ExecResult(exit, new String(stdout, StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
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

    private static String firstLine(String s) {
        return s == null ? "" : s.strip().lines().findFirst().orElse("");
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
