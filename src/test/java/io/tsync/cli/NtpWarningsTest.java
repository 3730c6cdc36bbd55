package io.tsync.cli;

import static io.tsync.cli.InProcess.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.cli.InProcess.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What validate prints about issue 14's playbooks: warnings with their line and fix, exit 0; keys it cannot read here. */
class NtpWarningsTest {
    @TempDir
    Path dir;

    Path inventory() throws Exception {
        return Files.writeString(dir.resolve("inventory.yaml"), "all:\n  hosts:\n    ntp1: { ansible_host: 127.0.0.1, ansible_user: root }\n");
    }

    @Test
    void validateWarnsAboutSmearingAndKeysItCannotReadButPasses() throws Exception {
        Run r = run("validate", "-i", inventory().toString(), "src/test/resources/depth/chrony-server.yaml");
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        assertTrue(r.out().contains("valid; 1 host(s) selected"), r.out());
        assertTrue(r.err().contains("src/test/resources/depth/chrony-server.yaml:18:15: warning: leap smearing (smoothtime): around a leap second"), r.err());
        assertTrue(r.err().contains("\n  fix: give the clients of a smearing server only smearing servers"), r.err());
        assertTrue(r.err().contains("chrony-server.yaml:21:7: warning: ") && r.err().contains("key 1) is not set; apply will refuse to run without it"),
                "TSYNC_NTP_KEY_1 is not set in the test's environment:\n" + r.err());
    }

    @Test
    void theInternalServersPlaybookValidatesWithoutAnyWarningButTheMissingKey() throws Exception {
        Path inv = Files.writeString(dir.resolve("inventory.yaml"), """
                all:
                  vars: { ansible_user: root }
                  children:
                    timeservers:
                      hosts: { ntp1.example.net: , ntp2.example.net: }
                    clients:
                      hosts: { web1: { ansible_host: 127.0.0.1 } }
                """);
        Run r = run("validate", "-i", inv.toString(), "playbooks/internal-servers.yaml");
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        assertTrue(r.out().contains("valid; 3 host(s) selected"), r.out());
        assertFalse(r.err().contains("authselectmode"), "the playbook sets authselectmode: ignore:\n" + r.err());
        assertEquals(2, r.err().lines().filter(l -> l.contains(": warning: environment variable TSYNC_NTP_KEY_1 (key 1) is not set")).count(), r.err());
    }
}
