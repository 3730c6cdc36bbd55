package io.tsync.exec;

import io.tsync.platform.Platform;
import io.tsync.transport.RemoteProcess;
import io.tsync.transport.Shell;
import io.tsync.transport.Transport;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Waiting, bounded, for a package manager's lock ({@link Platform.Lock}: dpkg's, yum's, dnf's),
 * naming who holds it: the shell loop that waits and the parser of what it prints, side by side.
 *
 * <p>The loop prints {@code @waiting PID FILE NAME} when it finds the lock held (again when the
 * holder changes), and past the bound {@code @timeout PID FILE NAME} and exits 75 (EX_TEMPFAIL).
 * Once the lock is free it sets {@code LOCK_TIMEOUT} to the seconds left, for the install after it.
 */
public final class PackageLockWait {
    private PackageLockWait() {}

    /** The loop's exit status past the bound. */
    static final int TIMED_OUT = 75;

    /** Who holds a lock: the process (its comm, at most 15 characters) and the file it locked. */
    public record Holder(long pid, String process, String file) {
        public String describe() {
            return process + " (pid " + pid + ")";
        }
    }

    /** The wait's outcome: how long it took, or the holder that outlasted the bound. */
    record Result(Duration waited, Holder stillHeld) {}

    /**
     * A shell function {@code tsync_lock_holder} printing "PID FILE" for the first held lock (nothing,
     * status 1, when all are free). fcntl locks are found in /proc/locks by inode, then confirmed by
     * an open descriptor of the holder on that file (an inode number alone can repeat across
     * filesystems); a pid file counts while its process lives. Needs only sh, awk, stat and /proc:
     * minimal images lack fuser and may lack lslocks.
     */
    static String holderFunction(Platform.Lock lock) {
        StringBuilder sb = new StringBuilder("tsync_lock_holder() {\n");
        if (!lock.fcntlLocks().isEmpty()) {
            sb.append("  for f in ").append(String.join(" ", lock.fcntlLocks().stream().map(Shell::quote).toList())).append("; do\n")
                    .append("    i=$(stat -L -c %i \"$f\" 2>/dev/null) || continue\n")
                    .append("    r=$(readlink -f \"$f\")\n")
                    .append("    for p in $(awk -v i=\"$i\" '$2 != \"->\" && $5 > 0 { n = split($6, a, \":\"); if (a[n] == i) print $5 }' /proc/locks 2>/dev/null); do\n")
                    .append("      if ls -l \"/proc/$p/fd\" 2>/dev/null | awk -v r=\"$r\" '$NF == r { found = 1 } END { exit !found }'; then echo \"$p $f\"; return 0; fi\n")
                    .append("    done\n")
                    .append("  done\n");
        }
        if (!lock.pidFiles().isEmpty()) {
            sb.append("  for f in ").append(String.join(" ", lock.pidFiles().stream().map(Shell::quote).toList())).append("; do\n")
                    .append("    p=$(tr -cd 0-9 < \"$f\" 2>/dev/null) || continue\n")
                    .append("    if [ -n \"$p\" ] && [ -d \"/proc/$p\" ]; then echo \"$p $f\"; return 0; fi\n")
                    .append("  done\n");
        }
        return sb.append("  return 1\n}\n").toString();
    }

    /** The wait for {@code lock}, at most {@code bound}; see the class comment for what it prints. */
    static String script(Platform.Lock lock, Duration bound) {
        return holderFunction(lock)
                + "tsync_end=$(( $(date +%s) + " + bound.toSeconds() + " ))\n"
                + "tsync_seen=\n"
                + "while tsync_h=$(tsync_lock_holder); do\n"
                + "  tsync_n=$(cat \"/proc/${tsync_h%% *}/comm\" 2>/dev/null || echo '?')\n"
                + "  if [ \"$(date +%s)\" -ge \"$tsync_end\" ]; then echo \"@timeout $tsync_h $tsync_n\"; exit " + TIMED_OUT + "; fi\n"
                + "  [ \"$tsync_h\" = \"$tsync_seen\" ] || { echo \"@waiting $tsync_h $tsync_n\"; tsync_seen=$tsync_h; }\n"
                + "  sleep 1\n"
                + "done\n"
                + "LOCK_TIMEOUT=$(( tsync_end - $(date +%s) ))\n"
                + "[ \"$LOCK_TIMEOUT\" -gt 0 ] || LOCK_TIMEOUT=0\n";
    }

    private static final Pattern LINE = Pattern.compile("@(waiting|timeout) (\\d+) (\\S+) (.*)");

    /** A {@code @waiting} or {@code @timeout} line of the loop (tag without the @). */
    static Optional<Holder> parse(String line, String tag) {
        Matcher m = LINE.matcher(line.strip());
        if (!m.matches() || !m.group(1).equals(tag)) {
            return Optional.empty();
        }
        return Optional.of(new Holder(Long.parseLong(m.group(2)), m.group(4).strip(), m.group(3)));
    }

    /** The {@code @timeout} line in a command's output, if it has one. */
    static Optional<Holder> timedOut(String output) {
        return output.lines().map(l -> parse(l, "timeout")).flatMap(Optional::stream).findFirst();
    }

    private static final Pattern APT = Pattern.compile("Could not get lock (\\S+?)\\.? It is held by process (\\d+) \\(([^)]*)\\)");

    /**
     * apt's own words when its {@code DPkg::Lock::Timeout} passed, for a lock taken after the loop
     * saw it free: "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 1234 (unattended-upgr)".
     */
    static Optional<Holder> parseApt(String stderr) {
        Matcher m = APT.matcher(stderr);
        return m.find() ? Optional.of(new Holder(Long.parseLong(m.group(2)), m.group(3), m.group(1))) : Optional.empty();
    }

    /**
     * Runs the loop on the host, telling {@code waiting} each holder it waits for as soon as the
     * host reports it; returns once the lock is free or the bound has passed.
     */
    static Result await(Transport t, Platform.Lock lock, Duration bound, Duration commandTimeout, Consumer<Holder> waiting,
                        BooleanSupplier cancelled) throws IOException {
        long started = System.nanoTime();
        try (RemoteProcess p = t.start(script(lock, bound))) {
            Duration max = bound.plus(commandTimeout);
            for (String line; (line = p.readLine(max, cancelled, "the " + lock.name())) != null; ) {
                Optional<Holder> held = parse(line, "timeout");
                if (held.isPresent()) {
                    return new Result(Duration.ofNanos(System.nanoTime() - started), held.get());
                }
                parse(line, "waiting").ifPresent(waiting);
            }
            int exit = p.exitStatus();
            if (exit != 0) {
                throw new IOException("waiting for the " + lock.name() + " failed (exit " + exit + "): " + p.stderr().strip());
            }
        }
        return new Result(Duration.ofNanos(System.nanoTime() - started), null);
    }
}
