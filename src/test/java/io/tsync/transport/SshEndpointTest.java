package io.tsync.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.jcraft.jsch.OpenSSHConfig;
import io.tsync.load.InventoryLoader;
import io.tsync.load.SafeYaml;
import io.tsync.model.Inventory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Resolving where and how to reach a host, as ssh would, from inventory values and ~/.ssh/config. */
class SshEndpointTest {
    static final String CONFIG = """
            Host bastion
              HostName 203.0.113.10
              User jump
              Port 2200
              IdentityFile ~/.ssh/bastion_key
            Host 10.0.*
              User ops
              Port 2222
              ProxyJump bastion
              ConnectTimeout 7
              ServerAliveInterval 15
            Host web-alias
              HostName 10.1.2.3
            """;

    /** Hosts reached through a command, through a bastion, and mistakes (used by SshReachCheckTest too). */
    static final String PROXY_CONFIG = """
            Host bastion
              HostName 203.0.113.10
              User jump
            Host 10.0.1.*
              ProxyCommand ssh -W %h:%p jump@bastion
              ControlMaster auto
              ControlPath ~/.ssh/cm-%r@%h:%p
            Host 10.0.2.*
              ProxyJump bastion
              BindAddress 10.0.0.99
            Host evil
              HostName a$(touch /tmp/x)
              ProxyCommand nc %h %p
            Host both
              ProxyJump bastion
              ProxyCommand nc -w 5 %h %p
            """;

    static Inventory inv(String yaml) throws Exception {
        return InventoryLoader.parse("inv.yaml", SafeYaml.read("inv.yaml", yaml), null);
    }

    @Test
    void sshConfigFillsWhatTheInventoryLeavesOpen() throws Exception {
        Inventory i = inv("all:\n  hosts:\n    a: { ansible_host: 10.0.0.5 }\n    b: { ansible_host: 10.0.0.6, ansible_user: root, ansible_port: 22 }\n"
                + "    c: { ansible_host: web-alias }\n");
        OpenSSHConfig cfg = OpenSSHConfig.parse(CONFIG);
        SshEndpoint a = SshEndpoint.resolve(i.host("a"), cfg);
        assertEquals("10.0.0.5", a.host());
        assertEquals(2222, a.port());
        assertEquals("ops", a.user());
        assertTrue(a.become(), "ops is not root: sudo");
        assertEquals(7000, a.connectTimeoutMillis(), "jsch reports ConnectTimeout in ms");
        assertEquals(15000, a.serverAliveMillis(), "and ServerAliveInterval in ms");
        assertEquals(1, a.jumps().size());
        SshEndpoint j = a.jumps().get(0);
        assertEquals("203.0.113.10", j.host());
        assertEquals(2200, j.port());
        assertEquals("jump", j.user());
        assertTrue(j.identities().get(0).endsWith("/.ssh/bastion_key"));

        SshEndpoint b = SshEndpoint.resolve(i.host("b"), cfg);
        assertEquals("root", b.user(), "inventory wins over ssh config");
        assertEquals(22, b.port());
        assertFalse(b.become());

        assertEquals("10.1.2.3", SshEndpoint.resolve(i.host("c"), cfg).host());
    }

    @Test
    void proxyJumpFromAnsibleSshArgs() throws Exception {
        Inventory i = inv("all:\n  hosts:\n    a: { ansible_host: 192.0.2.5, ansible_user: root, "
                + "ansible_ssh_common_args: \"-o ProxyJump=admin@192.0.2.1:2022\" }\n    b: { ansible_host: 192.0.2.6, ansible_ssh_extra_args: \"-J hop1,hop2\" }\n");
        SshEndpoint a = SshEndpoint.resolve(i.host("a"), null);
        assertEquals(List.of("admin@192.0.2.1:2022"), a.jumps().stream().map(SshEndpoint::key).toList());
        SshEndpoint b = SshEndpoint.resolve(i.host("b"), null);
        assertEquals(List.of("hop1", "hop2"), b.jumps().stream().map(SshEndpoint::host).toList());
        assertNull(SshEndpoint.proxyJumpFromArgs("-o StrictHostKeyChecking=no"));
    }

    @Test
    void proxyCommandFromTheConfigOrTheArgsAndNoneTurnsItOff() throws Exception {
        Inventory i = inv("all:\n  hosts:\n    a: { ansible_host: 10.0.1.5, ansible_user: root }\n"
                + "    b: { ansible_host: 10.0.1.6, ansible_ssh_common_args: \"-o ProxyCommand=none\" }\n"
                + "    c: { ansible_host: 10.0.2.7, ansible_ssh_extra_args: \"-o 'ProxyCommand=cloudflared access ssh --hostname %h'\" }\n"
                + "    d: { ansible_host: 10.0.1.8, ansible_ssh_common_args: \"-J hop -o ProxyCommand='nc %h %p'\" }\n");
        OpenSSHConfig cfg = OpenSSHConfig.parse(PROXY_CONFIG);
        SshEndpoint a = SshEndpoint.resolve(i.host("a"), cfg);
        assertEquals("ssh -W 10.0.1.5:22 jump@bastion", a.proxyCommandLine("10.0.1.5"));
        assertEquals("ssh config", a.proxyCommand().source());
        assertTrue(a.jumps().isEmpty());
        SshEndpoint b = SshEndpoint.resolve(i.host("b"), cfg);
        assertNull(b.proxyCommand(), "-o ProxyCommand=none on the command line wins over the config");
        assertTrue(b.jumps().isEmpty());
        SshEndpoint c = SshEndpoint.resolve(i.host("c"), cfg);
        assertEquals("cloudflared access ssh --hostname 10.0.2.7", c.proxyCommandLine("10.0.2.7"));
        assertEquals("ansible_ssh_extra_args", c.proxyCommand().source());
        assertTrue(c.jumps().isEmpty(), "the command line's ProxyCommand beats the config's ProxyJump");
        SshEndpoint d = SshEndpoint.resolve(i.host("d"), cfg);
        assertNull(d.proxyCommand(), "the first of -J and ProxyCommand wins, as in ssh");
        assertEquals(List.of("hop"), d.jumps().stream().map(SshEndpoint::host).toList());
    }
}
