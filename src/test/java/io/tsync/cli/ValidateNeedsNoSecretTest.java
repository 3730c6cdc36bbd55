package io.tsync.cli;

import static io.tsync.cli.BadInputTest.contacted;
import static io.tsync.cli.BadInputTest.listener;
import static io.tsync.cli.InProcess.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.KeyPair;
import io.tsync.cli.InProcess.Run;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/gitops.md runs {@code tsync validate} on pull requests from forks, where no secret exists:
 * no private key file, often no known_hosts. Validate passes there with a note; apply, status and
 * facts refuse the same inventory before any connection, naming each missing file where the
 * inventory names it.
 */
class ValidateNeedsNoSecretTest {
    @TempDir
    Path dir;

    static final String PLAYBOOK = """
            hosts: all
            timezone: Asia/Seoul
            """;

    /** Three hosts on a socket nobody may connect to; the key file and known_hosts do not exist. */
    Path[] stage(int port, String keyFile) throws Exception {
        Path inv = Files.writeString(dir.resolve("inventory.yaml"), """
                all:
                  vars:
                    ansible_user: deploy
                    ansible_ssh_private_key_file: %s
                    ansible_host: 127.0.0.1
                    ansible_port: %d
                    tsync_known_hosts: ci/known_hosts
                  hosts:
                    web1:
                    web2:
                    db1:
                """.formatted(keyFile, port));
        Path pb = Files.writeString(dir.resolve("site.yaml"), PLAYBOOK);
        return new Path[] {inv, pb};
    }

    @Test
    void validatePassesWithANoteForEachMissingFile() throws Exception {
        try (ServerSocket listener = listener()) {
            Path[] f = stage(listener.getLocalPort(), "keys/deploy_ed25519");
            Run r = run("validate", "-i", f[0].toString(), f[1].toString());
            assertEquals(ExitCodes.OK, r.exit(), r.err());
            assertTrue(r.out().contains("valid; 3 host(s) selected"), r.out());
            assertTrue(r.err().contains("note: " + f[0] + ":4:35: private key file 'keys/deploy_ed25519' of hosts web1, web2, db1 is missing or unreadable\n"), r.err());
            assertTrue(r.err().contains("note: " + f[0] + ":7:24: known_hosts file " + dir.resolve("ci/known_hosts")
                    + " (tsync_known_hosts of hosts web1, web2, db1) does not exist\n"), r.err());
            assertTrue(r.err().contains("validate does not need this file; apply, status and facts refuse to start without it"), r.err());
            assertEquals(2, r.err().lines().filter(l -> l.startsWith("note: ")).count(), "one note per file, not per host:\n" + r.err());
            assertFalse(contacted(listener), "validate connects to nothing");
        }
    }

    @Test
    void applyStatusAndFactsRefuseTheSameInventoryBeforeConnecting() throws Exception {
        try (ServerSocket listener = listener()) {
            Path[] f = stage(listener.getLocalPort(), "keys/deploy_ed25519");
            String inv = f[0].toString();
            for (List<String> args : List.of(
                    List.of("apply", "-i", inv, f[1].toString()),
                    List.of("apply", "--check", "-i", inv, f[1].toString()),
                    List.of("status", "-i", inv),
                    List.of("status", "-i", inv, f[1].toString()),
                    List.of("facts", "-i", inv))) {
                Run r = run(args.toArray(String[]::new));
                assertEquals(ExitCodes.INVALID_INPUT, r.exit(), args + ":\n" + r.out() + r.err());
                assertTrue(r.err().startsWith(inv + ":4:35: private key file 'keys/deploy_ed25519' of hosts web1, web2, db1 is missing or unreadable\n"
                        + "  fix: fix the path"), args + ":\n" + r.err());
                assertTrue(r.err().contains("\n" + inv + ":7:24: known_hosts file " + dir.resolve("ci/known_hosts") + " (tsync_known_hosts of hosts web1, web2, db1) does not exist\n"
                        + "  fix: create it (ssh-keyscan"), args + ":\n" + r.err());
                assertFalse(r.err().contains("note:"), r.err());
            }
            assertFalse(contacted(listener), "refused before any connection");
        }
    }

    @Test
    void aMissingKnownHostsOptionIsANoteForValidateAndRefusedByApply() throws Exception {
        try (ServerSocket listener = listener()) {
            Path[] f = stage(listener.getLocalPort(), "id_test");
            Files.write(dir.resolve("id_test"), key(null));
            Path kh = dir.resolve("nowhere/known_hosts");
            Run v = run("validate", "--known-hosts", kh.toString(), "-i", f[0].toString(), f[1].toString());
            assertEquals(ExitCodes.OK, v.exit(), v.err());
            assertTrue(v.err().startsWith("note: --known-hosts: known_hosts file " + kh + " (--known-hosts) does not exist\n"), v.err());
            Run a = run("apply", "--known-hosts", kh.toString(), "-i", f[0].toString(), f[1].toString());
            assertEquals(ExitCodes.INVALID_INPUT, a.exit(), a.out() + a.err());
            assertTrue(a.err().startsWith("--known-hosts: known_hosts file " + kh + " (--known-hosts) does not exist\n  fix: "), a.err());
            Run accept = run("validate", "--known-hosts", kh.toString(), "--accept-new-hostkeys", "-i", f[0].toString(), f[1].toString());
            assertEquals("", accept.err(), "--accept-new-hostkeys creates the file: nothing to note");
            for (String mode : List.of("--check", "--accept-new-hostkeys")) {
                Run devNull = run("apply", mode, "--known-hosts", "/dev/null", "-i", f[0].toString(), f[1].toString());
                assertEquals(ExitCodes.INVALID_INPUT, devNull.exit(), devNull.out() + devNull.err());
                assertTrue(devNull.err().startsWith("--known-hosts: known_hosts file /dev/null (--known-hosts) is not a regular file (a device)\n"
                        + "  fix: name a regular file"), devNull.err());
            }
            assertFalse(contacted(listener));
        }
    }

    @Test
    void validateNeverAsksForAKeyPassphrase() throws Exception {
        try (ServerSocket listener = listener()) {
            Path[] f = stage(listener.getLocalPort(), "id_encrypted");
            Files.write(dir.resolve("id_encrypted"), key("a passphrase nobody gives".getBytes(StandardCharsets.UTF_8)));
            Files.createDirectories(dir.resolve("ci"));
            Files.writeString(dir.resolve("ci/known_hosts"), "");
            Run r = run("validate", "-i", f[0].toString(), f[1].toString());
            assertEquals(ExitCodes.OK, r.exit(), r.err());
            assertEquals("", r.err(), "no prompt, no locked-key error: validate does not read the key");
            assertFalse(contacted(listener));
        }
    }

    static byte[] key(byte[] passphrase) throws Exception {
        KeyPair kp = KeyPair.genKeyPair(new JSch(), KeyPair.ECDSA, 256);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        kp.writePrivateKey(out, passphrase);
        return out.toByteArray();
    }
}
