package io.tsync.load;

import io.tsync.model.Host;
import io.tsync.model.Inventory;
import io.tsync.model.Location;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The inventory of {@code --local}: one host, the machine tsync runs on, named after its hostname,
 * in the groups {@code all} and {@code localhost}, with {@code ansible_connection: local}. A play's
 * {@code hosts:} therefore selects it when it names {@code all}, {@code localhost} or the hostname
 * (or a glob matching one of them). The {@code group_vars/} and {@code host_vars/} beside the
 * playbook apply as with any inventory, so {@code host_vars/HOSTNAME.yaml} can give this machine
 * its own {@code tsync_timezone}.
 */
public final class LocalInventory {
    /** What error messages name as the inventory: there is no file. */
    public static final String NAME = "local mode";
    public static final String GROUP = "localhost";

    private LocalInventory() {}

    /** This machine as a one-host inventory, with the vars files beside the playbook (none when {@code playbookDir} is null). */
    public static Inventory load(String hostname, Path playbookDir) throws InvalidInputException {
        RawInventory raw = new RawInventory(NAME);
        Location at = new Location(NAME, 0, 0);
        String name = RawInventory.isHostName(hostname) && !hostname.equals("all") ? hostname : "localhost";
        raw.addHost(raw.group(GROUP, at), name, at, Map.of(
                "ansible_connection", var("local", at),
                // never used to connect; it keeps a hostname the grammar would refuse from being an error
                "ansible_host", var("localhost", at)));
        VarsFiles vars = playbookDir == null ? VarsFiles.none()
                : VarsFiles.read(playbookDir.toAbsolutePath(), List.of("all", "ungrouped", GROUP), raw.hostOrder, raw.problems);
        Path base = playbookDir == null ? Path.of("").toAbsolutePath() : playbookDir.toAbsolutePath();
        return InventoryLoader.merge(raw, List.of(vars), base, "local").inventory();
    }

    private static Host.Var var(String value, Location at) {
        return new Host.Var(value, new ScalarNode(Tag.STR, value, null, null, DumperOptions.ScalarStyle.PLAIN), at);
    }

    /** The kernel's hostname ({@code hostname}), else $HOSTNAME, else {@code localhost}. */
    public static String hostname() {
        try {
            String h = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
            if (!h.isEmpty()) {
                return h;
            }
        } catch (IOException e) {
            // not Linux, or no /proc
        }
        String env = System.getenv("HOSTNAME");
        return env == null || env.isBlank() ? "localhost" : env.strip();
    }

    /** What to write in a play's hosts: to select this machine, for an error's fix. */
    public static String hostsFix(Inventory local) {
        String name = local.hosts().isEmpty() ? "localhost" : local.hosts().get(0).name();
        return "in local mode the one host is this machine, '" + name + "': write hosts: all, localhost or " + name
                + " (or use an inventory whose host for this machine has ansible_connection: local)";
    }
}
