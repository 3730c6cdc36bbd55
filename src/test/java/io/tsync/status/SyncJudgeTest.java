package io.tsync.status;

import static io.tsync.status.ProbeOutputs.output;
import static io.tsync.status.ProbeOutputs.section;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.model.Daemon;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each daemon's judge on the sections it reads, without the rest of a probe output. */
class SyncJudgeTest {
    private static final UnitState CHRONY_FAILED = new UnitState("chrony.service", "chrony.service", "loaded", "failed", "failed", "enabled", "yes");
    private static final String SOURCES = Samples.read("chrony-sources-synced.csv");
    private static final String TRACKING = Samples.read("chrony-tracking-synced.csv");

    private static DetectedDaemon found(Daemon d, UnitState unit, boolean answers) {
        return new DetectedDaemon(d, unit, answers, false);
    }

    @Test
    void oneJudgePerDaemon() {
        assertInstanceOf(ChronyJudge.class, SyncJudge.of(Daemon.CHRONY));
        assertInstanceOf(NtpdJudge.class, SyncJudge.of(Daemon.NTPD));
        assertInstanceOf(TimesyncdJudge.class, SyncJudge.of(Daemon.TIMESYNCD));
        assertInstanceOf(NoDaemonJudge.class, SyncJudge.of(null));
    }

    @Test
    void chronySynced() {
        SyncJudgement j = new ChronyJudge().judge(found(Daemon.CHRONY, null, true),
                output(section("chronyc-sources", SOURCES, 0), section("chronyc-tracking", TRACKING, 0)));
        assertEquals(Verdict.SYNCED, j.verdict());
        assertEquals("192.0.2.11", j.selectedSource());
        assertEquals(3, j.stratum());
        assertEquals(255, j.reach());
        assertEquals("Normal", j.leap());
        assertEquals(4, j.sources().size());
        assertTrue(j.summarize());
        assertEquals(List.of(), j.lead());
        assertEquals(List.of(), j.notes());
    }

    @Test
    void chronyWithoutTrackingTakesTheStratumFromTheSelectedSource() {
        SyncJudgement j = new ChronyJudge().judge(found(Daemon.CHRONY, CHRONY_FAILED, true),
                output(section("chronyc-sources", SOURCES, 0), section("chronyc-tracking", "", null)));
        assertEquals(Verdict.SYNCED, j.verdict());
        assertEquals(3, j.stratum(), "the * source is stratum 2");
        assertNull(j.leap());
        assertEquals(List.of("chrony.service failed but chronyd answers", "chronyc tracking failed"), j.notes());
    }

    @Test
    void chronyDownSaysWhyAndStillReadsNts() {
        SyncJudgement j = new ChronyJudge().judge(found(Daemon.CHRONY, CHRONY_FAILED, false),
                output(section("chronyc-sources", "506 Cannot talk to daemon", 1),
                        section("chronyc-authdata", NtsStatusTest.WRONG_CA, 0)));
        assertEquals(Verdict.DAEMON_DOWN, j.verdict());
        assertEquals(List.of("chrony.service failed", "chronyc: 506 Cannot talk to daemon"), j.lead());
        assertEquals(1, j.notes().size());
        assertTrue(j.notes().get(0).startsWith("NTS: no cookies from nts.lab.test"), j.notes().get(0));
        assertEquals(List.of(), j.sources());
    }

    @Test
    void chronyUnreadableSourcesAreNotSynced() {
        SyncJudgement j = new ChronyJudge().judge(found(Daemon.CHRONY, null, true),
                output(section("chronyc-sources", "^,*,192.0.2.11,2,2,XYZ,2,0,0,0", 0)));
        assertEquals(Verdict.UNSYNCED, j.verdict());
        assertFalse(j.summarize());
        assertTrue(j.lead().get(0).startsWith("cannot parse chronyc sources: "), j.lead().toString());
    }

