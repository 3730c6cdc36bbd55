package io.tsync.lab;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The lab (real Debian 12 hosts under systemd-nspawn, see lab/README.md) as seen from JUnit: starts
 * it, resets hosts, runs commands on them and runs the real tsync jar as the controller inside the
 * lab's network namespace.
 */
public final class Lab {
    public static final Path ROOT = Path.of(System.getProperty("user.dir"));
    /** The default lab instance, shared by most lab tests. */
    public static final LabInstance DEFAULT = new LabInstance("lab");
    public static final Path INVENTORY = DEFAULT.inventory();
    public static final Path JAR = ROOT.resolve("target/tsync.jar");

    private Lab() {}

    /** Output of a local process. */
    public record Run(int exit, String out, String err) {
        public String all() {
            return out + err;
        }
    }

    public static Run run(Duration timeout, List<String> cmd, String stdin) {
        return run(timeout, cmd, stdin, java.util.Map.of());
    }

    public static Run run(Duration timeout, List<String> cmd, String stdin, java.util.Map<String, String> env) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile());
            pb.environment().put("NO_COLOR", "1");
            pb.environment().putAll(env);
            Process p = pb.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                fail("timed out after " + timeout + ": " + String.join(" ", cmd));
            }
            return new Run(p.exitValue(), new String(out.get(), StandardCharsets.UTF_8), new String(err.get(), StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException("cannot run " + cmd + ": " + e, e);
        }
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    static Run checked(Duration timeout, String... cmd) {
        return checked(timeout, java.util.Map.of(), cmd);
    }

    static Run checked(Duration timeout, java.util.Map<String, String> env, String... cmd) {
        Run r = run(timeout, List.of(cmd), null, env);
        if (r.exit() != 0) {
            fail(String.join(" ", cmd) + " exited " + r.exit() + "\n" + r.all());
        }
        return r;
    }

    /** Starts the lab with at least n hosts (idempotent) and returns their names. */
    public static List<String> up(int n) {
        return DEFAULT.up(n);
    }

    public static void reset(String... hosts) {
        DEFAULT.reset(hosts);
    }

    public static void stop(String host) {
        DEFAULT.stop(host);
    }

    public static void start(String host) {
        DEFAULT.start(host);
    }

    public static void upstreams(String verb) {
        DEFAULT.upstreams(verb);
    }

    public static Run ssh(String host, String command) {
        return DEFAULT.ssh(host, command);
    }

    public static String sshOk(String host, String command) {
        return DEFAULT.sshOk(host, command);
    }

    public static String timezone(String host) {
        return DEFAULT.timezone(host);
    }

    public static Run tsync(String... args) {
        return DEFAULT.tsync(args);
    }

    public static Run tsyncWithEnv(java.util.Map<String, String> env, String... args) {
        return DEFAULT.tsyncWithEnv(env, args);
    }

    public static Background tsyncInBackground(String... args) throws IOException {
        return DEFAULT.tsyncInBackground(args);
    }

    public static String await(String host, String command, Predicate<String> ok, Duration timeout, String what) {
        return DEFAULT.await(host, command, ok, timeout, what);
    }

    public static int sshLogins(String host) {
        return DEFAULT.sshLogins(host);
    }

    public static String snapshot(String host) {
        return DEFAULT.snapshot(host);
    }

    /** A tsync run in the background whose output lines can be awaited while it runs. */
    public static final class Background implements AutoCloseable {
        /** Never leaves a tsync running into the next test. */
        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }

        public final Process process;
        private final StringBuilder out = new StringBuilder();
        private final Thread reader;

        Background(Process p) {
            this.process = p;
            this.reader = new Thread(() -> {
                try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (out) {
                            out.append(line).append('\n');
                            out.notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // process ended
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        /** Waits until a line matching the predicate was printed, or fails. */
        public void awaitLine(Predicate<String> p, Duration max, String what) throws InterruptedException {
            long deadline = System.nanoTime() + max.toNanos();
            synchronized (out) {
                while (out.toString().lines().noneMatch(p)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || !process.isAlive() && !reader.isAlive()) {
                        fail("tsync never printed " + what + "; output so far:\n" + out);
                    }
                    out.wait(Math.max(1, Math.min(500, left / 1_000_000)));
                }
            }
        }

        public Run finish(Duration max) throws Exception {
            if (!process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                fail("tsync did not end within " + max + "; output:\n" + out);
            }
            reader.join(10_000);
            synchronized (out) {
                return new Run(process.exitValue(), out.toString(), "");
            }
        }
    }

    /** An inventory derived from the lab's, with different connection settings (e.g. another user). */
    public static Path inventoryWith(Path dir, String user) throws IOException {
        String inv = Files.readString(INVENTORY).replace("ansible_user: root", "ansible_user: " + user);
        Path p = dir.resolve("inventory-" + user + ".yaml");
        Files.writeString(p, inv);
        return p;
    }

    /** A command on a pseudo-terminal (script(1) from util-linux): what a person at a terminal sees and types. */
    public static final class Terminal {
        private final Process process;
        private final java.io.ByteArrayOutputStream screen = new java.io.ByteArrayOutputStream();
        private final Thread reader;

        private Terminal(Process p) {
            this.process = p;
            this.reader = new Thread(() -> {
                byte[] buf = new byte[4096];
                try (var in = p.getInputStream()) {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        synchronized (screen) {
                            screen.write(buf, 0, n);
                            screen.notifyAll();
                        }
                    }
                } catch (java.io.IOException e) {
                    // ended
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        /** Runs {@code command} (no ssh-agent) in the lab namespace on a terminal; {@code env} adds variables (default NO_COLOR=1, TERM=dumb). */
        public static Terminal start(Path dir, java.util.Map<String, String> env, List<String> command) throws java.io.IOException {
            String line = "env -u SSH_AUTH_SOCK " + command.stream().map(a -> "'" + a + "'").reduce((a, b) -> a + " " + b).orElseThrow();
            ProcessBuilder pb = new ProcessBuilder("lab/exec", "script", "-q", "-f", "-e", "-c", line, dir.resolve("typescript").toString())
                    .directory(Lab.ROOT.toFile()).redirectErrorStream(true);
            pb.environment().put("NO_COLOR", "1");
            pb.environment().put("TERM", "dumb");
            pb.environment().putAll(env);
            return new Terminal(pb.start());
        }

        public String text() {
            synchronized (screen) {
                return screen.toString(java.nio.charset.StandardCharsets.UTF_8);
            }
        }

        /** Waits until {@code text} was shown {@code times} times. */
        public void await(String text, int times) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            synchronized (screen) {
                while (text().split(java.util.regex.Pattern.quote(text), -1).length - 1 < times) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || !process.isAlive()) {
                        org.junit.jupiter.api.Assertions.fail("never shown " + times + "x: " + text + "\nscreen:\n" + text());
                    }
                    screen.wait(Math.max(1, Math.min(500, left / 1_000_000)));
                }
            }
        }

        public void type(String keys) throws java.io.IOException {
            process.getOutputStream().write(keys.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        }

        public String finish(Duration max) throws Exception {
            if (!process.waitFor(max.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                org.junit.jupiter.api.Assertions.fail("did not end within " + max + ":\n" + text());
            }
            reader.join(10_000);
            return text();
        }

        public int exit() {
            return process.exitValue();
        }
    }
}
