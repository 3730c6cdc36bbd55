package io.tsync.cli;

import static io.tsync.cli.InProcess.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.cli.InProcess.Run;
import org.junit.jupiter.api.Test;

/** status --format / --serve / --interval: contradictions are invalid input (exit 3) before any file is read or host contacted. */
class StatusOptionsTest {
    @Test
    void serveWithAnotherOutputIsRefused() {
        for (String[] extra : new String[][] {{"--json"}, {"--watch"}, {"--wait-synced", "10"}, {"--format", "table"}}) {
            String[] args = new String[4 + extra.length];
            args[0] = "status";
            args[1] = "-i";
            args[2] = "no-such-inventory.yaml";
            args[3] = "--serve=:9469";
            System.arraycopy(extra, 0, args, 4, extra.length);
            Run r = run(args);
            assertEquals(ExitCodes.INVALID_INPUT, r.exit(), String.join(" ", args) + "\n" + r.err());
            assertTrue(r.err().contains("--serve answers in the Prometheus format"), r.err());
        }
    }

    @Test
    void badServeAddressIntervalAndFormatAreRefused() {
        Run noPort = run("status", "-i", "no-such-inventory.yaml", "--serve", "localhost");
        assertEquals(ExitCodes.INVALID_INPUT, noPort.exit());
        assertTrue(noPort.err().contains("has no port: write ADDR:PORT"), noPort.err());
        Run interval = run("status", "-i", "no-such-inventory.yaml", "--serve", ":9469", "--interval", "0");
        assertEquals(ExitCodes.INVALID_INPUT, interval.exit());
        assertTrue(interval.err().contains("--interval must be at least 1 second"), interval.err());
        Run two = run("status", "-i", "no-such-inventory.yaml", "--json", "--format", "prometheus");
        assertEquals(ExitCodes.INVALID_INPUT, two.exit());
        assertTrue(two.err().contains("--json and --format prometheus ask for two formats"), two.err());
        Run unknown = run("status", "-i", "no-such-inventory.yaml", "--format", "yaml");
        assertEquals(ExitCodes.INVALID_INPUT, unknown.exit());
        assertTrue(unknown.err().contains("table, json, prometheus"), unknown.err());
    }
}
