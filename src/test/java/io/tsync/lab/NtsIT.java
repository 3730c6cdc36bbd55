package io.tsync.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * NTS on real hosts (lab instance "nts", Debian 12 and 13): the lab's NTS upstream (lab/nts: chronyd with a
 * certificate from the instance's lab CA) and a playbook trusting that CA through nts_trusted_certs. Hosts sync
 * over NTS; trusting another CA they do not, and apply --wait and status say that NTS is why.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NtsIT {
    static final LabInstance LAB = new LabInstance("nts");
    static final String NTS_NAME = "nts.lab.test";
    static final String NTS_IP = "10.213.0.5";
    static List<String> hosts;
    static String inv;
    static Path right;
    static Path wrong;
    static long started;

    @BeforeAll
    static void lab() throws IOException {
        started = System.nanoTime();
        LAB.down(); // fresh hosts: no chrony and no saved NTS cookies from an earlier run
        hosts = LAB.up(2, "--release", "bookworm,trixie");
        Map<String, String> env = Map.of("TSYNC_LAB", LAB.name());
        Lab.checked(Duration.ofMinutes(1), env, "lab/nts", "start");
        inv = LAB.inventory().toString();
        right = playbook("right", Lab.checked(Duration.ofMinutes(1), env, "lab/nts", "ca", "lab").out().strip());
        wrong = playbook("wrong", Lab.checked(Duration.ofMinutes(1), env, "lab/nts", "ca", "other").out().strip());
    }

    /** A playbook repository: nts.yaml and certs/ca.pem (a copy of the CA's certificate). */
    static Path playbook(String name, String caPem) throws IOException {
        Path dir = Files.createTempDirectory("nts-" + name);
        Files.createDirectories(dir.resolve("certs"));
        Files.copy(Path.of(caPem), dir.resolve("certs/ca.pem"));
        return Files.writeString(dir.resolve("nts.yaml"), """
                - name: NTS from the lab's upstream
                  hosts: all
                  ntp:
                    daemon: chrony
                    servers:
                      - { host: %s, iburst: true, nts: true }
                    nts_trusted_certs: certs/ca.pem
                """.formatted(NTS_NAME));
    }

    @AfterAll
    static void down() {
        LAB.down();
        System.out.printf("NtsIT took %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    static void assertNothingChanged(String playbook) {
        Lab.Run again = LAB.tsync("apply", "-i", inv, playbook);
        assertEquals(0, again.exit(), again.all());
        for (String h : hosts) {
            assertTrue(again.out().matches("(?s).*\\n" + h + "\\s+: ok=\\d+\\s+changed=0\\s+failed=0.*"), "re-run changed " + h + ":\n" + again.all());
        }
    }

    @Test
    @Order(1)
    void hostsSyncOverNtsWithThePlaybooksCa() {
        Lab.Run check = LAB.tsync("apply", "--check", "-i", inv, right.toString());
        assertTrue(check.out().contains("write NTS trusted certificates /etc/chrony/tsync-nts-ca.pem  (/etc/chrony/tsync-nts-ca.pem does not exist)"),
                check.all());

        Lab.Run apply = LAB.tsync("apply", "--wait", "60s", "-i", inv, right.toString());
        assertEquals(0, apply.exit(), apply.all());
        for (String h : hosts) {
            assertTrue(LAB.sshOk(h, "cat /etc/chrony/chrony.conf").contains("\nntstrustedcerts /etc/chrony/tsync-nts-ca.pem\n"));
            // NTS with cookies: the key exchange with the lab's server succeeded under the lab CA
            String auth = LAB.sshOk(h, "chronyc -c -N authdata").strip();
            String[] f = auth.split(",");
            assertEquals(List.of(NTS_NAME, "NTS"), List.of(f[0], f[1]), h + ": " + auth);
            assertTrue(Integer.parseInt(f[8]) > 0, h + " holds no NTS cookie: " + auth);
            assertTrue(LAB.sshOk(h, "chronyc -c -n sources").startsWith("^,*," + NTS_IP + ","), h + " did not select the NTS source");
        }
        Lab.Run status = LAB.tsync("status", "-i", inv);
        assertEquals(0, status.exit(), status.all());
        assertNothingChanged(right.toString());
    }

    @Test
    @Order(2)
    void anotherCaIsRefusedAndStatusSaysWhy() {
        Lab.Run apply = LAB.tsync("apply", "--wait", "20s", "-i", inv, wrong.toString());
        assertEquals(6, apply.exit(), "no host may claim sync over NTS it does not trust:\n" + apply.all());
        for (String h : hosts) {
            // the hosts held cookies from the right CA: tsync made chronyd forget them, so the new trust applies now
            String auth = LAB.sshOk(h, "chronyc -c -N authdata").strip();
            assertEquals("0", auth.split(",")[8], h + " still has cookies: " + auth);
            assertTrue(apply.out().matches("(?s).*\\n" + h + " .*unsynced .*NTS: no cookies from " + NTS_NAME
                    + ": key exchange failed \\(\\d+ attempts?\\); chronyd: TLS handshake with " + NTS_IP
                    + ":4460 \\(" + NTS_NAME + "\\) failed : .*certificate.*"), h + ":\n" + apply.out());
        }
        Lab.Run status = LAB.tsync("status", "-i", inv, "--json");
        assertEquals(6, status.exit(), status.all());
        assertTrue(status.out().contains("NTS: no cookies from " + NTS_NAME), status.out());
        assertTrue(status.out().contains("The certificate is NOT trusted"), status.out());
        assertNothingChanged(wrong.toString());
    }

    @Test
    @Order(3)
    void theRightCaAgainSyncsAgain() {
        Lab.Run apply = LAB.tsync("apply", "--wait", "60s", "-i", inv, right.toString());
        assertEquals(0, apply.exit(), apply.all());
        assertTrue(apply.out().contains("restart chrony  (the NTS trusted certificates changed)"), apply.out());
        assertNothingChanged(right.toString());
    }
}
