package io.tsync.load;

import io.tsync.model.TrustedCerts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads {@code nts_trusted_certs: FILE} (a PEM file beside the playbook) when the playbook is loaded:
 * it must exist and hold X.509 certificates only. A problem inside the file names the file's own line;
 * a private key there is refused, since whatever the file holds is copied to every host.
 */
final class TrustedCertsFile {
    private TrustedCertsFile() {}

    static final int MAX_BYTES = 1 << 20;
    private static final String BEGIN = "-----BEGIN ";
    private static final String CERT = "CERTIFICATE";

    /** The file's certificates, or null after recording a problem. {@code now} decides what has expired. */
    static TrustedCerts read(Nodes n, Node node, Instant now) {
        String f = n.string(node, "nts_trusted_certs");
        if (f == null) {
            return null;
        }
        if (f.isBlank() || f.indexOf('\0') >= 0 || f.contains("\n")) {
            n.problem(node, "nts_trusted_certs is not a file name", "write the path of a PEM file relative to this file, e.g. certs/ntp-ca.pem");
            return null;
        }
        Path base = Path.of(n.file).toAbsolutePath().getParent();
        Path p = (base == null ? Path.of(f) : base.resolve(f)).normalize();
        byte[] bytes;
        try {
            if (Files.size(p) > MAX_BYTES) {
                n.problem(node, "nts_trusted_certs " + p + " is larger than 1 MiB", "name a file with just the CA certificate(s) the hosts should trust");
                return null;
            }
            bytes = Files.readAllBytes(p);
        } catch (IOException e) {
            n.problem(node, "nts_trusted_certs " + p + " does not exist or cannot be read",
                    "put the CA certificate (PEM) of your NTS servers there, relative to " + n.file);
            return null;
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        String where = " (named by nts_trusted_certs at " + n.where(node) + ")";
        String[] lines = text.split("\r?\n", -1);
        StringBuilder pem = new StringBuilder();
        List<String> subjects = new ArrayList<>();
        int before = n.problems.size();
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (!l.startsWith(BEGIN)) {
                continue;
            }
            String type = l.substring(BEGIN.length()).replaceAll("-+$", "");
            int start = i;
            int end = -1;
            for (int j = i + 1; j < lines.length; j++) {
                if (lines[j].strip().startsWith("-----END ")) {
                    end = j;
                    break;
                }
            }
            if (!type.equals(CERT)) {
                n.problems.add(new Problem(p.toString(), start + 1, 1, "a " + type + " block, not a certificate" + where,
                        type.contains("PRIVATE") ? "remove the private key: this file is copied to every host; keep only the CA's certificate"
                                : "keep only CERTIFICATE blocks (the CA certificates the hosts trust)"));
                i = end < 0 ? lines.length : end;
                continue;
            }
            if (end < 0) {
                n.problems.add(new Problem(p.toString(), start + 1, 1, "certificate without its -----END CERTIFICATE----- line" + where,
                        "copy the whole PEM block"));
                break;
            }
            StringBuilder b64 = new StringBuilder();
            for (int j = start + 1; j < end; j++) {
                b64.append(lines[j].strip());
            }
            X509Certificate c;
            try {
                byte[] der = Base64.getDecoder().decode(b64.toString());
                c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
            } catch (IllegalArgumentException | CertificateException | ClassCastException e) {
                n.problems.add(new Problem(p.toString(), start + 1, 1, "this PEM block is not an X.509 certificate (" + firstLine(e.getMessage()) + ")" + where,
                        "copy the certificate again (openssl x509 -in FILE -noout -subject shows whether it parses)"));
                i = end;
                continue;
            }
            if (c.getNotAfter().toInstant().isBefore(now)) {
                n.problems.add(new Problem(p.toString(), start + 1, 1, "certificate " + c.getSubjectX500Principal().getName() + " expired on "
                        + c.getNotAfter().toInstant() + where, "use the CA's current certificate"));
            }
            subjects.add(c.getSubjectX500Principal().getName());
            for (int j = start; j <= end; j++) {
                pem.append(lines[j].strip()).append('\n');
            }
            i = end;
        }
        if (n.problems.size() > before) {
            return null;
        }
        if (subjects.isEmpty()) {
            n.problem(node, "nts_trusted_certs " + p + " holds no PEM certificate (no -----BEGIN CERTIFICATE----- line)",
                    "name the CA certificate in PEM form (openssl x509 -in CA.der -inform DER -out CA.pem converts a DER one)");
            return null;
        }
        return new TrustedCerts(p.toString(), pem.toString(), subjects, n.where(node));
    }

    private static String firstLine(String s) {
        return s == null ? "unreadable" : s.strip().lines().findFirst().orElse("unreadable");
    }
}
