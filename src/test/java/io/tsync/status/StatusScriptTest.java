package io.tsync.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.transport.Bounds;
import org.junit.jupiter.api.Test;

/** The script's text; {@link ProbeScriptTest} runs it, {@link StatusProbePinTest} pins it byte for byte. */
class StatusScriptTest {

    @Test
    void oneFixedPosixScript() {
        String c = StatusScript.text();
        assertTrue(c.startsWith("export LC_ALL=C\n"));
        assertTrue(c.contains("date +%Y-%m-%dT%H:%M:%S%z"));
        assertTrue(c.contains("readlink /etc/localtime"));
        assertTrue(c.contains("/etc/timezone"));
        assertTrue(c.contains("systemctl show -p Id,LoadState,ActiveState,SubState,UnitFileState,ConditionResult "
                + "chrony.service chronyd.service ntp.service ntpd.service ntpsec.service systemd-timesyncd.service"));
        assertTrue(c.contains("chronyc -c -n sources"));
        assertTrue(c.contains("chronyc -c -n tracking"));
        assertTrue(c.contains("ntpq -pn"));
        assertTrue(c.contains("ntpq -n -c rv"));
        assertTrue(c.contains("echo \"" + StatusScript.HEADER + "\""));
        assertTrue(c.strip().endsWith("echo @end"));
        assertFalse(c.contains("'"), "no single quotes: the caller may wrap the script in them");
        assertFalse(c.contains("bash"), "POSIX sh only");
        assertEquals(c, StatusScript.text(), "fixed content");
        assertEquals(c, StatusProbe.command(), "what status sends");
    }

    @Test
    void eachCommandsOutputIsCutOnTheHost() {
        assertTrue(StatusScript.text().contains("| head -c " + Bounds.STATUS_COMMAND + " )"));
        assertTrue(StatusScript.text().contains("r=" + ProbeSection.TOO_LONG + "; o=;;"), "a cut output is reported as too long");
    }
}
