package io.tsync.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.exec.HostResult;
import io.tsync.exec.Outcome;
import io.tsync.plan.Step;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What rolling back a stopped wave's host does, decided from the steps this run applied to it. */
class WaveRollbackTest {
    static final Step WRITE = new Step.WriteConfig("/etc/chrony/chrony.conf", "chrony", "server a\n", "server b\n", null, "servers differ");
    static final Step FIRST_WRITE = new Step.WriteConfig("/etc/chrony/chrony.conf", "chrony", "server a\n", null, null, "absent");
    static final Step RESTART = new Step.RestartService("chrony", "config changed");

    static HostResult changed(Step... applied) {
        return new HostResult("h1", Outcome.CHANGED, List.of(applied), List.of(applied), 0, null, null, "debian12");
    }

    @Test
    void aRewrittenConfigComesBackFromItsBackupAndTheDaemonRestarts() {
        WaveRollback.Run run = assertInstanceOf(WaveRollback.Run.class, WaveRollback.plan(changed(WRITE, RESTART)));
        assertEquals(List.of("/etc/chrony/chrony.conf"), run.paths());
        String s = run.command().script();
        assertTrue(s.contains("mv -f \"$f.tsync-bak\" \"$f\""), s);
        assertTrue(s.contains("systemctl restart 'chrony'"), s);
    }

    @Test
    void aFirstInstallIsLeftAndSaysSo() {
        WaveRollback.Leave l = assertInstanceOf(WaveRollback.Leave.class, WaveRollback.plan(changed(new Step.InstallPackage("chrony", null, "absent"), FIRST_WRITE, RESTART)));
        assertTrue(l.why().contains("first install"), l.why());
    }

    @Test
    void aSwitchOfDaemonsStartsThePreviousOneAgain() {
        Step stop = new Step.StopService("ntpsec", "chrony replaces it");
        WaveRollback.Run run = assertInstanceOf(WaveRollback.Run.class, WaveRollback.plan(changed(stop, WRITE, RESTART)));
        assertEquals(List.of("ntpsec"), run.previousUnits());
        String s = run.command().script();
        assertTrue(s.contains("systemctl disable --now 'chrony'"), s);
        assertTrue(s.contains("o='ntpsec'") && s.contains("systemctl enable --now \"$o\""), s);
    }

    @Test
    void aHostWhoseConfigWasNotWrittenHasNothingToPutBack() {
        WaveRollback.Leave l = assertInstanceOf(WaveRollback.Leave.class, WaveRollback.plan(changed(new Step.SetTimezone("UTC", "Asia/Seoul", "differs"))));
        assertTrue(l.why().contains("nothing to put back"), l.why());
    }
}
