package io.tsync.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.jcraft.jsch.OpenSSHConfig;
import io.tsync.load.InvalidInputException;
import io.tsync.load.InventoryLoader;
import io.tsync.load.SafeYaml;
import io.tsync.model.Host;
import io.tsync.model.Inventory;
import io.tsync.transport.SshEndpoint;
import io.tsync.transport.SshReachCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An OpenSSH config (~/.ssh/config or --ssh-config) as tsync reads it for a few hosts: parsed, checked
 * before any host is contacted ({@link SshReachCheck}), then each host's endpoint resolved as the
 * connector does. A config the check accepts must resolve for every host, ProxyCommand included.
 * Seeds: src/test/resources/io/tsync/fuzz/SshConfigFuzzTestInputs/fuzz.
 */
class SshConfigFuzzTest {
    private static final List<Host> HOSTS = hosts();

    private static List<Host> hosts() {
        String yaml = """
                all:
                  hosts:
                    a: { ansible_host: 10.0.1.5 }
                    b: { ansible_host: db.example.com, ansible_user: deploy, ansible_port: 2222 }
                    c: { ansible_host: 10.0.2.7, ansible_ssh_common_args: "-o ProxyCommand=none" }
                    d: { ansible_ssh_extra_args: "-J jump@bastion:2200" }
                    bastion: {}
                """;
        try {
            Inventory i = InventoryLoader.parse("inv.yaml", SafeYaml.read("inv.yaml", yaml), null);
            return i.hosts();
        } catch (InvalidInputException e) {
            throw new AssertionError(e);
        }
    }

    @FuzzTest
    void fuzz(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        OpenSSHConfig cfg;
        try {
            cfg = OpenSSHConfig.parse(text);
        } catch (IOException e) {
            return;
        }
        SshReachCheck.Result r = SshReachCheck.check(HOSTS, cfg, "ssh_config", text);
        if (!r.problems().isEmpty()) {
            return;
        }
        for (Host h : HOSTS) {
            SshEndpoint e = SshEndpoint.resolve(h, cfg);
            if (e.proxyCommand() != null) {
                e.proxyCommandLine(h.address());
            }
            if (e.proxyCommand() == null && !e.jumps().isEmpty() && e.jumps().get(0).proxyCommand() != null) {
                e.jumps().get(0).proxyCommandLine(e.jumps().get(0).name()); // the first bastion, as the connector reaches it
            }
        }
    }
}
