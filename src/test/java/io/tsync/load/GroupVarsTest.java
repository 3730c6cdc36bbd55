package io.tsync.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.model.Host;
import io.tsync.model.Inventory;
import io.tsync.model.NtpSpec;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** group_vars/ and host_vars/ beside the inventory: Ansible's precedence, and errors located in those files. */
class GroupVarsTest {
    static final Path LAYOUT = resource("inventory/layout");

    @TempDir
    Path dir;

    static Path resource(String name) {
        try {
            return Path.of(GroupVarsTest.class.getClassLoader().getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    Path write(String rel, String text) throws Exception {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text);
    }

    static final String YAML_INV = """
            all:
              vars:
                level: inventory-all
              children:
                asia:
                  vars: { level: inventory-asia }
                  children:
                    seoul:
                      vars: { level: inventory-seoul, tz_from: inventory }
                      hosts:
                        web1: { ansible_host: 10.0.0.1, ansible_user: root, level: inventory-host }
                        web2: { ansible_host: 10.0.0.2, ansible_user: root }
            """;

    @Test
    void ansiblePrecedenceWithAnIniInventory() throws Exception {
        LoadedInventory li = InventoryLoader.loadDetailed(LAYOUT.resolve("hosts"));
        assertEquals("ini", li.format());
        Inventory inv = li.inventory();
        Host web1 = inv.host("web1");
        Host web2 = inv.host("web2");
        Host db1 = inv.host("db1");
        assertEquals("host_vars", web1.var("level"), "host_vars/web1 (no extension) beats the host's inventory vars");
        assertEquals("group_vars-all", web2.var("level"),
                "as in Ansible, group_vars/all beats every group var of the inventory file, even asia's");
        assertEquals("from-group_vars", web2.var("asia_only"), "group_vars/asia.yml beats [asia:vars]");
        assertEquals(2222, web2.port(), "host_vars/web2.yaml");
        assertEquals(22, web1.port());
        assertEquals("Asia/Seoul", web1.var("tsync_timezone"));
        assertEquals("Asia/Tokyo", db1.var("tsync_timezone"), "group_vars/tokyo/ files merge in name order, later wins");
        Host.Var tz = db1.vars().get("tsync_timezone");
        assertTrue(tz.location().file().endsWith(Path.of("group_vars", "tokyo", "20-ntp.yaml").toString()), tz.location().toString());
        assertEquals(3, tz.location().line());
        assertEquals(17, tz.location().column());
        assertTrue(db1.vars().get("tsync_ntp").value() instanceof java.util.Map, "YAML structures come through group_vars");
        assertEquals(List.of(LAYOUT.resolve("hosts").toString(),
                LAYOUT.resolve("group_vars/all.yaml").toString(),
                LAYOUT.resolve("group_vars/asia.yml").toString(),
                LAYOUT.resolve("group_vars/tokyo/10-timezone.yaml").toString(),
                LAYOUT.resolve("group_vars/tokyo/20-ntp.yaml").toString(),
                LAYOUT.resolve("host_vars/web1").toString(),
                LAYOUT.resolve("host_vars/web2.yaml").toString()), li.files());
        assertEquals(1, li.ignored().size(), li.ignored().toString());
        assertTrue(li.ignored().get(0).contains("sesoul.yaml: no group 'sesoul'") && li.ignored().get(0).contains("did you mean 'seoul'"),
                li.ignored().get(0));
    }

    @Test
    void groupVarsFileBeatsTheSameGroupsInventoryVarsAndHostVarsBeatBoth() throws Exception {
        Path inv = write("inventory.yaml", YAML_INV);
        write("group_vars/seoul.yaml", "level: group_vars-seoul\n");
        Inventory i1 = InventoryLoader.load(inv);
        assertEquals("inventory-host", i1.host("web1").var("level"), "inventory host vars beat every group var");
        assertEquals("group_vars-seoul", i1.host("web2").var("level"));
        assertEquals("inventory", i1.host("web2").var("tz_from"), "keys the file does not set are kept");

        write("group_vars/all", "level: group_vars-all\n");
        assertEquals("group_vars-seoul", InventoryLoader.load(inv).host("web2").var("level"),
                "a child group's group_vars file beats group_vars/all");

        write("host_vars/web2.yml", "level: host_vars-yml\n");
        write("host_vars/web2.yaml", "level: host_vars-yaml\n");
        assertEquals("host_vars-yaml", InventoryLoader.load(inv).host("web2").var("level"), "NAME.yaml is read after NAME.yml");
    }

    /** Ansible reads group_vars/ and host_vars/ beside the playbook too, and they win over the inventory's at each level. */
    @Test
    void varsBesideThePlaybookWinOverThoseBesideTheInventoryLevelByLevel() throws Exception {
        Path inv = write("inventory/hosts.yaml", YAML_INV);
        write("inventory/group_vars/all.yaml", "level: inv-gv-all\nfrom_inv_all: 1\n");
        write("inventory/group_vars/seoul.yaml", "level: inv-gv-seoul\nseoul_level: inv\n");
        write("inventory/host_vars/web1.yaml", "web1_level: inv\n");
        Path playbooks = dir.resolve("playbooks");
        write("playbooks/group_vars/all.yaml", "level: pb-gv-all\nall_level: pb\n");
        write("playbooks/group_vars/asia.yaml", "asia_level: pb\nseoul_level: pb-asia\n");
        write("playbooks/host_vars/web1.yaml", "web1_level: pb\n");

        Inventory without = InventoryLoader.load(inv);
        assertEquals("inv-gv-seoul", without.host("web2").var("level"));
        assertEquals(null, without.host("web2").var("all_level"), "no playbook directory: its vars are not read");

        Inventory with = InventoryLoader.load(inv, playbooks);
        Host web2 = with.host("web2");
        assertEquals("inv-gv-seoul", web2.var("level"), "any group's file beats group_vars/all, the playbook's too");
        assertEquals("pb", web2.var("all_level"));
        assertEquals("1", web2.var("from_inv_all"), "keys only the inventory's file sets are kept");
        assertEquals("pb-asia", web2.var("seoul_level"), "the playbook's group_vars (even of a parent group) beat the inventory's");
        assertTrue(web2.vars().get("seoul_level").location().file().endsWith(Path.of("playbooks", "group_vars", "asia.yaml").toString()));
        assertEquals("pb", with.host("web1").var("web1_level"), "the playbook's host_vars beat the inventory's");
        assertEquals("inventory-host", with.host("web1").var("level"), "inventory host vars beat every group var");

        Inventory same = InventoryLoader.load(inv, inv.getParent());
        assertEquals("inv-gv-seoul", same.host("web2").var("level"), "the playbook beside the inventory: its directory is read once");
    }

    @Test
    void groupVarsDirectoryIsMergedInNameOrderRecursively() throws Exception {
        Path inv = write("inventory.yaml", YAML_INV);
        write("group_vars/seoul/b.yaml", "level: b\nonly_b: 1\n");
        write("group_vars/seoul/a.yml", "level: a\nonly_a: 1\n");
        write("group_vars/seoul/c/z.yaml", "level: c-z\n");
        write("group_vars/seoul/.hidden.yaml", "level: hidden\n");
        write("group_vars/seoul/d.yaml~", "level: backup\n");
        write("group_vars/seoul/notes.txt", "level: notes\n");
        write("group_vars/seoul/empty.yaml", "# nothing yet\n---\n");
        Host web2 = InventoryLoader.load(inv).host("web2");
        assertEquals("c-z", web2.var("level"));
        assertEquals("1", web2.var("only_a"));
        assertEquals("1", web2.var("only_b"));
    }

    @Test
    void unknownGroupAndHostFilesAreIgnoredButListed() throws Exception {
        Path inv = write("inventory.yaml", YAML_INV);
        write("group_vars/nowhere.yaml", "level: [this is: not even valid\n");
        write("host_vars/web9.yaml", "level: x\n");
        write("group_vars/README.md", "# notes\n");
        LoadedInventory li = InventoryLoader.loadDetailed(inv);
        assertEquals("inventory-seoul", li.inventory().host("web2").var("level"));
        assertEquals(2, li.ignored().size(), li.ignored().toString());
        assertTrue(li.ignored().get(0).contains("no group 'nowhere'"), li.ignored().toString());
        assertTrue(li.ignored().get(1).contains("no host 'web9'") && li.ignored().get(1).contains("did you mean 'web1'"),
                li.ignored().toString());
    }

    @Test
    void errorsPointIntoTheVarsFile() throws Exception {
        Path inv = write("inventory.yaml", YAML_INV);
        write("host_vars/web1.yaml", "# port\nansible_port: 70000\n");
        write("group_vars/asia.yaml", "ok: 1\nansible_user: '$(reboot)'\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> InventoryLoader.load(inv));
        String web1 = dir.resolve("host_vars/web1.yaml").toString();
        String asia = dir.resolve("group_vars/asia.yaml").toString();
        assertTrue(e.problems().stream().anyMatch(p -> p.file().equals(web1) && p.line() == 2 && p.column() == 15
                && p.message().contains("ansible_port 70000 is out of range")), e.getMessage());
        // web1 and web2 set ansible_user: root in the inventory (host vars beat group_vars), so asia's bad user is unused
        assertTrue(e.problems().stream().noneMatch(p -> p.file().equals(asia)), e.getMessage());
    }

    @Test
    void syntaxAndShapeErrorsInVarsFilesAreLocated() throws Exception {
        Path inv = write("inventory.yaml", YAML_INV);
        write("group_vars/seoul.yaml", "level: [unclosed\n");
        write("group_vars/asia.yaml", "- a list\n- not a mapping\n");
        write("host_vars/web2.yaml", "tpl: \"{{ inventory_hostname }}\"\nport: &p 1\n<<: { x: 1 }\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> InventoryLoader.load(inv));
        String msg = e.getMessage();
        assertTrue(msg.contains(dir.resolve("group_vars/seoul.yaml") + ":") && msg.contains(": YAML syntax error"), msg);
        assertTrue(msg.contains(dir.resolve("group_vars/asia.yaml") + ":1:1: the variables in asia.yaml must be a mapping"), msg);
        assertTrue(msg.contains(dir.resolve("host_vars/web2.yaml") + ":1:6: variable 'tpl' uses Jinja"), msg);
        assertTrue(msg.contains(dir.resolve("host_vars/web2.yaml") + ":3:1: YAML merge keys"), msg);
    }

    @Test
    void tsyncVarsFromGroupVarsAreCheckedAtTheirLocation() throws Exception {
        Path inv = write("inventory.yaml", YAML_INV);
        write("group_vars/seoul.yml", """
                tsync_timezone: Asia/Seol
                tsync_ntp:
                  servers:
                    - { host: "pool.ntp.org\\nallow all" }
                """);
        Host web1 = InventoryLoader.load(inv).host("web1");
        String file = dir.resolve("group_vars/seoul.yml").toString();
        Host.Var tz = web1.vars().get("tsync_timezone");
        Problem p = assertThrows(InvalidInputException.class, () -> PlaybookLoader.overrideTimezone(tz.node(), tz.location())).problems().get(0);
        assertEquals(file, p.file());
        assertEquals(1, p.line());
        assertEquals(17, p.column());
        Host.Var ntp = web1.vars().get("tsync_ntp");
        NtpSpec base = PlaybookLoader.parse("play.yaml", SafeYaml.read("play.yaml", "hosts: all\nntp: { servers: [a.example.com] }\n"))
                .plays().get(0).ntp();
        Problem q = assertThrows(InvalidInputException.class, () -> PlaybookLoader.override(base, ntp.node(), ntp.location())).problems().get(0);
        assertEquals(file, q.file());
        assertEquals(4, q.line());
        assertTrue(q.message().contains("is not a valid hostname"), q.render());
    }

    @Test
    void varsFilesAreReadWithSafeYamlLimits() throws Exception {
        Path inv = write("inventory.yaml", YAML_INV);
        write("group_vars/seoul.yaml", "x: !!java.io.File /etc/passwd\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> InventoryLoader.load(inv));
        assertTrue(e.problems().get(0).file().endsWith("seoul.yaml"), e.getMessage());
        write("group_vars/seoul.yaml", "x: " + "a".repeat(SafeYaml.MAX_BYTES) + "\n");
        InvalidInputException big = assertThrows(InvalidInputException.class, () -> InventoryLoader.load(inv));
        assertTrue(big.getMessage().contains("larger than"), big.getMessage());
    }

    @Test
    void symlinkLoopInAVarsDirectoryIsRefused() throws Exception {
        Path inv = write("inventory.yaml", YAML_INV);
        write("group_vars/seoul/a.yaml", "x: 1\n");
        Files.createSymbolicLink(dir.resolve("group_vars/seoul/loop"), dir.resolve("group_vars/seoul"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> InventoryLoader.load(inv));
        assertTrue(e.getMessage().contains("symlink loop"), e.getMessage());
    }

    @Test
    void directoryAsInventoryIsRefusedWithAFix() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> InventoryLoader.load(LAYOUT));
        assertTrue(e.problems().get(0).message().contains("is a directory"), e.getMessage());
    }
}