    @Test
    void ntpdOnlyTheLocalClockIsNotSynced() {
        SyncJudgement j = new NtpdJudge().judge(found(Daemon.NTPD, null, true),
                output(section("ntpq-peers", Samples.read("ntpq-peers-local.txt"), 0), section("ntpq-rv", "leap=00, stratum=11", 0)));
        assertEquals(Verdict.UNSYNCED, j.verdict());
        assertEquals("127.127.1.0", j.selectedSource());
        assertEquals(11, j.stratum());
        assertEquals(List.of("only the local clock is selected (.LOCL.)"), j.notes());
    }

    @Test
    void ntpdSyncedCountsPoolEntries() {
        SyncJudgement j = new NtpdJudge().judge(found(Daemon.NTPD, null, true),
                output(section("ntpq-peers", Samples.read("ntpsec-peers-synced.txt"), 0), section("ntpq-rv", Samples.read("ntpsec-rv-synced.txt"), 0)));
        assertEquals(Verdict.SYNCED, j.verdict());
        assertEquals(List.of("2 pool entries"), j.notes());
    }

    @Test
    void ntpdDown() {
        SyncJudgement j = new NtpdJudge().judge(found(Daemon.NTPD, null, false), output(section("ntpq-peers", "", 124)));
        assertEquals(Verdict.DAEMON_DOWN, j.verdict());
        assertEquals(List.of("ntpq timed out"), j.lead());
    }

    @Test
    void timesyncdSynced() {
        ProbeOutput out = ProbeOutput.read(Samples.read("probe-timesyncd-synced.txt"));
        SyncJudgement j = new TimesyncdJudge().judge(found(Daemon.TIMESYNCD, null, false), out);
        assertEquals(Verdict.SYNCED, j.verdict());
        assertEquals("10.213.0.2", j.selectedSource());
        assertEquals(9, j.stratum());
        assertFalse(j.summarize(), "one server: the lead says it");
        assertEquals(List.of("systemd-timesyncd: server 0.kr.pool.ntp.org (10.213.0.2), 54 replies, poll 1min 4s"), j.lead());
        assertEquals(1, j.notes().size());
    }

    @Test
    void timesyncdWithoutTimedatectl() {
        SyncJudgement j = new TimesyncdJudge().judge(found(Daemon.TIMESYNCD, null, false), output(section("timesync-show", "", 127)));
        assertEquals(Verdict.DAEMON_DOWN, j.verdict());
        assertEquals(List.of("timedatectl is not installed"), j.lead());
        SyncJudgement none = new TimesyncdJudge().judge(found(Daemon.TIMESYNCD, null, false), output(section("timesync-show", "Frequency=0", 0)));
        assertEquals(Verdict.UNSYNCED, none.verdict(), "no server at all");
        assertEquals(List.of("systemd-timesyncd: no server selected"), none.lead());
    }

    @Test
    void noDaemon() {
        SyncJudgement j = new NoDaemonJudge().judge(new DetectedDaemon(null, null, false, true), output());
        assertEquals(Verdict.DAEMON_DOWN, j.verdict());
        assertEquals(List.of("neither chrony nor ntpd is installed"), j.lead());
        assertEquals(List.of("systemd-timesyncd is active"), j.notes());
    }

    @Test
    void downReasonsInTheOrderAnOperatorChecks() {
        assertEquals(List.of("chrony.service failed", "chronyc did not run"),
                SyncJudgement.down(CHRONY_FAILED, "chronyc", null, Optional.empty()).lead());
        assertEquals(List.of("chronyc is not installed"),
                SyncJudgement.down(null, "chronyc", new ProbeSection("chronyc-sources", "", 127), Optional.empty()).lead());
        assertEquals(List.of("ntpq: exit code 3"),
                SyncJudgement.down(null, "ntpq", new ProbeSection("ntpq-peers", "\n  \n", 3), Optional.empty()).lead());
        assertEquals(List.of("ntpq: read: refused"),
                SyncJudgement.down(null, "ntpq", new ProbeSection("ntpq-peers", "x", 1), Optional.of("ntpq: read: refused")).lead(),
                "no second tool name");
    }
}
