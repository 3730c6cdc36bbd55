package io.tsync.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.exec.PackageLockWait.Holder;
import io.tsync.platform.Platform;
import io.tsync.platform.Platforms;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The package lock wait: its lines and apt's own message parsed, and the loop run for real (sh,
 * awk, stat, /proc of this machine) against an fcntl lock this JVM takes and a pid file, as apt's
 * and dnf's locks look on a host.
 */
class PackageLockWaitTest {
    @TempDir
    Path dir;

    @Test
    void theLoopsLinesNameTheHolder() {
        assertEquals(Optional.of(new Holder(1234, "unattended-upgr", "/var/lib/dpkg/lock-frontend")),
                PackageLockWait.parse("@waiting 1234 /var/lib/dpkg/lock-frontend unattended-upgr", "waiting"));
        assertEquals(Optional.of(new Holder(99, "tmux: server", "/var/run/yum.pid")),
                PackageLockWait.parse("@timeout 99 /var/run/yum.pid tmux: server", "timeout"), "a process name may hold spaces");
        assertEquals(Optional.empty(), PackageLockWait.parse("@waiting 1234 /var/lib/dpkg/lock python3", "timeout"));
        assertEquals(Optional.empty(), PackageLockWait.parse("Reading package lists...", "waiting"));
        assertEquals("unattended-upgr (pid 1234)", new Holder(1234, "unattended-upgr", "/var/lib/dpkg/lock").describe());
    }

    @Test
    void aptsOwnMessageNamesTheHolderToo() {
        String stderr = "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4711 (apt-get)\n"
                + "E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), is another process using it?\n";
        assertEquals(Optional.of(new Holder(4711, "apt-get", "/var/lib/dpkg/lock-frontend")), PackageLockWait.parseApt(stderr));
        assertEquals(Optional.empty(), PackageLockWait.parseApt("E: Unable to locate package chrony"));
    }

    @Test
    void everyPlatformRowNamesItsLockAndBoundsItsInstall() {
        for (String alias : Platforms.ALIASES.keySet()) {
            Platform.PackageManager pm = Platforms.byAlias(alias).orElseThrow().packages();
            assertTrue(!pm.lock().fcntlLocks().isEmpty() || !pm.lock().pidFiles().isEmpty(), pm.name());
            assertTrue(pm.install().contains("DPkg::Lock::Timeout=\"$LOCK_TIMEOUT\"") || pm.install().contains("--setopt=exit_on_lock=True"),
                    pm.name() + " must not wait for its lock without bound: " + pm.install());
        }
    }

    record Run(int exit, String out) {}

    Run loop(Platform.Lock lock, Duration bound) throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", PackageLockWait.script(lock, bound) + "echo \"left $LOCK_TIMEOUT\"\n")
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void aFreeLockPassesAtOnceWithTheWholeBoundLeft() throws Exception {
        Path f = Files.createFile(dir.resolve("lock-frontend"));
        Run r = loop(new Platform.Lock("dpkg lock", List.of(f.toString(), dir.resolve("absent").toString()), List.of()), Duration.ofSeconds(30));
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().equals("left 30\n") || r.out().equals("left 29\n"), r.out());
    }

    @Test
    void anFcntlLockIsFoundInProcLocksAndOutlastsAShortBound() throws Exception {
        Path f = Files.createFile(dir.resolve("lock-frontend"));
        long me = ProcessHandle.current().pid();
        String comm = Files.readString(Path.of("/proc/self/comm")).strip();
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE); FileLock held = ch.lock()) {
            Run r = loop(new Platform.Lock("dpkg lock", List.of(f.toString()), List.of()), Duration.ofSeconds(3));
            assertEquals(PackageLockWait.TIMED_OUT, r.exit(), r.out());
            List<String> lines = r.out().lines().toList();
            assertEquals("@waiting " + me + " " + f + " " + comm, lines.get(0));
            assertEquals(Optional.of(new Holder(me, comm, f.toString())), PackageLockWait.timedOut(r.out()));
        }
        assertEquals(0, loop(new Platform.Lock("dpkg lock", List.of(f.toString()), List.of()), Duration.ZERO).exit(), "released");
    }

    @Test
    void aPidFileCountsWhileItsProcessLives() throws Exception {
        Path pid = dir.resolve("rpmdb_lock.pid");
        Files.writeString(pid, String.valueOf(ProcessHandle.current().pid())); // dnf writes no newline
        Platform.Lock dnf = new Platform.Lock("dnf lock", List.of(), List.of(pid.toString()));
        assertEquals(PackageLockWait.TIMED_OUT, loop(dnf, Duration.ZERO).exit());
        Files.writeString(pid, "999999999\n"); // left behind by a process that is gone
        assertEquals(0, loop(dnf, Duration.ZERO).exit());
    }
}
