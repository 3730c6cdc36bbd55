package io.tsync.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.KeyPair;
import io.tsync.model.Host;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading and decrypting private keys before any connection (no SSH: key files only). */
class SshConnectorKeysTest {
    static final String PASS = "Right-Pass-1";
    @TempDir
    static Path dir;
    static Path encrypted;
    static Path plain;

    @BeforeAll
    static void keys() throws Exception {
        JSch jsch = new JSch();
        KeyPair kp = KeyPair.genKeyPair(jsch, KeyPair.RSA, 2048);
        encrypted = write(kp, "id_encrypted", PASS.getBytes(StandardCharsets.UTF_8));
        plain = write(kp, "id_plain", null);
    }

    static Path write(KeyPair kp, String name, byte[] pass) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        kp.writePrivateKey(out, pass);
        return Files.write(dir.resolve(name), out.toByteArray());
    }

    @BeforeEach
    void noAgent() {
        assumeTrue(System.getenv("SSH_AUTH_SOCK") == null, "an ssh-agent would stand in for a locked key");
    }

    static Host host(String name, Path key) {
        return new Host(name, "192.0.2.1", 22, "root", key.toString(), false, Map.of(), List.of());
    }

    static SshConnector connector(SshConnector.Passphrases p) {
        return new SshConnector(h -> dir.resolve("known_hosts"), false,
                new SshOptions(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), null), null, p);
    }

    @Test
    void anEncryptedKeyWithoutAPassphraseIsReportedWithTheFix() {
        List<SshConnector.LockedKey> locked = connector((key, attempt) -> null).unlockKeys(List.of(host("a", encrypted)));
        assertEquals(1, locked.size());
        assertTrue(locked.get(0).problem().equals("the private key " + encrypted + " is encrypted and no passphrase was given"), locked.toString());
        assertTrue(locked.get(0).fix().contains("TSYNC_KEY_PASSPHRASE") && locked.get(0).fix().contains("ssh-add " + encrypted), locked.toString());
    }

    @Test
    void aPromptIsAskedOncePerKeyFileForAllHostsAndAgainAfterAWrongAnswer() {
        List<String> asked = new ArrayList<>();
        SshConnector c = connector((key, attempt) -> {
            asked.add(key + "#" + attempt);
            return (attempt == 1 ? "wrong" : PASS).getBytes(StandardCharsets.UTF_8);
        });
        assertEquals(List.of(), c.unlockKeys(List.of(host("a", encrypted), host("b", encrypted), host("c", plain))));
        assertEquals(List.of(encrypted + "#1", encrypted + "#2"), asked);
        assertEquals(List.of(), c.unlockKeys(List.of(host("d", encrypted))));
        assertEquals(2, asked.size(), "a decrypted key is not asked for again");
    }

    @Test
    void aWrongPassphraseThatCannotBeAskedAgainIsReported() {
        SshConnector c = connector((key, attempt) -> attempt == 1 ? "wrong".getBytes(StandardCharsets.UTF_8) : null);
        List<SshConnector.LockedKey> locked = c.unlockKeys(List.of(host("a", encrypted), host("b", encrypted)));
        assertEquals(1, locked.size(), "one report per key file, not per host: " + locked);
        assertEquals("wrong passphrase for the private key " + encrypted, locked.get(0).problem());
    }

    @Test
    void aPlainKeyNeedsNoPassphrase() {
        assertEquals(List.of(), connector((key, attempt) -> {
            throw new AssertionError("asked for " + key);
        }).unlockKeys(List.of(host("a", plain))));
    }

    @Test
    void aFileThatIsNoKeyIsReported() throws Exception {
        Path junk = Files.writeString(dir.resolve("not-a-key"), "hello\n");
        List<SshConnector.LockedKey> locked = connector((key, attempt) -> null).unlockKeys(List.of(host("a", junk)));
        assertEquals(1, locked.size());
        assertTrue(locked.get(0).problem().startsWith("cannot read the private key " + junk), locked.toString());
    }
}
