package io.tsync.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SystemdUnitsTest {

    @Test
    void unitsFollowTheRequestedOrderAndAliases() {
        String body = ProbeOutput.read(Samples.read("probe-ntpsec-synced.txt")).section("systemctl").body();
        List<UnitState> units = SystemdUnits.parse(body);
        assertEquals(StatusScript.UNITS, units.stream().map(UnitState::requested).toList());
        UnitState ntp = units.get(2);
        assertEquals("ntp.service", ntp.requested());
        assertEquals("ntpsec.service", ntp.id(), "ntp.service is an alias of ntpsec.service");
        assertTrue(ntp.loaded());
        assertTrue(ntp.active());
        assertEquals(true, ntp.enabled());
        assertFalse(units.get(0).loaded());
        assertNull(units.get(0).enabled());
        assertEquals(List.of(), SystemdUnits.parse("System has not been booted with systemd as init system (PID 1)."));
        assertEquals(false, new UnitState("a", "a", "loaded", "inactive", "dead", "masked", "no").enabled());
        assertEquals(true, new UnitState("a", "a", "loaded", "active", "running", "static", "yes").enabled());
    }

    @Test
    void aBlockWithoutIdOrLoadStateIsSkippedButKeepsItsPlace() {
        List<UnitState> units = SystemdUnits.parse("ActiveState=active\n\nId=chronyd.service\nLoadState=loaded\nActiveState=active\n"
                + "\nnoise without equals\nLoadState=not-found\n");
        assertEquals(List.of("chronyd.service", "ntp.service"), units.stream().map(UnitState::requested).toList());
        assertEquals("ntp.service", units.get(1).id(), "no Id: the name asked for");
        assertEquals("", units.get(1).activeState());
    }

    @Test
    void pickPrefersAnActiveUnitThenTheFirstLoaded() {
        UnitState chrony = new UnitState("chrony.service", "chrony.service", "loaded", "failed", "failed", "enabled", "yes");
        UnitState chronyd = new UnitState("chronyd.service", "chronyd.service", "loaded", "active", "running", "enabled", "yes");
        UnitState missing = new UnitState("ntp.service", "ntp.service", "not-found", "active", "dead", "", "no");
        List<String> names = List.of("chrony.service", "chronyd.service");
        assertSame(chronyd, SystemdUnits.pick(List.of(chrony, chronyd), names));
        assertSame(chrony, SystemdUnits.pick(List.of(chrony), names));
        assertNull(SystemdUnits.pick(List.of(missing), List.of("ntp.service")), "not loaded: not installed");
        assertNull(SystemdUnits.pick(List.of(), names));
    }
}
