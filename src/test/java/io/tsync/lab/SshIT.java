package io.tsync.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SSH as an ops engineer has it: ProxyJump through a bastion, the ssh-agent, sudo with a password. */
@Tag("lab")
class SshIT {
    static final String KR = "playbooks/kr.yaml";

    @BeforeAll
    static void lab() {
        Lab.up(3);
        Lab.reset("h1", "h2", "h3");
    }

    @Test
    void proxyJumpThroughABastionWhenDirectSshIsDenied(@TempDir Path dir) throws Exception {
        // h2 and h3 refuse SSH from the controller (10.213.0.1); only h1, the bastion, may reach them
        for (String h : List.of("h2", "h3")) {
            Lab.sshOk(h, "printf 'Match Address 10.213.0.1\\n  DenyUsers *\\n' >> /etc/ssh/sshd_config && systemctl reload ssh");
        }
        try {
            Path cfg = dir.resolve("ssh_config");
            Files.writeString(cfg, "Host bastion\n  HostName 10.213.0.11\n  User root\n  IdentityFile " + Lab.DEFAULT.key()
                    + "\nHost 10.213.0.12 10.213.0.13\n  ProxyJump bastion\n");
            Lab.Run direct = Lab.tsync("apply", "--check", "-i", Lab.INVENTORY.toString(), "--limit", "h2,h3", "--ssh-config", "none", KR);
            assertEquals(5, direct.exit(), "direct SSH must be refused, else this test proves nothing:\n" + direct.all());
            Lab.Run r = Lab.tsync("apply", "-i", Lab.INVENTORY.toString(), "--limit", "h2,h3", "--ssh-config", cfg.toString(), KR);
            assertEquals(0, r.exit(), r.all());
            assertTrue(r.out().contains("h2   : ok=0  changed=5") && r.out().contains("h3   : ok=0  changed=5"), r.out());
            Lab.Run again = Lab.tsync("apply", "-i", Lab.INVENTORY.toString(), "--limit", "h2,h3", "--ssh-config", cfg.toString(), KR);
            assertEquals(0, again.exit(), again.all());
            assertTrue(again.out().contains("changed=0"), again.out());
            Lab.Run status = Lab.tsync("status", "-i", Lab.INVENTORY.toString(), "--limit", "h2,h3", "--ssh-config", cfg.toString(), "--wait-synced", "60");
            assertEquals(0, status.exit(), status.all());
        } finally {
            Lab.reset("h2", "h3");
        }
    }

    /**
     * h3 reachable only through a ProxyCommand (ssh -W through h1): its namespace drops SSH from the
     * controller's address. The command comes from the inventory's ansible_ssh_common_args, then from
     * an ssh config; an option tsync does not honour is a warning naming it, the host and the line.
     */
    @Test
    void proxyCommandWhenDirectSshIsDropped(@TempDir Path dir) throws Exception {
        Lab.reset("h3"); // another test of the class may have converged it
        String ns = Lab.DEFAULT.netns("h3");
        Lab.Run block = Lab.run(Duration.ofSeconds(30), List.of("ip", "netns", "exec", ns, "nft", "-f", "-"),
                "table inet tsyncproxy {\n  chain in { type filter hook input priority 0; policy accept; ip saddr 10.213.0.1 tcp dport 22 drop; }\n}\n");
        assertEquals(0, block.exit(), "nft: " + block.all());
        try {
            String proxy = "ssh -i " + Lab.DEFAULT.key() + " -o UserKnownHostsFile=" + Lab.DEFAULT.knownHosts()
                    + " -o StrictHostKeyChecking=yes -o BatchMode=yes -W %h:%p root@10.213.0.11";
            Path inv = dir.resolve("inventory.yaml");
            String lab = Files.readString(Lab.INVENTORY);
            Files.writeString(inv, lab.replace("    h3: { ansible_host: 10.213.0.13,",
                    "    h3: { ansible_host: 10.213.0.13, ansible_ssh_common_args: \"-o 'ProxyCommand=" + proxy + "' -b 10.213.0.1\","));
            int argsLine = Files.readAllLines(inv).stream().filter(l -> l.contains("ProxyCommand")).findFirst().map(Files.readAllLines(inv)::indexOf).orElse(-2) + 1;
            assertTrue(argsLine > 0, Files.readString(inv));

            Lab.Run direct = Lab.tsync("apply", "--check", "-i", Lab.INVENTORY.toString(), "--limit", "h3", "--ssh-config", "none", "--connect-timeout", "3", KR);
            assertEquals(5, direct.exit(), "direct SSH must fail, else this test proves nothing:\n" + direct.all());

            Lab.Run r = Lab.tsync("apply", "-i", inv.toString(), "--limit", "h3", "--ssh-config", "none", KR);
            assertEquals(0, r.exit(), r.all());
            assertTrue(r.out().contains("h3   : ok=0  changed=5"), r.out());
            assertTrue(r.err().contains(inv + ":" + argsLine + ":") && r.err().contains("warning: ansible_ssh_common_args has '-b 10.213.0.1' (BindAddress): "
                    + "tsync does not honour it and connects without it (host h3)"), r.all());
            assertEquals(List.of(), proxiesLeft(), "every ProxyCommand ended with its connection");

            Path cfg = dir.resolve("ssh_config");
            Files.writeString(cfg, "Host 10.213.0.13\n  ProxyCommand " + proxy + "\n");
            Lab.Run again = Lab.tsync("apply", "-i", Lab.INVENTORY.toString(), "--limit", "h3", "--ssh-config", cfg.toString(), KR);
            assertEquals(0, again.exit(), again.all());
            assertTrue(again.out().contains("h3   : ok=5  changed=0"), again.out());
            assertFalse(again.err().contains("warning"), again.all());
        } finally {
            Lab.run(Duration.ofSeconds(30), List.of("ip", "netns", "exec", ns, "nft", "delete", "table", "inet", "tsyncproxy"), null);
            Lab.reset("h3");
        }
    }

