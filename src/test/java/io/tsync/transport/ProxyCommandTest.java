package io.tsync.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.KeyPair;
import io.tsync.model.Host;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ProxyCommand: its tokens, the names refused in it, and the process behind a connection (no SSH server). */
class ProxyCommandTest {
    static final ProxyCommand W = new ProxyCommand("ssh -W %h:%p -l %r bastion # %n 100%%", "ansible_ssh_common_args");

    @Test
    void expandsTheTokensOpenSshHas() {
        assertEquals("ssh -W 10.0.0.5:2222 -l deploy bastion # web1.example.com 100%", W.expand("10.0.0.5", "web1.example.com", 2222, "deploy"));
        assertEquals("ssh -W [fd00::5]:22 x", new ProxyCommand("ssh -W [%h]:%p x", "f").expand("fd00::5", "fd00::5", 22, "root"));
    }

    @Test
    void refusesNamesThatWouldBeShellInTheCommand() {
        IllegalArgumentException h = assertThrows(IllegalArgumentException.class, () -> W.expand("x;touch /tmp/pwned", "web1", 22, "deploy"));
        assertTrue(h.getMessage().contains("host name 'x;touch /tmp/pwned' cannot be put into a ProxyCommand (%h)"), h.getMessage());
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class, () -> W.expand("10.0.0.5", "$(id)", 22, "deploy"));
        assertTrue(n.getMessage().contains("(%n)"), n.getMessage());
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class, () -> W.expand("10.0.0.5", "web1", 22, "a`id`"));
        assertTrue(r.getMessage().contains("user name 'a`id`'"), r.getMessage());
        // a name the command does not use is not checked: the command is the user's own
        assertEquals("nc proxy 22", new ProxyCommand("nc proxy %p", "f").expand("x;y", "x;y", 22, "a b"));
    }

    @Test
    void refusesTokensItDoesNotKnow() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ProxyCommand("nc %h %d", "f").expand("h", "h", 22, "u"));
        assertTrue(e.getMessage().contains("unknown token %d"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ProxyCommand("nc %h 100%", "f").expand("h", "h", 22, "u"));
    }

    @TempDir
    Path dir;

    SshConnector connector(Duration connectTimeout) throws Exception {
        Files.writeString(dir.resolve("known_hosts"), "");
        return new SshConnector(h -> dir.resolve("known_hosts"), false,
                new SshOptions(connectTimeout, Duration.ofSeconds(5), Duration.ofSeconds(5), null), null, (f, a) -> null);
    }

    Host host(String args) throws Exception {
        KeyPair kp = KeyPair.genKeyPair(new JSch(), KeyPair.ECDSA, 256);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        kp.writePrivateKey(out, null);
        Path key = Files.write(dir.resolve("id"), out.toByteArray());
        return SshEndpointTest.inv("all:\n  hosts:\n    web1:\n      ansible_host: 192.0.2.7\n      ansible_user: root\n      ansible_ssh_private_key_file: " + key
                + "\n      ansible_ssh_common_args: " + args + "\n").host("web1");
    }

    @Test
    void aCommandThatExitsEarlyIsNamedWithItsExitCodeAndStderr() throws Exception {
        Host h = host("\"-o 'ProxyCommand=ls /nonexistent-%h:%p'\"");
        long t0 = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> connector(Duration.ofSeconds(20)).open(h));
        String m = e.getMessage();
        assertTrue(m.startsWith("web1: ProxyCommand exited with code 2 before the SSH connection was up (ProxyCommand: ls /nonexistent-192.0.2.7:22)"), m);
        assertTrue(m.contains("its stderr:\n    ls: cannot access '/nonexistent-192.0.2.7:22'"), m);
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "an exit is seen at once, not at the connect timeout");
    }

    @Test
    void aCommandThatHangsIsKilledAtTheConnectTimeout() throws Exception {
        Host h = host("\"-o 'ProxyCommand=sleep 61.25'\"");
        IOException e = assertThrows(IOException.class, () -> connector(Duration.ofSeconds(1)).open(h));
        assertTrue(e.getMessage().startsWith("web1: ProxyCommand gave no SSH connection within 1 s (killed) (ProxyCommand: sleep 61.25); it wrote nothing"),
                e.getMessage());
        assertEquals(List.of(), ProcessHandle.current().descendants().filter(p -> p.isAlive() && String.join(" ", p.info().arguments().orElse(new String[0])).contains("61.25"))
                .toList(), "the command is killed and reaped");
    }

    @Test
    void closingEndsTheCommand() throws Exception {
        CommandProxy p = new CommandProxy("web1", "sleep 60", null);
        p.connect(null, "web1", 22, 0);
        Process proc = p.process();
        assertTrue(proc.isAlive());
        for (int i = 0; i < 40 && !proc.info().command().orElse("sleep").endsWith("sleep"); i++) {
            Thread.sleep(50);
        }
        assertTrue(proc.info().command().orElse("sleep").endsWith("sleep"), "exec: the process is the command itself, not a shell waiting for it");
        p.close();
        assertFalse(proc.isAlive());
        p.close();
    }

    @Test
    void hostsWithoutACommandAreReachedDirectly() throws Exception {
        assertEquals(null, SshEndpoint.resolve(new Host("a", "192.0.2.1", 22, "root", null, false, Map.of(), List.of()), null).proxyCommand());
    }
}
