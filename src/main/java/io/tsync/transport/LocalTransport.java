package io.tsync.transport;

import io.tsync.model.Host;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands on the machine tsync itself runs on ({@code --local}, or an inventory host with
 * {@code ansible_connection: local}), with the contract of {@link SshTransport}: {@code /bin/sh -c}
 * with the given stdin, stdout and stderr apart, the command's exit status, an IOException on a
 * timeout; as root directly, else through sudo by the same rule and wrapping ({@link Become}).
 */
public final class LocalTransport implements Transport {
    /** The directories an SSH session of root has on its PATH; a cron job's PATH lacks the sbin ones (chronyd, systemctl on some systems). */
    static final List<String> SYSTEM_PATH = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

    private final String name;
    private final boolean become;
    private final String becomePassword;
    private final Map<String, String> env;

    /** @param env variables set for every command (tests put a stub sudo first on PATH this way) */
    LocalTransport(String name, boolean become, String becomePassword, Map<String, String> env) {
        this.name = name;
        this.become = become;
        this.becomePassword = becomePassword;
        this.env = Map.copyOf(env);
    }

    /**
     * The transport to this machine for {@code host}: through sudo when {@code ansible_become} says so
     * or, by default, when tsync does not run as root. Checks that sudo works before anything runs,
     * as {@link SshConnector#open} does.
     */
    public static LocalTransport open(Host host, SshOptions options) throws IOException {
        boolean become = host.vars().containsKey("ansible_become") ? host.become() : Host.becomeByDefault(currentUser());
        LocalTransport t = new LocalTransport(host.name(), become, options.becomePassword(), Map.of());
        t.checkBecome(options.commandTimeout());
        return t;
    }

