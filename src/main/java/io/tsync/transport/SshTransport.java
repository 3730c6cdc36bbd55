package io.tsync.transport;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.SSHAgentConnector;
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

    private SshTransport(Host host, Session session, SshOptions options) {
        this.host = host;
        this.session = session;
        this.options = options;
        this.become = host.become() && !"root".equals(host.user());
    }

    public static SshTransport connect(Host host, KnownHostsRepository knownHosts, SshOptions options) throws IOException {
        JSch jsch = new JSch();
        if (System.getenv("TSYNC_SSH_DEBUG") != null) {
            jsch.setInstanceLogger(new com.jcraft.jsch.Logger() {
                public boolean isEnabled(int level) {
                    return true;
                }

                public void log(int level, String message) {
                    System.err.println("jsch[" + host.name() + "] " + message);
                }
            });
        }
        try {
            if (host.keyFile() != null) {
                byte[] pass = options.keyPassphrase() == null ? null : options.keyPassphrase().getBytes(StandardCharsets.UTF_8);
                jsch.addIdentity(host.keyFile(), pass);
            } else if (System.getenv("SSH_AUTH_SOCK") != null) {
                try {
                    jsch.setIdentityRepository(new AgentIdentityRepository(new SSHAgentConnector()));
                } catch (com.jcraft.jsch.AgentProxyException e) {
                    throw new IOException("SSH_AUTH_SOCK is set but the ssh-agent cannot be reached: " + e.getMessage(), e);
                }
            } else {
                for (String name : new String[] {"id_ed25519", "id_ecdsa", "id_rsa"}) {
                    java.nio.file.Path p = java.nio.file.Path.of(System.getProperty("user.home"), ".ssh", name);
                    if (java.nio.file.Files.isReadable(p)) {
                        jsch.addIdentity(p.toString());
                    }
                }
            }
            jsch.setHostKeyRepository(knownHosts);
            Session s = jsch.getSession(host.user(), host.address(), host.port());
            s.setConfig("StrictHostKeyChecking", "yes");
            s.setConfig("PreferredAuthentications", "publickey");
            s.setConfig("HashKnownHosts", "no");
            s.setServerAliveInterval((int) options.keepAlive().toMillis());
            s.setServerAliveCountMax(3);
            s.connect((int) options.connectTimeout().toMillis());
            return new SshTransport(host, s, options);
        } catch (JSchException e) {
            String refusal = knownHosts.refusal(host.address());
            if (refusal != null) {
                throw new HostKeyException(refusal);
            }
            throw new IOException(describe(e, host), e);
        }
    }

    private static String describe(JSchException e, Host host) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        Throwable c = e.getCause();
        if (c != null && c.getMessage() != null && !m.contains(c.getMessage())) {
            m = m + ": " + c.getMessage();
        }
        if (m.contains("Auth fail") || m.contains("USERAUTH fail")) {
            return "authentication failed for " + host.user() + "@" + host.address() + ":" + host.port()
                    + " (check ansible_user and ansible_ssh_private_key_file)";
        }
        return "cannot connect to " + host.address() + ":" + host.port() + ": " + m;
    }

    /** Verifies that privilege escalation works before any step runs (a wrong password must not eat a payload). */
    public void checkBecome() throws IOException {
        if (!become) {
            return;
        }
        ExecResult r = exec("true", new byte[0], options.commandTimeout());
        if (!r.ok()) {
            throw new IOException("sudo failed for " + host.user() + " on " + host.name() + ": "
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
            while (!ch.isClosed() && ch.isConnected() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            if (!ch.isClosed()) {
                throw new IOException("command timed out after " + timeout.toSeconds() + " s on " + host.name());
            }
            int exit = ch.getExitStatus();
            if (exit < 0) {
                if (!session.isConnected()) {
                    throw new IOException("connection to " + host.name() + " lost during a command");
                }
                throw new IOException("command timed out after " + timeout.toSeconds() + " s on " + host.name());
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
    public void close() {
        watchdog.cancel();
        session.disconnect();
    }
}
