package io.tsync.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.model.Host;
import io.tsync.model.Inventory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --local: this machine as a one-host inventory that plays select by all, localhost or its hostname. */
class LocalInventoryTest {
    @TempDir
    Path dir;

    @Test
    void oneLocalHostNamedAfterTheMachine() throws Exception {
        Inventory inv = LocalInventory.load("web7", null);
        assertEquals(LocalInventory.NAME, inv.file());
        assertEquals(1, inv.hosts().size());
        Host h = inv.hosts().get(0);
        assertEquals("web7", h.name());
        assertTrue(h.local(), "ansible_connection: local");
        assertEquals(List.of("localhost"), h.groups());
    }

    @Test
    void hostsSelectsItByAllLocalhostItsNameOrAGlob() throws Exception {
        Inventory inv = LocalInventory.load("web7", null);
        for (String pattern : List.of("all", "localhost", "web7", "web*", "all,!db*", "localhost:&all")) {
            assertEquals(List.of("web7"), HostPatterns.select(inv, pattern).stream().map(Host::name).toList(), pattern);
        }
        for (String pattern : List.of("web", "db7", "all,!web7", "ungrouped")) {
            assertTrue(HostPatterns.select(inv, pattern).isEmpty(), pattern);
        }
    }

    @Test
    void aHostnameThatCannotBeAnInventoryNameBecomesLocalhost() throws Exception {
        assertEquals("localhost", LocalInventory.load("bad name!", null).hosts().get(0).name());
        assertEquals("localhost", LocalInventory.load("all", null).hosts().get(0).name());
        assertEquals("localhost", LocalInventory.load("localhost", null).hosts().get(0).name());
    }

    @Test
    void varsFilesBesideThePlaybookApplyAsWithAnInventory() throws Exception {
        Files.createDirectories(dir.resolve("host_vars"));
        Files.createDirectories(dir.resolve("group_vars"));
        Files.writeString(dir.resolve("host_vars/web7.yaml"), "tsync_timezone: Asia/Tokyo\n");
        Files.writeString(dir.resolve("group_vars/all.yaml"), "tsync_timezone: Europe/Berlin\nregion: asia\n");
        Host h = LocalInventory.load("web7", dir).hosts().get(0);
        assertEquals("Asia/Tokyo", h.var("tsync_timezone"), "host_vars win over group_vars");
        assertEquals("asia", h.var("region"));
        assertTrue(h.vars().get("tsync_timezone").location().file().endsWith("host_vars/web7.yaml"));
        assertFalse(LocalInventory.load("db1", dir).hosts().get(0).vars().get("tsync_timezone").location().file().endsWith("web7.yaml"));
    }

    @Test
    void theFixNamesWhatSelectsThisMachine() throws Exception {
        assertEquals("in local mode the one host is this machine, 'web7': write hosts: all, localhost or web7"
                + " (or use an inventory whose host for this machine has ansible_connection: local)",
                LocalInventory.hostsFix(LocalInventory.load("web7", null)));
    }

    @Test
    void hostnameIsTheKernels() throws Exception {
        Path proc = Path.of("/proc/sys/kernel/hostname");
        if (Files.isReadable(proc)) {
            assertEquals(Files.readString(proc).strip(), LocalInventory.hostname());
        }
        assertFalse(LocalInventory.hostname().isBlank());
    }
}
