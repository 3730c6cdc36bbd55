package io.tsync.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * target/tsync_VERSION_all.deb, built by mvn package (packaging/deb/build-deb): its contents and
 * control fields, lintian (bookworm's 2.116, pedantic) with no error or warning, and, with
 * {@code -Ddeb.host=true}, apt installing it on a lab host (instance {@code prom}) that was given a
 * Java runtime, where {@code tsync --version}, {@code man tsync} and bash completion then work.
 * The host check installs about 33 packages (55 MB, a JRE, man-db, bash-completion) on an offline
 * host, about 2 minutes on a busy machine, so CI leaves it out; docs/debian-package.md runs it by hand.
 */
@Tag("lab")
class DebPackageIT {
    static final LabInstance LAB = new LabInstance("prom");
    static Path deb;

    @BeforeAll
    static void built() throws IOException {
        assumeFalse(Boolean.getBoolean("man.skip"), "built with -Dman.skip: no man pages, so no .deb");
        try (Stream<Path> s = Files.list(Lab.ROOT.resolve("target"))) {
            List<Path> debs = s.filter(p -> p.getFileName().toString().matches("tsync_.*_all\\.deb")).toList();
            assertEquals(1, debs.size(), "one .deb in target/: " + debs);
            deb = debs.get(0);
        }
    }

    @Test
    void controlFieldsAndFilesAsDebianWantsThem() {
        String version = deb.getFileName().toString().replaceAll("^tsync_|_all\\.deb$", "");
        String fields = Lab.checked(Duration.ofMinutes(1), "dpkg-deb", "-f", deb.toString()).out();
        for (String f : List.of("Package: tsync", "Version: " + version, "Architecture: all",
                "Depends: default-jre-headless (>= 2:1.17) | java17-runtime-headless", "Section: admin", "Priority: optional")) {
            assertTrue(fields.contains(f + "\n"), f + " in\n" + fields);
        }
        String files = Lab.checked(Duration.ofMinutes(1), "dpkg-deb", "-c", deb.toString()).out();
        assertTrue(files.lines().anyMatch(l -> l.startsWith("-rwxr-xr-x root/root") && l.endsWith(" ./usr/bin/tsync")), files);
        for (String path : List.of("./usr/share/tsync/tsync.jar", "./usr/share/bash-completion/completions/tsync",
                "./usr/share/doc/tsync/copyright", "./usr/share/doc/tsync/changelog.gz", "./usr/share/doc/tsync/sbom.cdx.json",
                "./usr/share/lintian/overrides/tsync")) {
            assertTrue(files.lines().anyMatch(l -> l.startsWith("-rw-r--r-- root/root") && l.endsWith(" " + path)), path + " in\n" + files);
        }
        for (String page : List.of("tsync", "tsync-apply", "tsync-status", "tsync-validate", "tsync-facts", "tsync-inventory", "tsync-timezones")) {
            assertTrue(files.contains(" ./usr/share/man/man1/" + page + ".1.gz\n"), page + " man page in\n" + files);
        }
    }

    /** lintian accepts the package: no error, no warning (the one override is justified in packaging/deb/lintian-overrides). */
    @Test
    void lintianHasNoErrorOrWarning() {
        Lab.checked(Duration.ofMinutes(10), "bash", "src/test/resources/lab/ensure-packages", "lintian=lintian");
        Lab.Run r = Lab.run(Duration.ofMinutes(5), List.of("lintian", "--pedantic", "--display-info", "--fail-on", "error,warning", deb.toString()), null);
        System.out.println("lintian " + deb.getFileName() + ": exit " + r.exit() + "\n" + r.all().strip());
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.all().lines().noneMatch(l -> l.startsWith("E:") || l.startsWith("W:")), r.all());
    }

    /** The manual check of docs/debian-package.md: apt installs the .deb on an offline Debian 12 host that has a Java runtime. */
    @Test
    void aptInstallsItOnALabHostWithAJavaRuntime() throws Exception {
        assumeTrue(Boolean.getBoolean("deb.host"), "heavy (installs a JRE on a lab host): mvn verify -Plab -Dit.test=DebPackageIT -Ddeb.host=true");
        String h = LAB.up(1).get(0);
        LAB.reset(h);
        Path dir = hostRoot(h).resolve("var/tmp/tsync-deb");
        Files.createDirectories(dir.resolve("deps"));
        Files.copy(deb, dir.resolve(deb.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        String inHost = "/var/tmp/tsync-deb/";

        // what the offline host lacks for tsync, man and completion, by its own apt; fetched here
        String sim = LAB.sshOk(h, "apt-get install -s --no-install-recommends " + inHost + deb.getFileName() + " man-db bash-completion");
        List<String> needed = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^Inst (\\S+) ").matcher(sim);
        while (m.find()) {
            if (!m.group(1).equals("tsync")) {
                needed.add(m.group(1));
            }
        }
        assertTrue(needed.contains("default-jre-headless") || needed.isEmpty(), sim);
        Path cache = Lab.ROOT.resolve("target/deb-deps");
        Files.createDirectories(cache);
        if (!needed.isEmpty()) {
            List<String> download = new ArrayList<>(List.of("apt-get", "download"));
            download.addAll(needed);
            Lab.Run dl = runIn(cache, download);
            if (dl.exit() != 0) {
                Lab.checked(Duration.ofMinutes(5), "apt-get", "-q", "update");
                dl = runIn(cache, download);
            }
            assertEquals(0, dl.exit(), dl.all());
            try (Stream<Path> s = Files.list(cache)) {
                for (Path p : s.filter(p -> p.toString().endsWith(".deb")).toList()) {
                    Files.copy(p, dir.resolve("deps").resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            // a JRE's postinst (ca-certificates-java runs keytool) takes minutes on a busy machine: more than lab/ssh's 2
            Lab.Run jre = Lab.run(Duration.ofMinutes(10), List.of("lab/ssh", h, "cd " + inHost + "deps && DEBIAN_FRONTEND=noninteractive"
                    + " apt-get install -y -q --no-install-recommends ./*.deb"), null, Map.of("TSYNC_LAB", LAB.name()));
            assertEquals(0, jre.exit(), jre.all());
        }

        Lab.Run install = LAB.ssh(h, "cd " + inHost + " && DEBIAN_FRONTEND=noninteractive apt install -y ./" + deb.getFileName() + " 2>&1");
        assertEquals(0, install.exit(), install.all());
        assertTrue(install.out().contains("Setting up tsync ("), install.out());

        String version = deb.getFileName().toString().replaceAll("^tsync_|_all\\.deb$", "");
        assertEquals("tsync " + version, LAB.sshOk(h, "tsync --version").strip());
        assertTrue(LAB.sshOk(h, "tsync status --help").contains("--format=FORMAT"));
        String man = LAB.sshOk(h, "MANPAGER=cat MANWIDTH=80 man tsync-status");
        assertTrue(man.startsWith("TSYNC-STATUS(1)") && man.contains("--serve"), man);
        assertEquals("/usr/share/man/man1/tsync.1.gz", LAB.sshOk(h, "man -w tsync").strip());
        // bash-completion loads the script on demand, as a login shell would for the first <TAB>
        String completion = LAB.sshOk(h, "bash -c '. /usr/share/bash-completion/bash_completion; __load_completion tsync;"
                + " complete -p tsync; COMP_WORDS=(tsync sta); COMP_CWORD=1; COMP_LINE=\"tsync sta\"; COMP_POINT=9;"
                + " _complete_tsync tsync sta tsync 2>/dev/null; echo \"words: ${COMPREPLY[*]}\"'");
        assertTrue(completion.contains("-F _complete_tsync tsync"), completion);
        assertTrue(completion.contains("words: status"), completion);
        // and leaves nothing behind
        LAB.sshOk(h, "DEBIAN_FRONTEND=noninteractive apt-get purge -y -q tsync");
        assertEquals("", LAB.sshOk(h, "ls /usr/bin/tsync /usr/share/tsync /usr/share/man/man1/tsync.1.gz 2>/dev/null || true").strip());
        System.out.println("deb: installed, ran, man and completion checked on " + h + " (" + needed.size() + " packages given to it)");
    }

    /** The host's root as this machine sees it (the overlay lab/up mounts; nspawn's /tmp is a tmpfs, /var/tmp is not). */
    static Path hostRoot(String host) {
        return LAB.inventory().getParent().resolve("hosts").resolve(host).resolve("root");
    }

    private static Lab.Run runIn(Path dir, List<String> cmd) {
        List<String> sh = new ArrayList<>(List.of("bash", "-c", "cd \"$0\" && exec \"$@\"", dir.toString()));
        sh.addAll(cmd);
        return Lab.run(Duration.ofMinutes(10), sh, null, Map.of());
    }
}
