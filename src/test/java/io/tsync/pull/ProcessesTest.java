package io.tsync.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Programs of this machine (sh, sleep) run through Processes: exits, streams, the timeout. */
class ProcessesTest {

    @Test
    void keepsBothStreamsAndTheExit() throws PullException {
        Processes.Ran r = Processes.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), Map.of(), Duration.ofSeconds(30));
        assertEquals(3, r.exit());
        assertEquals("out\n", r.out());
        assertEquals("err\n", r.err());
        assertEquals("out\nerr\n", r.outAndErr());
        assertFalse(r.timedOut());
    }

    @Test
    void aProgramThatExits124ByItselfDidNotTimeOut() throws PullException {
        Processes.Ran r = Processes.run(List.of("sh", "-c", "exit 124"), Map.of(), Duration.ofSeconds(30));
        assertEquals(124, r.exit());
        assertFalse(r.timedOut(), "only the timeout sets timedOut; Git used to guess it from exit 124 and empty stdout");
    }

    @Test
    void aSilentProgramIsKilledAtTheTimeout() throws PullException {
        Processes.Ran r = Processes.run(List.of("sleep", "600"), Map.of(), Duration.ofSeconds(1));
        assertTrue(r.timedOut());
        assertEquals(124, r.exit());
        assertEquals("sleep did not end within 1 s (--command-timeout)", r.withHint(" (--command-timeout)").err());
    }

    @Test
    void aBackgroundChildHoldingTheOutputCannotOutlastTheTimeout(@TempDir Path dir) throws Exception {
        // sh ends at once; the sleep it left behind keeps stdout open for 60 s
        Path pid = dir.resolve("pid");
        Processes.Ran r = Processes.run(List.of("sh", "-c", "sleep 60 & echo $! > \"$1\"; echo started", "sh", pid.toString()), Map.of(),
                Duration.ofSeconds(1));
        ProcessHandle sleeper = ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).orElseThrow();
        try {
            // the run came back while the child still held the output: it did not wait for the child's end
            assertTrue(sleeper.isAlive(), r.toString());
            // Which way depends on a race inside the JDK: when sh exits before the reader thread has begun its read,
            // the JDK's process reaper drains the pipe and closes it (ProcessPipeInputStream.processExited), and the
            // reader sees what sh printed and an end; otherwise the reader waits on the pipe until the deadline.
            if (r.timedOut()) {
                assertEquals("sh ended, but a program it started still held its output 1 s after the start", r.err());
            } else {
                assertEquals(new Processes.Ran(0, "started\n", "", false), r);
            }
        } finally {
            sleeper.destroyForcibly();
        }
    }

    @Test
    void theEnvironmentReachesTheProgram() throws PullException {
        Processes.Ran r = Processes.run(List.of("sh", "-c", "printf %s \"$TSYNC_PROBE\""), Map.of("TSYNC_PROBE", "a b;c"), Duration.ofSeconds(30));
        assertEquals("a b;c", r.out());
    }

    @Test
    void outputLargerThanAPipeBufferDoesNotStallTheProgram() throws PullException {
        // 1 MiB on each stream: with nobody reading, the program would block on a full pipe until the timeout
        Processes.Ran r = Processes.run(List.of("sh", "-c", "head -c 1048576 /dev/zero; head -c 1048576 /dev/zero >&2"), Map.of(),
                Duration.ofSeconds(60));
        assertFalse(r.timedOut());
        assertEquals(1048576, r.out().length());
        assertEquals(1048576, r.err().length());
    }
}
