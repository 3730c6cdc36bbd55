package io.tsync.status;

import static io.tsync.status.ProbeOutputs.output;
import static io.tsync.status.ProbeOutputs.section;
import static io.tsync.status.ProbeOutputs.systemctl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.model.Daemon;
import org.junit.jupiter.api.Test;

/** Which daemon a host runs: active units first, then a control tool that answers, then what is installed. */
class DetectedDaemonTest {
    private static final String CHRONYC_OK = section("chronyc-sources", "^,*,192.0.2.11,2,2,377,2,0.0,0.0,0.0", 0);
    private static final String CHRONYC_DOWN = section("chronyc-sources", "506 Cannot talk to daemon", 1);
    private static final String CHRONYC_MISSING = section("chronyc-sources", "", 127);
    private static final String NTPQ_OK = section("ntpq-peers", Samples.read("ntpq-peers-local.txt"), 0);
    private static final String NTPQ_MISSING = section("ntpq-peers", "", 127);

    private static DetectedDaemon detect(String... sections) {
        ProbeOutput out = output(sections);
        ProbeSection sc = out.section("systemctl");
        return DetectedDaemon.detect(sc == null ? java.util.List.of() : SystemdUnits.parse(sc.body()), out);
    }

    @Test
    void anActiveUnitDecidesBeforeAnyTool() {
        DetectedDaemon d = detect(systemctl("ntpsec.service=active"), CHRONYC_OK, NTPQ_OK);
        assertEquals(Daemon.NTPD, d.daemon(), "ntpsec runs, whatever chronyc says");
        assertEquals("ntpsec.service", d.unit().requested());
        assertTrue(d.answers());
        assertEquals(Daemon.CHRONY, detect(systemctl("chronyd.service=active", "ntp.service=active"), CHRONYC_DOWN).daemon(),
                "chrony before ntpd");
        DetectedDaemon t = detect(systemctl("systemd-timesyncd.service=active"), CHRONYC_MISSING, NTPQ_MISSING);
        assertEquals(Daemon.TIMESYNCD, t.daemon());
        assertFalse(t.answers(), "timesyncd has no control tool to ask");
        assertTrue(t.timesyncdActive());
    }

    @Test
    void withoutAnActiveUnitTheToolThatAnswers() {
        DetectedDaemon d = detect(systemctl("chrony.service=failed"), CHRONYC_DOWN, NTPQ_OK);
        assertEquals(Daemon.NTPD, d.daemon(), "ntpq answers, chronyc does not");
        assertNull(d.unit(), "no ntpd unit is loaded");
        assertEquals(Daemon.CHRONY, detect(section("systemctl", "no systemd", 1), CHRONYC_OK, NTPQ_OK).daemon());
    }

    @Test
    void elseWhatIsInstalled() {
        DetectedDaemon d = detect(systemctl("chrony.service=failed"), CHRONYC_DOWN, NTPQ_MISSING);
        assertEquals(Daemon.CHRONY, d.daemon());
        assertEquals("chrony.service", d.unit().requested());
        assertFalse(d.answers());
        assertEquals(Daemon.CHRONY, detect(section("systemctl", "no systemd", 1), CHRONYC_DOWN, NTPQ_MISSING).daemon(),
                "chronyc installed");
        assertEquals(Daemon.NTPD, detect(section("systemctl", "no systemd", 1), CHRONYC_MISSING,
                section("ntpq-peers", "ntpq: read: Connection refused", 1)).daemon(), "ntpq installed");
    }

    @Test
    void nothingInstalled() {
        DetectedDaemon d = detect(systemctl(), CHRONYC_MISSING, NTPQ_MISSING);
        assertNull(d.daemon());
        assertNull(d.unit());
        assertFalse(d.timesyncdActive());
    }

    @Test
    void ntpqThatTimedOutOrPrintedNothingDoesNotAnswer() {
        assertFalse(detect(section("ntpq-peers", "", 124)).answers());
        assertFalse(detect(section("ntpq-peers", "", 1)).answers());
        assertTrue(detect(section("ntpq-peers", Samples.read("ntpq-peers-local.txt"), 1)).answers(), "peers printed, whatever the exit code");
    }
}
