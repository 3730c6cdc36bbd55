package io.tsync.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The apt install command of the platform table, run by a real shell against stub apt tools: when
 * apt refreshes its lists, and that apt's own reason reaches the operator when it cannot.
 */
class AptInstallTest {
    @TempDir
    Path dir;

    record Result(int exit, String stdout, String stderr, String calls) {}

    /** Runs the install of chrony with stubs: {@code apt-cache policy} prints {@code policy}; apt-get update prints {@code update}. */
    Result install(String policy, String update, int installExit) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path log = dir.resolve("calls");
        stub(bin, "dpkg", "exit 0");
        Files.writeString(dir.resolve("policy.txt"), policy);
        Files.writeString(dir.resolve("update.txt"), update);
        stub(bin, "apt-cache", "echo \"apt-cache $*\" >> " + log + "\ncat " + dir.resolve("policy.txt"));
        stub(bin, "apt-get", "echo \"apt-get $1\" >> " + log + "\n"
                + "case $1 in update) cat " + dir.resolve("update.txt") + "; exit 0 ;;\n"
                + "install) [ " + installExit + " = 0 ] || echo \"E: Package 'chrony' has no installation candidate\" >&2; exit " + installExit + " ;; esac");
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", Platforms.APT.install().replace("$PKG", "'chrony'"));
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        return new Result(p.exitValue(), out, err, Files.exists(log) ? Files.readString(log) : "");
    }

    static void stub(Path bin, String name, String body) throws Exception {
        Path p = bin.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void listsWithACandidateAreNotRefreshed() throws Exception {
        Result r = install("chrony:\n  Installed: (none)\n  Candidate: 4.3-2+deb12u3\n", "", 0);
        assertEquals(0, r.exit(), r.stderr());
        assertEquals("apt-cache policy chrony\napt-get install\n", r.calls());
    }

    /** Lists deleted (fresh image): apt still knows the name, but has no version to install. */
    @Test
    void noCandidateRefreshesTheLists() throws Exception {
        Result r = install("chrony:\n  Installed: (none)\n  Candidate: (none)\n  Version table:\n", "Hit:1 http://deb.debian.org/debian bookworm InRelease\n", 0);
        assertEquals(0, r.exit(), r.stderr());
        assertEquals("apt-cache policy chrony\napt-get update\napt-get install\n", r.calls());
        assertEquals("", r.stderr(), "a successful refresh says nothing");
    }

    /** The mirror is unreachable: apt-get update exits 0 with warnings, and they are what the operator needs to read. */
    @Test
    void aFailedRefreshKeepsAptsReasonBesideTheInstallError() throws Exception {
        String update = "Err:1 http://deb.debian.org/debian bookworm InRelease\n  Temporary failure resolving 'deb.debian.org'\n"
                + "Reading package lists...\n"
                + "W: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease  Temporary failure resolving 'deb.debian.org'\n"
                + "W: Some index files failed to download. They have been ignored, or old ones used instead.\n";
        Result r = install("", update, 100);
        assertEquals(100, r.exit());
        assertEquals("W: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease  Temporary failure resolving 'deb.debian.org'\n"
                + "W: Some index files failed to download. They have been ignored, or old ones used instead.\n"
                + "E: Package 'chrony' has no installation candidate\n", r.stderr());
        assertFalse(r.stdout().contains("Reading package lists"), r.stdout());
    }
}