    /** "root" when this process runs as uid 0 (whatever the account is called), else the user's name. */
    static String currentUser() {
        try {
            if (((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0) {
                return "root";
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // no /proc: fall back on the name the JVM found
        }
        return System.getProperty("user.name", "");
    }

    void checkBecome(Duration timeout) throws IOException {
        if (!become) {
            return;
        }
        ExecResult r = exec("true", new byte[0], timeout);
        if (!r.ok()) {
            throw new IOException(Become.failure(name, becomePassword, r.errorText()));
        }
    }

    @Override
    public ExecResult exec(String command, byte[] stdin, Duration timeout) throws IOException {
        if (!become) {
            return run(command, stdin, timeout);
        }
        Become.Wrapped w = Become.wrap(command, stdin, becomePassword);
        return run(w.command(), w.stdin(), timeout);
    }

    @Override
    public ExecResult execUnprivileged(String command, Duration timeout) throws IOException {
        return run(command, new byte[0], timeout);
    }

    private ExecResult run(String command, byte[] stdin, Duration timeout) throws IOException {
        // in / like a fresh session: where tsync was started must not matter, nor be held open
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command).directory(new File("/"));
        pb.environment().put("PATH", path(pb.environment().get("PATH")));
        pb.environment().putAll(env);
        long deadline = System.nanoTime() + timeout.toNanos();
        Process p = pb.start();
        Drain out = new Drain(p.getInputStream(), Bounds.STDOUT, p);
        Drain err = new Drain(p.getErrorStream(), Bounds.STDERR, p);
        // fed on its own thread: a command may write more than a pipe holds before it reads its stdin
        Thread feed = new Thread(() -> {
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin);
            } catch (IOException e) {
                // the command exited without reading all of its stdin, as it may
            }
        }, "tsync-local-stdin");
        feed.setDaemon(true);
        feed.start();
        try {
            // done when the command has exited and closed its output. A daemon it started may keep a pipe open: as over SSH,
            // that waits until the timeout, unless the command ended before a drain began to read (the JDK's process reaper
            // then reads what is in the pipe and closes it: ProcessPipeInputStream.processExited)
            boolean done = p.waitFor(left(deadline), TimeUnit.NANOSECONDS) && out.await(deadline) && err.await(deadline);
            if (!done) {
                kill(p);
                throw new IOException("command timed out after " + timeout.toSeconds() + " s on " + name);
            }
            out.check(name, "on stdout");
            err.check(name, "on stderr");
            return new ExecResult(p.exitValue(), out.text(), err.text());
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /**
     * SIGTERM to the command, then to what it started (sudo passes it on to its child), SIGKILL to
     * what is left after 2 s. The shell first: a child killed first would let it run its next command.
     */
    private static void kill(Process p) {
        List<ProcessHandle> tree = p.descendants().toList();
        p.destroy();
        tree.forEach(ProcessHandle::destroy);
        try {
            p.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private static long left(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    /**
     * A local command left running (the run lock's holder, a package-lock wait): its stdout read line
     * by line, its stdin open until {@link RemoteProcess#close()}, which ends it as a dropped SSH
     * channel would.
     */
    @Override
    public RemoteProcess start(String command) throws IOException {
        String cmd = command;
        byte[] stdin = new byte[0];
        if (become) {
            Become.Wrapped w = Become.wrap(command, stdin, becomePassword);
            cmd = w.command();
            stdin = w.stdin();
        }
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", cmd).directory(new File("/"));
        pb.environment().put("PATH", path(pb.environment().get("PATH")));
        pb.environment().putAll(env);
        Process p = pb.start();
        LocalProcess lp = new LocalProcess(p);
        if (stdin.length > 0) {
            lp.write(stdin);
        }
        return lp;
    }

    private final class LocalProcess implements RemoteProcess {
        private final Process process;
        private final OutputLines lines;
        private final Drain err;

        LocalProcess(Process p) {
            this.process = p;
            this.err = new Drain(p.getErrorStream(), Bounds.STDERR, p);
            this.lines = new OutputLines(p.getInputStream(), "tsync-local-" + name, name, () -> kill(p));
        }

        @Override
        public String readLine(Duration timeout) throws IOException {
            return lines.next(timeout, waited -> new InterruptedIOException("no output from a command on " + name + " within " + waited.toMillis() + " ms"));
        }

        @Override
        public void write(byte[] bytes) throws IOException {
            OutputStream in = process.getOutputStream();
            in.write(bytes);
            in.flush();
        }

        @Override
        public int exitStatus() {
            try {
                return process.waitFor(2, TimeUnit.SECONDS) ? process.exitValue() : -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        @Override
        public String stderr() {
            return err.text();
        }

        @Override
        public boolean alive() {
            return process.isAlive();
        }

        @Override
        public void close() {
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                // already gone
            }
            try {
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    kill(process);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill(process);
            }
        }
    }

    /** The caller's PATH, then whichever system directories it lacks. */
    static String path(String inherited) {
        Set<String> dirs = new LinkedHashSet<>();
        if (inherited != null) {
            for (String d : inherited.split(":")) {
                if (!d.isEmpty()) {
                    dirs.add(d);
                }
            }
        }
        dirs.addAll(SYSTEM_PATH);
        return String.join(":", dirs);
    }

    /** Reads one of the command's output streams to its end, or past {@code limit} (then kills it), on a thread of its own. */
    private static final class Drain {
        private final Thread thread;
        private final int limit;
        private volatile byte[] bytes = new byte[0];
        private volatile boolean overflowed;

        Drain(InputStream in, int limit, Process p) {
            this.limit = limit;
            thread = new Thread(() -> {
                try (in) {
                    bytes = BoundedOutput.readAll(in, limit, "", "");
                } catch (OutputTooLargeException e) {
                    overflowed = true;
                    kill(p);
                } catch (IOException e) {
                    // the process was killed
                }
            }, "tsync-local-output");
            thread.setDaemon(true);
            thread.start();
        }

        boolean await(long deadline) throws InterruptedException {
            thread.join(Math.max(1, left(deadline) / 1_000_000));
            return !thread.isAlive();
        }

        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        void check(String host, String what) throws OutputTooLargeException {
            if (overflowed) {
                throw OutputTooLargeException.of(host, what, limit);
            }
        }
    }

    @Override
    public void close() {
        // no connection to close
    }
}
