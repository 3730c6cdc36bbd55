package io.tsync.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local transport keeps SshTransport's contract, on a real local /bin/sh. */
class LocalTransportTest {
    static final Duration T = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    static LocalTransport plain() {
        return new LocalTransport("here", false, null, Map.of());
    }

    @Test
    void stdoutStderrAndExitStatusComeBackApart() throws IOException {
        ExecResult r = plain().exec("echo out; echo err >&2; exit 7", new byte[0], T);
        assertEquals(7, r.exit());
        assertEquals("out\n", r.stdout());
        assertEquals("err\n", r.stderr());
        assertFalse(r.ok());
        assertEquals(0, plain().exec("true").exit());
    }

    /** The run lock and the package-lock wait hold a started command: lines as they come, stdin until closed. */
    @Test
    void startedCommandIsReadLineByLineAndEndsWhenItsInputCloses() throws Exception {
        try (RemoteProcess p = plain().start("echo ready; read x; echo got $x; cat >/dev/null; echo bye")) {
            assertEquals("ready", p.readLine(T));
            p.write("it\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals("got it", p.readLine(T));
            assertTrue(p.alive(), "waits on its stdin");
            assertThrows(java.io.InterruptedIOException.class, () -> p.readLine(Duration.ofMillis(200)));
            p.close();
            assertEquals("bye", p.readLine(T));
            assertNull(p.readLine(T));
            assertEquals(0, p.exitStatus());
        }
    }

    @Test
    void runsWithShSemantics() throws IOException {
        ExecResult r = plain().exec("x=1; if [ \"$x\" = 1 ]; then printf '%s' \"$(echo a b | tr ' ' -)\"; fi", new byte[0], T);
        assertEquals("a-b", r.stdout());
        assertEquals("/\n", plain().exec("pwd").stdout(), "runs in / as a fresh session would, wherever tsync was started");
    }

    @Test
    void stdinReachesTheCommandByteForByte() throws IOException {
        byte[] in = "line one\nit's \"quoted\" $HOME `x`\n\u00e9\u20ac\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(new String(in, StandardCharsets.UTF_8), plain().exec("cat", in, T).stdout());
        assertEquals("", plain().exec("cat", new byte[0], T).stdout(), "no stdin: cat sees end of file at once");
    }

    @Test
    void largeStdinAndLargeOutputTogetherDoNotDeadlock() throws IOException {
        byte[] in = "0123456789abcdef".repeat(256 * 1024).getBytes(StandardCharsets.US_ASCII); // 4 MiB, far beyond a pipe's 64 KiB
        ExecResult r = plain().exec("head -c 3000000 /dev/zero | tr '\\0' x; head -c 1000000 /dev/zero | tr '\\0' y >&2; wc -c", in, T);
        assertEquals(0, r.exit(), r.stderr().length() + " bytes of stderr");
        assertTrue(r.stdout().startsWith("xxx"));
        assertEquals(String.valueOf(in.length), r.stdout().substring(3_000_000).strip());
        assertEquals(1_000_000, r.stderr().length());
    }

    @Test
    void endlessOutputStopsAtTheBoundAndKillsTheCommand() {
        long t0 = System.nanoTime();
        OutputTooLargeException out = assertThrows(OutputTooLargeException.class, () -> plain().exec("yes", new byte[0], T));
        assertTrue(out.getMessage().startsWith("here: a command printed more than 8 MiB on stdout"), out.getMessage());
        OutputTooLargeException err = assertThrows(OutputTooLargeException.class, () -> plain().exec("yes >&2", new byte[0], T));
        assertTrue(err.getMessage().startsWith("here: a command printed more than 1 MiB on stderr"), err.getMessage());
        assertTrue(System.nanoTime() - t0 < T.toNanos(), "killed, not timed out");
    }

    @Test
    void aCommandOverItsTimeoutIsKilledAndReportedWithTheHost() throws Exception {
        Path marker = dir.resolve("still-running");
        long t0 = System.nanoTime();
        IOException e = assertThrows(IOException.class,
                () -> plain().exec("sleep 30; touch " + Shell.quote(marker.toString()), new byte[0], Duration.ofSeconds(1)));
        double s = (System.nanoTime() - t0) / 1e9;
        assertEquals("command timed out after 1 s on here", e.getMessage());
        assertTrue(s < 10, "gave up after " + s + " s");
        Thread.sleep(300);
        assertFalse(Files.exists(marker), "the command was killed, not left running");
    }

    @Test
    void aDaemonHoldingTheOutputOpenCannotOutlastTheTimeout() throws Exception {
        Path pid = dir.resolve("pid");
        ExecResult r;
        try {
            r = plain().exec("sleep 30 & echo $! > " + Shell.quote(pid.toString()) + "; echo started", new byte[0], Duration.ofSeconds(1));
        } catch (IOException e) {
            // the drains were reading when sh ended: they wait for the daemon's end, which the timeout cuts
            assertEquals("command timed out after 1 s on here", e.getMessage());
            r = null;
        }
        ProcessHandle daemon = ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).orElseThrow();
        try {
            assertTrue(daemon.isAlive(), "the exec came back while the daemon held its output");
            if (r != null) {
                // sh ended before a drain had begun its read: the JDK's process reaper drained the pipe and closed it
                assertEquals(new ExecResult(0, "started\n", ""), r);
            }
        } finally {
            daemon.destroyForcibly();
        }
    }

