package io.tsync.transport;

import com.jcraft.jsch.Proxy;
import com.jcraft.jsch.SocketFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

/**
 * Carries an SSH connection over a ProxyCommand's stdin/stdout, as OpenSSH does: the command runs
 * under {@code /bin/sh -c "exec COMMAND"} (so the process is the command itself and killing it ends
 * it), its stderr goes to tsync's stderr, prefixed with the host, and its last lines are kept for the
 * error when it ends before the SSH connection is up. Closing the session kills and reaps it.
 */
final class CommandProxy implements Proxy {
    private static final int TAIL_LINES = 10;

    private final String label;
    private final String command;
    private final PrintStream diagnostics;
    private final Deque<String> tail = new ArrayDeque<>();
    private Process process;
    private Thread stderrReader;
    private volatile boolean up;
    private volatile boolean timedOut;

    /**
     * @param label the host, as messages name it
     * @param command the expanded command
     * @param diagnostics where the command's stderr goes, line by line (null: kept for errors only)
     */
    CommandProxy(String label, String command, PrintStream diagnostics) {
        this.label = label;
        this.command = command;
        this.diagnostics = diagnostics;
    }

    @Override
    public void connect(SocketFactory socketFactory, String host, int port, int timeout) throws IOException {
        process = new ProcessBuilder("/bin/sh", "-c", "exec " + command).start();
        stderrReader = new Thread(this::readStderr, "proxycommand-stderr " + label);
        stderrReader.setDaemon(true);
        stderrReader.start();
        if (timeout > 0) {
            // jsch reads the server's banner from the pipe without a timeout: a hanging command is killed
            Thread watchdog = new Thread(() -> {
                try {
                    if (!process.waitFor(timeout, TimeUnit.MILLISECONDS) && !up) {
                        timedOut = true;
                        close();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "proxycommand-timeout " + label);
            watchdog.setDaemon(true);
            watchdog.start();
        }
    }

    private void readStderr() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
                if (diagnostics != null) {
                    diagnostics.println(label + ": ProxyCommand: " + line);
                }
            }
        } catch (IOException e) {
            // the command ended or was killed
        }
    }

    /** The SSH connection over the command is up: the connect timeout no longer applies. */
    void connected() {
        up = true;
    }

    /**
     * Why the SSH connection over the command did not come up, when the command is the reason: its
     * exit code (or that it hung past the connect timeout) and the last lines it wrote to stderr;
     * null when it still runs (the SSH server refused: the key, the host key).
     */
    String failure(int timeoutMillis) {
        String what;
        if (timedOut) {
            what = "ProxyCommand gave no SSH connection within " + Math.max(1, timeoutMillis / 1000) + " s (killed)";
        } else if (process != null && waitQuietly(1000)) {
            what = "ProxyCommand exited with code " + process.exitValue() + " before the SSH connection was up";
        } else {
            return null;
        }
        if (stderrReader != null) {
            try {
                stderrReader.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String lines;
        synchronized (tail) {
            lines = String.join("\n    ", tail);
        }
        return label + ": " + what + " (ProxyCommand: " + command + ")" + (lines.isEmpty() ? "; it wrote nothing on stderr" : "; its stderr:\n    " + lines);
    }

    private boolean waitQuietly(long millis) {
        try {
            return process.waitFor(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public InputStream getInputStream() {
        return process.getInputStream();
    }

    @Override
    public OutputStream getOutputStream() {
        return process.getOutputStream();
    }

    @Override
    public Socket getSocket() {
        return null;
    }

    /** Ends the command: stdin closed (ssh -W and most relays exit on it), then SIGTERM, then SIGKILL; reaped. */
    @Override
    public synchronized void close() {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already closed
        }
        if (waitQuietly(500)) {
            return;
        }
        process.destroy();
        if (!waitQuietly(2000)) {
            process.destroyForcibly();
            waitQuietly(2000);
        }
    }

    /** The running command, for tests. */
    Process process() {
        return process;
    }
}
