package io.tsync.exec;

import static io.tsync.transport.Shell.quote;

import io.tsync.transport.RemoteProcess;
import io.tsync.transport.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One tsync run at a time changes a host. The lock is an flock(1) on {@value #DIR}/lock held by a
 * shell that tsync starts on the host and keeps running for the rest of the host's run, on a
 * channel of the run's own connection: when tsync closes it, dies, or loses the connection, the
 * shell reads end of input (or misses {@link #HEARTBEAT heartbeats} for {@link #SILENCE}) and exits,
 * and the kernel drops the lock with it. No lock can outlive its run, so none is ever stale.
 *
 * <p>The holder writes who it is into {@value #DIR}/owner ({@link Owner#file()}); a run that finds
 * the lock taken prints that, waits (bounded) and then either holds the lock or gives up naming it.
 * What the shell prints: {@code @busy}, owner lines, {@code @end} when it has to wait;
 * {@code @locked} once it holds the lock; {@code @timeout}, owner lines, {@code @end} (exit 75)
 * past the bound; {@code @error MESSAGE} when it cannot lock at all.
 */
public final class RunLock {
    private RunLock() {}

    /** Root-owned (not /run/lock, which anyone may write): no other user can take or fake the lock. */
    static final String DIR = "/run/tsync";
    /** How often the controller tells the lock's shell it is still there. */
    static final Duration HEARTBEAT = Duration.ofSeconds(10);
    /** After this much silence the shell takes the controller for gone and lets the lock go. */
    static final Duration SILENCE = Duration.ofSeconds(60);

    private static final ScheduledExecutorService BEATS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tsync-run-lock-heartbeat");
        t.setDaemon(true);
        return t;
    });

    /** Who runs: what the owner file says, so that a waiting run can name the holder to its operator. */
    public record Owner(String controller, String user, long pid, Instant started, String command) {
        /** This process: the controller's host name, the user, the pid, the run's start, and what it runs. */
        public static Owner current(Instant started, String command) {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = System.getenv().getOrDefault("HOSTNAME", "unknown");
            }
            return new Owner(host, System.getProperty("user.name", "unknown"), ProcessHandle.current().pid(),
                    started.truncatedTo(ChronoUnit.SECONDS), command);
        }

        /** The owner file: one {@code key=value} per line. */
        public String file() {
            return "controller=" + clean(controller) + "\nuser=" + clean(user) + "\npid=" + pid + "\nstarted=" + started
                    + "\ncommand=" + clean(command) + "\n";
        }

        /** Reads an owner file; what is missing or unreadable stays null (pid -1). */
        public static Owner parse(String text) {
            Map<String, String> kv = new LinkedHashMap<>();
            for (String line : text.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    kv.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
                }
            }
            long pid;
            try {
                pid = Long.parseLong(kv.getOrDefault("pid", "-1"));
            } catch (NumberFormatException e) {
                pid = -1;
            }
            Instant started;
            try {
                started = kv.containsKey("started") ? Instant.parse(kv.get("started")) : null;
            } catch (DateTimeParseException e) {
                started = null;
            }
            return new Owner(kv.get("controller"), kv.get("user"), pid, started, kv.get("command"));
        }

        /** "root@ctl1 pid 4242 since 2026-12-01T10:00:00Z (apply playbooks/kr.yaml)". */
        public String describe() {
            if (controller == null && user == null && pid < 0) {
                return "another tsync run (its owner file is missing)";
            }
            return (user == null ? "?" : user) + "@" + (controller == null ? "?" : controller) + " pid " + (pid < 0 ? "?" : pid)
                    + (started == null ? "" : " since " + started) + (command == null ? "" : " (" + command + ")");
        }

        private static String clean(String s) {
            return s == null ? "" : s.replaceAll("[\\p{Cntrl}]", " ").strip();
        }
    }

    /** The lock is held by another run and stayed so for the whole wait. */
    public static final class Busy extends Exception {
        private final Owner holder;

        Busy(Owner holder, Duration waited) {
            super("run lock held by " + holder.describe() + (waited.isZero() ? "" : " for more than " + waited.toSeconds() + " s (--lock-timeout)")
                    + ": another tsync run is changing this host; nothing was changed; run again when it has finished");
            this.holder = holder;
        }

        public Owner holder() {
            return holder;
        }
    }

    /** The lock as this run holds it; {@link #close()} lets it go. */
    public static final class Held implements AutoCloseable {
        private final RemoteProcess shell;
        private final ScheduledFuture<?> beat;

        Held(RemoteProcess shell) {
            this.shell = shell;
            long every = HEARTBEAT.toMillis();
            this.beat = BEATS.scheduleAtFixedRate(() -> {
                try {
                    shell.write(".".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // the shell is gone: held() says so before the next step
                }
            }, every, every, TimeUnit.MILLISECONDS);
        }

        /** False once the lock's shell has ended (connection lost, or killed on the host). */
        public boolean held() {
            return shell.alive();
        }

        @Override
        public void close() {
            beat.cancel(false);
            shell.close();
        }
    }

    /** The shell that takes the lock (waiting at most {@code wait}) and holds it until its input ends. */
    static String script(Owner me, Duration wait) {
        return script(DIR, me, wait);
    }

    static String script(String dir, Owner me, Duration wait) {
        String owner = "cat \"$d/owner\" 2>/dev/null; echo; echo @end";
        String giveUp = "{ echo @timeout; " + owner + "; exit 75; }";
        return "d=" + quote(dir) + "\n"
                + "umask 022\n"
                + "mkdir -p \"$d\" || exit 1\n"
                + "command -v flock >/dev/null 2>&1 || { echo '@error flock(1) is not installed (util-linux): tsync needs it for its run lock'; exit 69; }\n"
                + "exec 9>>\"$d/lock\" || exit 1\n"
                + "if ! flock -n 9; then\n"
                + (wait.isZero() ? "  " + giveUp + "\n"
                : "  echo @busy; " + owner + "\n  flock -w " + wait.toSeconds() + " 9 || " + giveUp + "\n")
                + "fi\n"
                + "printf '%s' " + quote(me.file()) + " > \"$d/owner.new\" && mv -f \"$d/owner.new\" \"$d/owner\"\n"
                + "echo @locked\n"
                // hold until the controller closes the channel or falls silent; the reader must not keep the lock's fd
                + "while c=$(exec 9>&-; timeout " + SILENCE.toSeconds() + " head -c 1) && [ -n \"$c\" ]; do :; done\n";
    }

    /**
     * Takes the host's run lock, waiting at most {@code wait} while another run holds it (telling
     * {@code waiting} who that is as soon as the host says so).
     *
     * @throws Busy        the other run kept it past {@code wait}
     * @throws IOException the lock could not be taken at all (no flock, connection lost)
     */
    static Held acquire(Transport t, Owner me, Duration wait, Duration commandTimeout, Consumer<Owner> waiting, BooleanSupplier cancelled)
            throws Busy, IOException {
        RemoteProcess shell = t.start(script(me, wait));
        boolean locked = false;
        try {
            Duration max = wait.plus(commandTimeout);
            for (String line; (line = shell.readLine(max, cancelled, "the run lock")) != null; ) {
                if (line.equals("@locked")) {
                    locked = true;
                    return new Held(shell);
                } else if (line.equals("@busy")) {
                    waiting.accept(Owner.parse(ownerLines(shell, max)));
                } else if (line.equals("@timeout")) {
                    throw new Busy(Owner.parse(ownerLines(shell, max)), wait);
                } else if (line.startsWith("@error ")) {
                    throw new IOException(line.substring(7));
                }
            }
            throw new IOException("taking the run lock failed (exit " + shell.exitStatus() + "): " + shell.stderr().strip());
        } finally {
            if (!locked) {
                shell.close();
            }
        }
    }

    private static String ownerLines(RemoteProcess shell, Duration max) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String line; (line = shell.readLine(max)) != null && !line.equals("@end"); ) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }
}
