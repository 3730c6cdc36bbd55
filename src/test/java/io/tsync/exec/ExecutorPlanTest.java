package io.tsync.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tsync.facts.Facts;
import io.tsync.plan.Desired;
import io.tsync.plan.Planner;
import io.tsync.platform.Platforms;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The platform lookup in front of the planner: an unknown OS is refused with what is supported. */
class ExecutorPlanTest {
    @Test
    void anUnknownPlatformIsRefusedNamingTheSupportedOnesFromTheTable() {
        Facts gentoo = new Facts("gentoo", "", "2.17", "Gentoo Linux", "container", "Etc/UTC", List.of(), Map.of(), Map.of(), Map.of());
        Planner.PlanRefused e = assertThrows(Planner.PlanRefused.class,
                () -> Executor.plan(gentoo, new Desired("Asia/Seoul", null), null));
        assertEquals("unsupported platform 'Gentoo Linux' (ID=gentoo, VERSION_ID=2.17); tsync supports (os-release ID and major version) "
                + "debian 12+, debian 11, debian 8-10, ubuntu 24+, ubuntu 21-23, ubuntu 16-20, centos/ol/rhel/scientific 7, almalinux/centos/ol/rhel/rocky 8+", e.getMessage());
        assertEquals(Platforms.TABLE.size(), Platforms.supported().split(", ").length, "one entry per row of the table");
    }
}
