package io.tsync.pull;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program of this machine by its argv (never through a shell), stdin from /dev/null, its
 * stdout and stderr read while it runs so that the timeout holds even when it prints nothing.
 */
final class Processes {
    private Processes() {}

    /** What a program printed and how it ended; exit 124 when it was killed at the timeout. */
    record Ran(int exit, String out, String err) {}

    static Ran run(List<String> argv, Map<String, String> env, Duration timeout) throws PullException {
        String what = String.join(" ", argv);
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return new Ran(124, "", argv.get(0) + " did not end within " + timeout.toSeconds() + " s");
            }
            return new Ran(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new PullException(PullException.Kind.FAILED, "cannot run " + what + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PullException(PullException.Kind.FAILED, "interrupted while running " + what);
        }
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
