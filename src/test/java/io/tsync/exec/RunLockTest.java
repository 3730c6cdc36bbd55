package io.tsync.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run lock's owner file and its shell, run for real (sh, flock, timeout, head of this machine)
 * in a temp dir standing in for /run/tsync: one holder at a time, a waiter names it, and the lock
 * goes when the holder's input ends, as it does when tsync closes the channel or dies.
 */
class RunLockTest {
    static final RunLock.Owner ALICE = new RunLock.Owner("ctl1", "alice", 4242, Instant.parse("2026-12-01T10:00:00Z"), "apply playbooks/kr.yaml");
    static final RunLock.Owner BOB = new RunLock.Owner("ctl2", "bob", 777, Instant.parse("2026-12-01T10:05:00Z"), "apply playbooks/kr-ntpd.yaml");

    @TempDir
    Path dir;

    @Test
    void theOwnerFileIsKeyValueLinesAndReadsBack() {
        assertEquals("controller=ctl1\nuser=alice\npid=4242\nstarted=2026-12-01T10:00:00Z\ncommand=apply playbooks/kr.yaml\n", ALICE.file());
        assertEquals(ALICE, RunLock.Owner.parse(ALICE.file()));
        assertEquals("alice@ctl1 pid 4242 since 2026-12-01T10:00:00Z (apply playbooks/kr.yaml)", ALICE.describe());
    }

    @Test
    void anOwnerFileCannotBeBrokenByTheValuesInIt() {
        RunLock.Owner odd = new RunLock.Owner("ctl\nuser=mallory", "a=b", 1, Instant.parse("2026-12-01T10:00:00Z"), "apply 'x'\n\u001b[31m");
        RunLock.Owner back = RunLock.Owner.parse(odd.file());
        assertEquals("ctl user=mallory", back.controller());
        assertEquals("a=b", back.user());
        assertEquals("apply 'x'  [31m", back.command());
    }

    @Test
    void aMissingOrPartialOwnerFileStillDescribesTheHolder() {
        assertEquals("another tsync run (its owner file is missing)", RunLock.Owner.parse("").describe());
        assertEquals("root@? pid ?", RunLock.Owner.parse("user=root\npid=x\nstarted=yesterday\n").describe());
    }

    @Test
    void theScriptWaitsAsLongAsAskedAndQuotesTheOwner() {
        String s = RunLock.script(BOB, Duration.ofSeconds(120));
        assertTrue(s.startsWith("d='/run/tsync'\n"), s);
        assertTrue(s.contains("flock -w 120 9 ||"), s);
        assertTrue(s.contains("printf '%s' '" + BOB.file() + "' > \"$d/owner.new\""), s);
        assertTrue(s.contains("timeout " + RunLock.SILENCE.toSeconds() + " head -c 1"), s);
        assertFalse(RunLock.script(BOB, Duration.ZERO).contains("flock -w"), "0: no wait");
    }

    /** The lock's shell as tsync starts it, reading its stdout line by line. */
    final class Shell implements AutoCloseable {
        final Process p;
        final BufferedReader out;

        Shell(RunLock.Owner me, Duration wait) throws Exception {
            p = new ProcessBuilder("/bin/sh", "-c", RunLock.script(dir.resolve("run").toString(), me, wait)).start();
            out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        }

        List<String> linesUntil(String last) throws Exception {
            List<String> lines = new ArrayList<>();
            for (String l; (l = out.readLine()) != null; ) {
                lines.add(l);
                if (l.equals(last)) {
                    return lines;
                }
            }
            return lines;
        }

        int exit() throws Exception {
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the lock's shell ended");
            return p.exitValue();
        }

        @Override
        public void close() {
            p.destroyForcibly();
        }
    }

    @Test
    void oneHolderAtATimeAndTheLockGoesWithItsInput() throws Exception {
        try (Shell alice = new Shell(ALICE, Duration.ofSeconds(5))) {
            assertEquals(List.of("@locked"), alice.linesUntil("@locked"));
            assertEquals(ALICE.file(), Files.readString(dir.resolve("run/owner")));

            Shell bob = new Shell(BOB, Duration.ofSeconds(1));
            List<String> busy = bob.linesUntil("@timeout");
            assertEquals("@busy", busy.get(0));
            assertEquals(ALICE, RunLock.Owner.parse(String.join("\n", busy.subList(1, busy.indexOf("@end")))));
            assertEquals(List.of("@timeout"), busy.subList(busy.size() - 1, busy.size()));
            bob.linesUntil("@end");
            assertEquals(75, bob.exit());

            alice.p.getOutputStream().write('.'); // a heartbeat keeps it
            alice.p.getOutputStream().flush();
            assertTrue(alice.p.isAlive());
            try (Shell carol = new Shell(BOB, Duration.ofSeconds(20))) {
                assertEquals("@busy", carol.linesUntil("@end").get(0));
                alice.p.getOutputStream().close(); // end of input: tsync closed the channel, or died
                assertEquals(0, alice.exit());
                assertEquals(List.of("@locked"), carol.linesUntil("@locked"), "the waiter gets the lock once the holder's input ended");
                assertEquals(BOB.file(), Files.readString(dir.resolve("run/owner")));
            }
        }
    }
}
