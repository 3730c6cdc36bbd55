package io.tsync.cli;

import static io.tsync.cli.InProcess.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.cli.InProcess.Run;
import org.junit.jupiter.api.Test;

/** tsync pull's command line: what is refused before git or systemd is touched. */
class PullCliTest {
    @Test
    void aUrlGitWouldTakeForAnOptionIsInvalidInput() {
        Run r = run("pull", "--url", "--upload-pack=touch /tmp/x");
        assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.err());
        assertTrue(r.err().contains("is not a Git URL"), r.err());
    }

    @Test
    void theUrlIsRequired() {
        Run r = run("pull", "--install-timer");
        assertEquals(ExitCodes.INVALID_INPUT, r.exit());
        assertTrue(r.err().contains("--url"), r.err());
    }

    @Test
    void anIntervalThatIsNotASpanIsInvalidInput() {
        Run r = run("pull", "--url", "https://git.example.com/time.git", "--install-timer", "--interval", "soon");
        assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.err());
        assertTrue(r.err().contains("spans like 15min"), r.err());
    }

    @Test
    void helpNamesThePlaybookOrderAndTheExitCodes() {
        Run r = run("pull", "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("HOSTNAME.yaml, SHORTNAME.yaml, local.yaml"), r.out());
        assertTrue(r.out().contains("5 when the repository cannot be fetched"), r.out());
    }
}
