package io.tsync.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.facts.FactsProbe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class RemoteElapsedTest {
    @Test
    void theMarkerGivesTheProbesRunOnTheHost() {
        assertEquals(Optional.of(OptionalLong.of(31_250_000L)), RemoteElapsed.nanos("@os\nID=debian\n@end\n@elapsed facts 1733412345.100000 1733412345.131250\n", "facts"));
        // bash prints the locale's radix: a comma before the script sets LC_ALL=C, a point after
        assertEquals(Optional.of(OptionalLong.of(2_000_000_000L)), RemoteElapsed.nanos("x\n@elapsed facts 1733412345,5 1733412347.5", "facts"));
        assertEquals(Optional.empty(), RemoteElapsed.nanos("@os\n@end\n", "facts"), "no marker: not a self-timing probe");
        assertEquals(Optional.empty(), RemoteElapsed.nanos("@elapsed status 1.0 2.0\n", "facts"), "another probe's marker");
        // the status script wraps the facts probe: each label finds its own line
        String both = "@elapsed facts 10.0 10.5\n@tsync-status 1\n@end\n@elapsed status 9.5 11.0\n";
        assertEquals(Optional.of(OptionalLong.of(500_000_000L)), RemoteElapsed.nanos(both, "facts"));
        assertEquals(Optional.of(OptionalLong.of(1_500_000_000L)), RemoteElapsed.nanos(both, "status"));
    }

    @Test
    void aShellThatCannotTellLeavesTheTimeUnknownNotZero() {
        assertEquals(Optional.of(OptionalLong.empty()), RemoteElapsed.nanos("@end\n@elapsed facts  \n", "facts"), "no $EPOCHREALTIME (dash)");
        assertEquals(Optional.of(OptionalLong.empty()), RemoteElapsed.nanos("@elapsed facts 5.0 4.0\n", "facts"), "the clock stepped back");
        assertEquals(Optional.of(OptionalLong.empty()), RemoteElapsed.nanos("@elapsed facts 1e9 2e9\n", "facts"));
        assertEquals(Optional.of(OptionalLong.empty()), RemoteElapsed.nanos("@elapsed facts 99999999999999999999.1 1.0\n", "facts"));
        assertThrows(IllegalArgumentException.class, () -> RemoteElapsed.wrap("x; rm", "true"));
    }

    /** The facts probe, wrapped, run by bash (times itself) and by dash (cannot): its exit code and facts are unchanged. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void theWrappedProbeRunsUnderBashAndDash() throws Exception {
        String command = FactsProbe.command();
        assertTrue(command.startsWith("tsync_t_facts=${EPOCHREALTIME-}\n"), command);
        for (String shell : new String[] {"/bin/bash", "/bin/dash"}) {
            if (!Files.isExecutable(Path.of(shell))) {
                continue;
            }
            Process p = new ProcessBuilder(shell, "-c", command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), shell);
            FactsProbe.parse(out);
            Optional<OptionalLong> n = RemoteElapsed.nanos(out, "facts");
            assertTrue(n.isPresent(), shell + ": " + out);
            if (shell.endsWith("bash")) {
                assertTrue(n.get().isPresent() && n.get().getAsLong() > 0 && n.get().getAsLong() < 60_000_000_000L, shell + ": " + n);
            } else {
                assertEquals(OptionalLong.empty(), n.get(), shell);
            }
        }
    }
}