    @Test
    void systemDirectoriesAreOnThePathAfterTheCallersOwn() {
        assertEquals("/opt/x/bin:/usr/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/sbin:/bin",
                LocalTransport.path("/opt/x/bin:/usr/bin"));
        assertEquals(String.join(":", LocalTransport.SYSTEM_PATH), LocalTransport.path(null));
        assertEquals(String.join(":", LocalTransport.SYSTEM_PATH), LocalTransport.path("::"));
    }

    // ---------------------------------------------------------------- become, through a stub sudo

    /** A sudo that records its arguments and stdin's first line, then runs what follows "--" without switching user. */
    Map<String, String> stubSudo(String firstLineExpected) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path sudo = bin.resolve("sudo");
        Files.writeString(sudo, "#!/bin/sh\n"
                + "printf '%s\\n' \"$*\" > " + Shell.quote(dir.resolve("argv").toString()) + "\n"
                + "case \"$*\" in *' -S '*) IFS= read -r pw; [ \"$pw\" = " + Shell.quote(firstLineExpected) + " ] || { echo 'sudo: 1 incorrect password attempt' >&2; exit 1; } ;;"
                + " *) [ -z " + Shell.quote(firstLineExpected) + " ] || { echo 'sudo: a password is required' >&2; exit 1; } ;; esac\n"
                + "while [ \"$1\" != -- ]; do shift; done; shift\nexec \"$@\"\n");
        Files.setPosixFilePermissions(sudo, PosixFilePermissions.fromString("rwxr-xr-x"));
        return Map.of("PATH", bin + ":" + LocalTransport.path(System.getenv("PATH")));
    }

    @Test
    void becomeWithoutPasswordRunsThroughSudoN() throws IOException {
        LocalTransport t = new LocalTransport("here", true, null, stubSudo(""));
        t.checkBecome(T);
        ExecResult r = t.exec("cat; echo \"it's\"", "payload\n".getBytes(StandardCharsets.UTF_8), T);
        assertEquals("payload\nit's\n", r.stdout());
        assertEquals("-n -- sh -c cat; echo \"it's\"", Files.readString(dir.resolve("argv")).strip());
        assertEquals("x\n", t.execUnprivileged("echo x", T).stdout());
        assertEquals("-n -- sh -c cat; echo \"it's\"", Files.readString(dir.resolve("argv")).strip(), "execUnprivileged bypasses sudo");
    }

    @Test
    void becomePasswordGoesFirstOnStdinNeverOnTheCommandLine() throws IOException {
        LocalTransport t = new LocalTransport("here", true, "s3cret pw", stubSudo("s3cret pw"));
        t.checkBecome(T);
        assertEquals("payload", t.exec("cat", "payload".getBytes(StandardCharsets.UTF_8), T).stdout());
        String argv = Files.readString(dir.resolve("argv"));
        assertTrue(argv.startsWith("-k -S -p  -- sh -c cat"), argv);
        assertFalse(argv.contains("s3cret"), argv);
    }

    @Test
    void aRefusedBecomeIsReportedBeforeAnythingRuns() throws IOException {
        LocalTransport noPassword = new LocalTransport("here", true, null, stubSudo("right"));
        IOException e = assertThrows(IOException.class, () -> noPassword.checkBecome(T));
        assertEquals("sudo failed on here: a password is required; set TSYNC_BECOME_PASSWORD or use --ask-become-pass"
                + " (sudo: a password is required)", e.getMessage());
        LocalTransport wrong = new LocalTransport("here", true, "wrong", stubSudo("right"));
        e = assertThrows(IOException.class, () -> wrong.checkBecome(T));
        assertEquals("sudo failed on here: the become password was rejected (sudo: 1 incorrect password attempt)", e.getMessage());
    }
}
