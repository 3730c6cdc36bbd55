package io.tsync.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.KeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The known_hosts index answers every lookup as JSch's full scan does (bench/fanout: the scan, twice
 * per connection under one lock, made 1,000 hosts quadratic), and steps aside for lines it cannot place.
 */
class KnownHostsRepositoryTest {
    @TempDir
    Path dir;

    static byte[] blob(int type, int bits) throws Exception {
        return KeyPair.genKeyPair(new JSch(), type, bits).getPublicKeyBlob();
    }

    static String line(String names, byte[] blob) {
        return names + " " + KnownHostsRepository.keyType(blob) + " " + Base64.getEncoder().encodeToString(blob);
    }

    @Test
    void indexAnswersAsTheFullScan() throws Exception {
        byte[] a = blob(KeyPair.ED25519, 0);
        byte[] b = blob(KeyPair.ED25519, 0);
        byte[] rsa = blob(KeyPair.RSA, 1024);
        Path file = dir.resolve("known_hosts");
        Files.write(file, List.of(
                "# a comment",
                line("web1,10.0.0.1", a),
                line("web1", rsa),
                line("Web2", b),
                line("[web3]:2222", a),
                line("web4", b),
                ""));
        KnownHostsRepository indexed = new KnownHostsRepository(file, false);
        JSch plain = new JSch();
        plain.setKnownHosts(file.toString());
        HostKeyRepository scan = plain.getHostKeyRepository();
        String[] hosts = {"web1", "10.0.0.1", "WEB1", "web2", "[web3]:2222", "web3", "[web4]:2222", "[web1]:22", "nope", "web"};
        for (String h : hosts) {
            for (byte[] k : new byte[][] {a, b, rsa}) {
                assertEquals(scan.check(h, k), indexed.check(h, k), "check(" + h + ")");
            }
            for (String type : new String[] {null, "ssh-ed25519", "ssh-rsa"}) {
                assertEquals(scan.getHostKey(h, type).length, indexed.getHostKey(h, type).length, "getHostKey(" + h + ", " + type + ")");
            }
        }
        assertEquals(HostKeyRepository.OK, indexed.check("10.0.0.1", a));
        assertEquals(HostKeyRepository.CHANGED, indexed.check("web1", b));
        assertEquals(HostKeyRepository.NOT_INCLUDED, indexed.check("nope", a));
        assertNotNull(indexed.refusal("web1"));
    }

    @Test
    void linesAnIndexCannotPlaceKeepTheFullScan() throws Exception {
        byte[] a = blob(KeyPair.ED25519, 0);
        assertNull(KnownHostsRepository.index(List.of(line("*.example.com", a))), "a pattern matches hosts it does not name");
        assertNull(KnownHostsRepository.index(List.of(line("|1|c2FsdA==|aGFzaA==", a))), "a hashed name");
        assertNull(KnownHostsRepository.index(List.of("@revoked " + line("web1", a))), "a marker");
        assertNull(KnownHostsRepository.index(List.of(line("web1,!web2", a))), "a negation");
        Path file = dir.resolve("kh");
        Files.write(file, List.of(line("*.example.com", a), line("web1", a)));
        KnownHostsRepository r = new KnownHostsRepository(file, false);
        JSch plain = new JSch();
        plain.setKnownHosts(file.toString());
        assertEquals(plain.getHostKeyRepository().check("db.example.com", a), r.check("db.example.com", a), "as JSch reads the pattern");
        assertEquals(HostKeyRepository.OK, r.check("web1", a));
    }

    @Test
    void acceptNewRecordsAndThenKnowsTheKey() throws Exception {
        byte[] a = blob(KeyPair.ED25519, 0);
        Path file = dir.resolve("new_known_hosts");
        KnownHostsRepository r = new KnownHostsRepository(file, true);
        assertEquals(HostKeyRepository.OK, r.check("web9", a));
        assertEquals(HostKeyRepository.OK, r.check("web9", a));
        assertEquals(1, Files.readAllLines(file).size());
        assertEquals(HostKeyRepository.OK, new KnownHostsRepository(file, false).check("web9", a), "recorded for the next run");
    }
}
