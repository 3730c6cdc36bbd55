package io.tsync.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.jcraft.jsch.OpenSSHConfig;
import io.tsync.load.Problem;
import io.tsync.model.Inventory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which ssh options tsync honours, which it warns about, and the ProxyCommands it refuses (no SSH). */
class SshReachCheckTest {
    static final String CONFIG = SshEndpointTest.PROXY_CONFIG;


    static SshReachCheck.Result check(Inventory i, String config) throws Exception {
        return SshReachCheck.check(i.hosts(), config == null ? null : OpenSSHConfig.parse(config), config == null ? null : "/home/ops/.ssh/config", config);
    }

    @Test
    void optionsTsyncDoesNotHonourAreWarningsNamingTheOptionTheHostsAndThePlace() throws Exception {
        Inventory i = SshEndpointTest.inv("all:\n  vars:\n    ansible_ssh_common_args: \"-C -o ControlMaster=auto -o ControlPersist=60s -o StrictHostKeyChecking=no\"\n"
                + "  hosts:\n    a: { ansible_host: 10.0.1.5 }\n    b: { ansible_host: 10.0.2.6 }\n"
                + "    c: { ansible_host: 10.0.9.9, ansible_ssh_extra_args: \"-o ProxyUseFdpass=yes -p 2222 -b 10.0.0.3\" }\n");
        SshReachCheck.Result r = check(i, CONFIG);
        assertEquals(List.of(), r.problems());
        List<String> w = r.warnings().stream().map(Problem::render).toList();
        assertEquals(5, w.size(), String.join("\n", w));
        assertTrue(w.get(0).startsWith("inv.yaml:3:30: ansible_ssh_common_args has '-o StrictHostKeyChecking=no' (StrictHostKeyChecking): "
                + "tsync does not honour it and connects without it (hosts a, b, c)\n  fix: tsync checks host keys strictly"), w.get(0));
        assertTrue(w.get(1).startsWith("/home/ops/.ssh/config:10:1: the ssh config sets BindAddress 10.0.0.99: tsync does not honour it and connects without it (host b)"), w.get(1));
        assertTrue(w.get(2).contains("ansible_ssh_extra_args has '-o ProxyUseFdpass=yes' (ProxyUseFdpass)") && w.get(2).contains("(host c)")
                && w.get(2).contains("fix: write a ProxyCommand that relays"), w.get(2));
        assertTrue(w.get(3).contains("'-p 2222' (Port)") && w.get(3).contains("fix: set ansible_port"), w.get(3));
        assertTrue(w.get(4).contains("'-b 10.0.0.3' (BindAddress)"), w.get(4));
        assertTrue(w.stream().noneMatch(x -> x.contains("Control") || x.contains("-C")), "multiplexing and compression change nothing: no warning");
    }

    @Test
    void matchBlocksAndBothProxyJumpAndProxyCommandAreWarnings() throws Exception {
        Inventory i = SshEndpointTest.inv("all:\n  hosts:\n    both: {}\n");
        List<String> w = check(i, CONFIG + "Match host *.corp\n  ProxyJump bastion\n").warnings().stream().map(Problem::render).toList();
        assertEquals(2, w.size(), String.join("\n", w));
        assertTrue(w.get(0).startsWith("/home/ops/.ssh/config:16:1: the ssh config gives both ProxyJump bastion and ProxyCommand nc -w 5 %h %p: tsync uses the ProxyJump (host both)"), w.get(0));
        assertTrue(w.get(1).startsWith("/home/ops/.ssh/config:17:1: the ssh config has a Match block: tsync does not evaluate Match"), w.get(1));
    }

    @Test
    void aHostNameThatWouldBeShellInAProxyCommandIsRefusedWhereItWasSet() throws Exception {
        Inventory i = SshEndpointTest.inv("all:\n  hosts:\n    evil: {}\n    ok: { ansible_host: 10.0.1.5, ansible_user: deploy }\n"
                + "    tok: { ansible_host: 10.0.3.1, ansible_ssh_common_args: \"-o 'ProxyCommand=nc %h %x'\" }\n");
        List<String> p = check(i, CONFIG).problems().stream().map(Problem::render).toList();
        assertEquals(2, p.size(), String.join("\n", p));
        assertEquals("/home/ops/.ssh/config:12:1: host 'evil': host name 'a$(touch /tmp/x)' cannot be put into a ProxyCommand (%h): only a DNS name or an IP address can"
                + " (ProxyCommand from ssh config: nc %h %p)\n  fix: give the host as a DNS name or an IP address", p.get(0));
        assertTrue(p.get(1).startsWith("inv.yaml:5:") && p.get(1).contains("host 'tok': ProxyCommand has the unknown token %x"), p.get(1));
    }

    @Test
    void brokenQuotingInTheArgsIsAnError() throws Exception {
        Inventory i = SshEndpointTest.inv("all:\n  hosts:\n    a: { ansible_host: 10.0.1.5, ansible_ssh_common_args: \"-o 'ProxyCommand=nc %h %p\" }\n");
        List<String> p = check(i, null).problems().stream().map(Problem::render).toList();
        assertEquals(1, p.size(), String.join("\n", p));
        assertTrue(p.get(0).startsWith("inv.yaml:3:") && p.get(0).contains("ansible_ssh_common_args of host 'a' cannot be read as ssh reads it: unclosed '"), p.get(0));
    }

    @Test
    void aProxyJumpPortThatIsNoNumberIsAProblemNotACrash() throws Exception {
        Inventory i = SshEndpointTest.inv("all:\n  hosts:\n    a: { ansible_host: 10.0.2.6 }\n");
        SshReachCheck.Result r = check(i, "Host 10.0.2.*\n  ProxyJump jump@bastion:222(\n");
        assertEquals(1, r.problems().size(), r.problems().toString());
        assertEquals("/home/ops/.ssh/config:2:1: host 'a': ProxyJump hop 'jump@bastion:222(' has the port '222(', which is not a number from 1 to 65535\n"
                + "  fix: write each ProxyJump hop as [user@]host[:port]", r.problems().get(0).render());
    }
}
