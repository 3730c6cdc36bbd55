package io.tsync.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
    void aBackgroundChildHoldingTheOutputCannotOutlastTheTimeout() throws PullException {
        // sh ends at once; the sleep it left behind keeps stdout open for 5 s
        Processes.Ran r = Processes.run(List.of("sh", "-c", "sleep 5 & echo started"), Map.of(), Duration.ofSeconds(1));
        assertTrue(r.timedOut());
        assertEquals("sh ended, but a program it started still held its output 1 s after the start", r.err());
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
