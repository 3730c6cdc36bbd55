package io.tsync.pull;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a program of this machine by its argv (never through a shell), stdin from /dev/null, its
 * stdout and stderr read while it runs so that the timeout holds even when it prints nothing.
 */
final class Processes {
    private Processes() {}

    /**
     * What a program printed and how it ended. A program killed at the timeout has {@code timedOut}
     * set (and exit 124, as timeout(1) reports it); a program that exits 124 by itself does not.
     */
    record Ran(int exit, String out, String err, boolean timedOut) {
        /** stdout then stderr, for messages that quote everything the program said. */
        String outAndErr() {
            return out + err;
        }

        /** The same run with {@code hint} appended to its stderr. */
        Ran withHint(String hint) {
            return new Ran(exit, out, err + hint, timedOut);
        }
    }

    static Ran run(List<String> argv, Map<String, String> env, Duration timeout) throws PullException {
        String what = String.join(" ", argv);
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            Process p = pb.start();
            FutureTask<String> out = reader(p.getInputStream(), "stdout of " + argv.get(0));
            FutureTask<String> err = reader(p.getErrorStream(), "stderr of " + argv.get(0));
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);   // git's ssh or remote helper, holding the pipes
                p.destroyForcibly();
                return new Ran(124, "", argv.get(0) + " did not end within " + timeout.toSeconds() + " s", true);
            }
            try {
                // the same deadline: a program it started in the background may hold the pipes after it ended
                return new Ran(p.exitValue(), out.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS),
                        err.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS), false);
            } catch (TimeoutException e) {
                return new Ran(124, "", argv.get(0) + " ended, but a program it started still held its output "
                        + timeout.toSeconds() + " s after the start", true);
            }
        } catch (IOException e) {
            throw new PullException(PullException.Kind.FAILED, "cannot run " + what + ": " + e.getMessage());
        } catch (ExecutionException e) {
            throw new PullException(PullException.Kind.FAILED, "cannot read the output of " + what + ": " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PullException(PullException.Kind.FAILED, "interrupted while running " + what);
        }
    }

    /**
     * Reads {@code in} to its end on a thread of its own: a blocking read must not occupy a shared
     * pool's thread (and a stream a killed program's children still hold open ends with them).
     */
    private static FutureTask<String> reader(InputStream in, String name) {
        FutureTask<String> task = new FutureTask<>(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
        Thread t = new Thread(task, "tsync " + name);
        t.setDaemon(true);
        t.start();
        return task;
    }
}
