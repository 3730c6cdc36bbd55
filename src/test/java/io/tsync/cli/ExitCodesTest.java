package io.tsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tsync.exec.HostResult;
import io.tsync.exec.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How apply's per-host outcomes become one process exit code (README "Exit codes"). */
class ExitCodesTest {

    private static HostResult host(String name, Outcome outcome) {
        return new HostResult(name, outcome, List.of(), List.of(), 0, null, null, null);
    }

    @Test
    void aFailedHostOutranksAnUnreachableOneAndPendingChanges() {
        assertEquals(ExitCodes.HOST_FAILED, ExitCodes.ofApply(
                List.of(host("h1", Outcome.UNREACHABLE), host("h2", Outcome.FAILED), host("h3", Outcome.PENDING)), true));
        assertEquals(ExitCodes.HOST_UNREACHABLE, ExitCodes.ofApply(
                List.of(host("h1", Outcome.UNREACHABLE), host("h3", Outcome.PENDING)), true));
    }

    @Test
    void pendingChangesAreDriftOnlyUnderCheck() {
        List<HostResult> pending = List.of(host("h1", Outcome.OK), host("h2", Outcome.PENDING));
        assertEquals(ExitCodes.CHANGES_PENDING, ExitCodes.ofApply(pending, true));
        assertEquals(ExitCodes.OK, ExitCodes.ofApply(List.of(host("h1", Outcome.OK), host("h2", Outcome.CHANGED)), false));
        assertEquals(ExitCodes.OK, ExitCodes.ofApply(List.of(), true));
    }
}