    /** ssh -W processes of this lab's key still running (a ProxyCommand tsync did not end). */
    static List<String> proxiesLeft() {
        String key = Lab.DEFAULT.key().toString();
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .map(p -> p.info().commandLine().orElse(""))
                .filter(c -> c.contains(key) && c.contains(" -W ")).toList();
    }

    @Test
    void keysFromTheSshAgent(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("agent.sock");
        Lab.Run agent = Lab.run(Duration.ofSeconds(30), List.of("lab/exec", "ssh-agent", "-a", sock.toString()), null,
                Map.of("TSYNC_LAB", Lab.DEFAULT.name()));
        assertEquals(0, agent.exit(), agent.all());
        String pid = agent.out().replaceAll("(?s).*SSH_AGENT_PID=(\\d+).*", "$1");
        try {
            Lab.Run add = Lab.run(Duration.ofSeconds(30), List.of("ssh-add", Lab.DEFAULT.key().toString()), null,
                    Map.of("SSH_AUTH_SOCK", sock.toString()));
            assertEquals(0, add.exit(), add.all());
            Path inv = dir.resolve("inventory.yaml");
            Files.writeString(inv, Files.readString(Lab.INVENTORY).lines().filter(l -> !l.contains("ansible_ssh_private_key_file"))
                    .map(l -> l + "\n").reduce("", String::concat));
            Path home = Files.createDirectories(dir.resolve("home"));
            Map<String, String> env = Map.of("SSH_AUTH_SOCK", sock.toString(), "HOME", home.toString());
            Lab.Run r = Lab.tsyncWithEnv(env, "apply", "-i", inv.toString(), "--limit", "h1", KR);
            assertEquals(0, r.exit(), r.all());
            Lab.Run noAgent = Lab.tsyncWithEnv(Map.of("HOME", home.toString(), "SSH_AUTH_SOCK", dir.resolve("nothing").toString()),
                    "apply", "--check", "-i", inv.toString(), "--limit", "h1", KR);
            assertEquals(5, noAgent.exit(), "without the agent there is no key:\n" + noAgent.all());
        } finally {
            Lab.run(Duration.ofSeconds(10), List.of("kill", pid), null);
        }
    }

    static final String PASSPHRASE = "Key-Pass-4812";

