package io.tsync.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.model.Daemon;
import io.tsync.model.NtpSpec;
import io.tsync.model.TrustedCerts;
import io.tsync.platform.DaemonOptions;
import io.tsync.platform.Platforms;
import io.tsync.render.Renderer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nts_trusted_certs}: read and checked offline, relative to the playbook, rendered as chrony's ntstrustedcerts. */
class NtsTrustedCertsTest {
    static final Path FIXTURES = Path.of("src/test/resources/nts");

    @TempDir
    Path dir;

    private Path playbook(String certs, String daemon) throws Exception {
        Path pb = dir.resolve("pb.yaml");
        Files.writeString(pb, "hosts: all\nntp:\n  daemon: " + daemon + "\n  servers:\n    - { host: nts.example.net, nts: true }\n"
                + "  nts_trusted_certs: " + certs + "\n");
        return pb;
    }

    private Problem problem(String certs) throws Exception {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PlaybookLoader.load(playbook(certs, "chrony")));
        assertEquals(1, e.problems().size(), e.problems().toString());
        return e.problems().get(0);
    }

    @Test
    void loadsTheCertificatesRelativeToThePlaybookWithTheirLocation() throws Exception {
        Files.createDirectories(dir.resolve("certs"));
        Files.copy(FIXTURES.resolve("bundle.pem"), dir.resolve("certs/ca.pem"));
        NtpSpec ntp = PlaybookLoader.load(playbook("certs/ca.pem", "chrony")).plays().get(0).ntp();
        TrustedCerts c = ntp.advanced().ntsTrustedCerts();
        assertEquals(dir.resolve("certs/ca.pem").toAbsolutePath().normalize().toString(), c.file());
        assertEquals(List.of("CN=tsync test CA", "CN=tsync other CA"), c.subjects());
        assertEquals(6, c.at().line());
        assertEquals(Files.readString(FIXTURES.resolve("ca.pem")) + Files.readString(FIXTURES.resolve("other.pem")), c.pem(),
                "the certificate blocks only: the text around them is not copied to hosts");
        assertEquals(List.of(), NtpChecks.problems(ntp));
    }

    @Test
    void aMissingFileIsRefusedAtThePlaybooksLine() throws Exception {
        Problem p = problem("certs/none.pem");
        assertEquals(dir.resolve("pb.yaml").toString(), p.file());
        assertEquals(6, p.line());
        assertEquals(22, p.column());
        assertTrue(p.message().contains("does not exist"), p.message());
    }

    @Test
    void aPrivateKeyInTheFileIsRefusedAtItsOwnLine() throws Exception {
        Files.writeString(dir.resolve("ca.pem"), Files.readString(FIXTURES.resolve("ca.pem"))
                + "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        Problem p = problem("ca.pem");
        assertEquals(dir.resolve("ca.pem").toString(), p.file());
        assertEquals(Files.readString(FIXTURES.resolve("ca.pem")).lines().count() + 1, p.line());
        assertEquals(1, p.column());
        assertTrue(p.message().startsWith("a PRIVATE KEY block, not a certificate (named by nts_trusted_certs at " + dir.resolve("pb.yaml") + ":6:22)"),
                p.message());
        assertTrue(p.fix().contains("remove the private key"), p.fix());
    }

    @Test
    void aDamagedCertificateAndAFileWithoutCertificatesAreRefused() throws Exception {
        List<String> lines = Files.readAllLines(FIXTURES.resolve("ca.pem"));
        lines.set(3, "AAAA" + lines.get(3).substring(4));
        Files.write(dir.resolve("broken.pem"), lines);
        Problem p = problem("broken.pem");
        assertEquals(1, p.line());
        assertTrue(p.message().startsWith("this PEM block is not an X.509 certificate"), p.message());

        Files.writeString(dir.resolve("empty.pem"), "just text\n");
        assertTrue(problem("empty.pem").message().contains("holds no PEM certificate"));
        Files.writeString(dir.resolve("cut.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n");
        assertTrue(problem("cut.pem").message().startsWith("certificate without its -----END CERTIFICATE----- line"));
    }

    @Test
    void anExpiredCertificateIsRefused() throws Exception {
        Nodes n = new Nodes(FIXTURES.resolve("pb.yaml").toString());
        var node = SafeYaml.read("pb.yaml", "ca.pem");
        assertNull(TrustedCertsFile.read(n, node, Instant.parse("2200-01-01T00:00:00Z")));
        assertTrue(n.problems.get(0).message().startsWith("certificate CN=tsync test CA expired on 21"), n.problems.get(0).message());
        Nodes now = new Nodes(FIXTURES.resolve("pb.yaml").toString());
        assertEquals(List.of("CN=tsync test CA"), TrustedCertsFile.read(now, node, Instant.now()).subjects());
    }

    @Test
    void chronyRendersNtstrustedcertsAtThePlatformsPathAndNtpdRefusesIt() throws Exception {
        Files.copy(FIXTURES.resolve("ca.pem"), dir.resolve("ca.pem"));
        NtpSpec ntp = PlaybookLoader.load(playbook("ca.pem", "chrony")).plays().get(0).ntp();
        var debian = Platforms.lookup("debian", "", "12").orElseThrow().daemon(Daemon.CHRONY).orElseThrow();
        String conf = new Renderer(null).render(debian, ntp);
        assertTrue(conf.contains("server nts.example.net iburst nts\n"), conf);
        assertTrue(conf.contains("\nntstrustedcerts /etc/chrony/tsync-nts-ca.pem\n"), conf);
        var rhel = Platforms.lookup("rocky", "", "9").orElseThrow().daemon(Daemon.CHRONY).orElseThrow();
        assertTrue(new Renderer(null).render(rhel, ntp).contains("\nntstrustedcerts /etc/pki/chrony/tsync-nts-ca.pem\n"));
        assertTrue(!new Renderer(null).render(debian, ntp.withAdvanced(NtpSpec.Advanced.NONE)).contains("ntstrustedcerts"));

        List<Problem> refused = assertThrows(InvalidInputException.class, () -> PlaybookLoader.load(playbook("ca.pem", "ntpd"))).problems();
        assertTrue(refused.stream().anyMatch(p -> p.message().equals("'nts_trusted_certs' with daemon ntpd: "
                + DaemonOptions.whyNot(Daemon.NTPD, "nts_trusted_certs")) && p.line() == 6), refused.toString());
        var debian10 = Platforms.lookup("debian", "", "10").orElseThrow().daemon(Daemon.CHRONY).orElseThrow();
        assertTrue(DaemonOptions.refusals(ntp, debian10).stream().anyMatch(r -> r.option().equals("nts_trusted_certs")),
                "chrony 3 has no NTS");
    }

    @Test
    void certificatesWithoutAnNtsServerAreWarnedAbout() throws Exception {
        Files.copy(FIXTURES.resolve("ca.pem"), dir.resolve("ca.pem"));
        Path pb = dir.resolve("w.yaml");
        Files.writeString(pb, "hosts: all\nntp:\n  servers: [a.example]\n  nts_trusted_certs: ca.pem\n");
        List<Problem> w = NtpChecks.warnings(PlaybookLoader.load(pb).plays().get(0).ntp());
        assertEquals(1, w.size(), w.toString());
        assertEquals(4, w.get(0).line());
        assertTrue(w.get(0).message().startsWith("nts_trusted_certs is set but no server has nts: true"), w.get(0).message());
        assertEquals(List.of(), NtpChecks.warnings(PlaybookLoader.load(playbook("ca.pem", "chrony")).plays().get(0).ntp()));
    }

    @Test
    void anExtraLineMayNotSetNtstrustedcerts() throws Exception {
        Path pb = dir.resolve("x.yaml");
        Files.writeString(pb, "hosts: all\nntp:\n  servers: [a.example]\n  extra: ['ntstrustedcerts /tmp/x.pem']\n");
        Problem p = assertThrows(InvalidInputException.class, () -> PlaybookLoader.load(pb)).problems().get(0);
        assertTrue(p.message().contains("sets 'ntstrustedcerts', which tsync manages"), p.message());
    }
}