    /**
     * An encrypted private key: refused before any connection without a passphrase (exit 3, the
     * inventory line and the fix), refused with a wrong one, used with $TSYNC_KEY_PASSPHRASE, and
     * asked for on a terminal (a real pseudo-terminal from script(1)), once for every host.
     */
    @Test
    void encryptedKeyWithAPassphraseFromTheEnvironmentOrAPrompt(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("id_encrypted");
        Lab.Run gen = Lab.run(Duration.ofSeconds(30), List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", PASSPHRASE, "-C", "tsync-it", "-f", key.toString()), null);
        assertEquals(0, gen.exit(), gen.all());
        String pub = Files.readString(Path.of(key + ".pub")).strip();
        assertTrue(pub.matches("ssh-ed25519 [A-Za-z0-9+/=]+ tsync-it"), pub);
        Path inv = dir.resolve("inventory.yaml");
        Files.writeString(inv, Files.readString(Lab.INVENTORY).replaceAll("ansible_ssh_private_key_file: .*", "ansible_ssh_private_key_file: " + key));
        int keyLine = Files.readAllLines(inv).indexOf("    ansible_ssh_private_key_file: " + key) + 1;
        assertTrue(keyLine > 0, Files.readString(inv));
        List<String> args = List.of("apply", "-i", inv.toString(), "--limit", "h1,h2", KR);
        try {
            Lab.reset("h1", "h2");
            for (String h : List.of("h1", "h2")) {
                Lab.sshOk(h, "echo '" + pub + "' >> /root/.ssh/authorized_keys");
            }
            Lab.Run none = noAgent(Map.of(), args);
            assertEquals(3, none.exit(), none.all());
            assertTrue(none.err().contains(inv + ":" + keyLine + ":") && none.err().contains("is encrypted and no passphrase was given")
                    && none.err().contains("fix: set TSYNC_KEY_PASSPHRASE"), none.all());
            Lab.Run wrong = noAgent(Map.of("TSYNC_KEY_PASSPHRASE", "Not-The-Pass-99"), args);
            assertEquals(3, wrong.exit(), wrong.all());
            assertTrue(wrong.err().contains("wrong passphrase for the private key " + key), wrong.all());
            assertFalse(wrong.all().contains("Not-The-Pass-99"), "the passphrase never appears in output");
            assertEquals("Etc/UTC", Lab.timezone("h1"), "refused before connecting: nothing ran");

            Lab.Run env = noAgent(Map.of("TSYNC_KEY_PASSPHRASE", PASSPHRASE), args);
            assertEquals(0, env.exit(), env.all());
            assertTrue(env.out().contains("h1   : ok=0  changed=5") && env.out().contains("h2   : ok=0  changed=5"), env.out());
            assertFalse(env.all().contains(PASSPHRASE), "the passphrase never appears in output");

            // on a terminal: asked once per key (not per host), a wrong answer asks again
            Lab.Terminal t = Lab.Terminal.start(dir, Map.of(), List.of("java", "-jar", Lab.JAR.toString(), "apply", "-i", inv.toString(), "--limit", "h1,h2", KR));
            t.await("Enter passphrase for key '" + key + "': ", 1);
            t.type("wrong-answer\n");
            t.await("Bad passphrase, try again.", 1);
            t.await("Enter passphrase for key '" + key + "': ", 2);
            t.type(PASSPHRASE + "\n");
            String screen = t.finish(Duration.ofMinutes(2));
            assertEquals(0, t.exit(), screen);
            assertTrue(screen.contains("h1   : ok=5  changed=0") && screen.contains("h2   : ok=5  changed=0"), screen);
            assertEquals(2, screen.split("Enter passphrase", -1).length - 1, "two prompts (one wrong answer), not one per host:\n" + screen);
            assertFalse(screen.contains(PASSPHRASE) || screen.contains("wrong-answer"), "typed passphrases are not echoed:\n" + screen);
        } finally {
            Lab.reset("h1", "h2");
        }
    }

    /** tsync in the lab without an ssh-agent (one in the caller's environment would stand in for the key). */
    static Lab.Run noAgent(Map<String, String> env, List<String> args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("lab/exec", "env", "-u", "SSH_AUTH_SOCK", "java", "-XX:+UseSerialGC", "-jar", Lab.JAR.toString()));
        cmd.addAll(args);
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("TSYNC_LAB", Lab.DEFAULT.name());
        return Lab.run(Duration.ofMinutes(5), cmd, null, all);
    }

    @Test
    void sudoWithAPasswordFromTheEnvironmentNeverShowsIt(@TempDir Path dir) throws Exception {
        Path inv = Lab.inventoryWith(dir, "ops");
        Lab.reset("h3");
        Lab.Run wrong = Lab.tsyncWithEnv(Map.of("TSYNC_BECOME_PASSWORD", "Wrong-Pw-7731"), "apply", "-i", inv.toString(), "--limit", "h3", KR);
        assertTrue(wrong.exit() == 4 || wrong.exit() == 5, wrong.all());
        assertTrue(wrong.all().contains("become password was rejected"), wrong.all());
        assertFalse(wrong.all().contains("Wrong-Pw-7731"), "the password never appears in output");
        assertEquals("Etc/UTC", Lab.timezone("h3").strip(), "nothing ran");
        Lab.Run ok = Lab.tsyncWithEnv(Map.of("TSYNC_BECOME_PASSWORD", "ops-lab-pw"), "apply", "--diff", "-i", inv.toString(), "--limit", "h3", KR);
        assertEquals(0, ok.exit(), ok.all());
        assertFalse(ok.all().contains("ops-lab-pw"), "the password never appears in output");
        assertEquals("Asia/Seoul", Lab.timezone("h3").strip());
        Lab.Run none = Lab.tsync("apply", "-i", inv.toString(), "--limit", "h3", KR);
        assertTrue(none.all().contains("TSYNC_BECOME_PASSWORD"), "says how to give the password:\n" + none.all());
    }
}
