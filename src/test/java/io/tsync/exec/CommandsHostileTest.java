package io.tsync.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.model.Daemon;
import io.tsync.plan.Step;
import io.tsync.platform.Platform;
import io.tsync.platform.Platforms;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Quoting in {@link Commands} must hold on its own, even for values that validation would refuse.
 * Every step is built with hostile values in each string field and its script is RUN by a real
 * shell, in a temp dir whose PATH starts with stub executables ({@code systemctl}, {@code apt-get},
 * {@code chronyd}, ...) that record their argv NUL-separated. Each run asserts: no {@code PWNED}
 * file appeared anywhere in the temp dir, and the hostile value reached the stub as exactly one argv
 * element, byte for byte. Every script runs three ways: {@code /bin/sh -c}, {@code bash -c} (the
 * login shell of a root SSH session) and {@code sh -c "sudo -n -- sh -c '<script>'"} (the become
 * wrapping of SshTransport, through a stub sudo), since the latter quotes the whole script once more.
 */
class CommandsHostileTest {
    /** Shell metacharacters in every form that could break out of quoting. Not one contains '/' or NUL. */
    static final List<String> HOSTILE = List.of(
            "x'; touch PWNED; '",
            "x\"; touch PWNED; \"",
            "'\\''\"$(touch PWNED)\"'",
            "$(touch PWNED)",
            "`touch PWNED`",
            "x;touch PWNED",
            "x && touch PWNED || touch PWNED",
            "x | touch PWNED",
            "x\ntouch PWNED\n",
            "x\rtouch PWNED",
            "${IFS}touch${IFS}PWNED",
            "$IFS",
            "*",
            "?",
            "[a-z]*",
            "~root",
            "-x --now; touch PWNED",
            "a b\tc",
            "\\",
            "%s%n%%",
            "$HOME",
            "!!",
            "é€ unicode",
            "");

    static final String PWNED = "PWNED";

    /** How the remote side runs a script: as the login shell would, or wrapped by become (sudo -n). */
    enum Mode { SH, BASH, SUDO }

    @TempDir
    Path dir;

    Path bin;
    Path log;
    Path work;
    final Map<String, String> env = new java.util.HashMap<>();

    static Stream<Arguments> hostile() {
        List<Arguments> out = new ArrayList<>();
        for (Mode m : modes()) {
            for (String v : HOSTILE) {
                out.add(Arguments.of(m, v));
            }
        }
        return out.stream();
    }

    static Stream<Arguments> nonEmptyHostile() {
        return hostile().filter(a -> !((String) a.get()[1]).isEmpty());
    }

    static List<Mode> modes() {
        return Files.isExecutable(Path.of("/bin/bash")) ? List.of(Mode.values()) : List.of(Mode.SH, Mode.SUDO);
    }

    @BeforeEach
    void stubs() throws IOException {
        bin = Files.createDirectories(dir.resolve("stub-bin"));
        log = Files.createDirectories(dir.resolve("argv-log"));
        work = Files.createDirectories(dir.resolve("work"));
        String record = "#!/bin/sh\n"
                + "# test stub: records its argv, NUL-separated, one file per call, numbered in call order\n"
                + "n=$(ls -1 \"$STUB_LOG\" | wc -l)\n"
                + "{ printf '%s\\0' \"${0##*/}\"; for a in \"$@\"; do printf '%s\\0' \"$a\"; done; } > \"$STUB_LOG/$(printf '%04d' \"$n\")\"\n";
        stub("systemctl", record
                + "case \"$1\" in\n"
                + "  show) case \"$3\" in ActiveState) echo \"${STUB_ACTIVE:-active}\" ;; ConditionResult) echo \"${STUB_CONDITION:-yes}\" ;;\n"
                // the settle watch: the daemon dies once the stubs have been called STUB_DIES_AT times
                + "    ActiveState,MainPID,NRestarts) if [ \"$n\" -ge \"${STUB_DIES_AT:-999999}\" ]; then echo ActiveState=failed; echo MainPID=0;"
                + " else echo ActiveState=active; echo MainPID=42; fi; echo NRestarts=0 ;; esac ;;\n"
                + "  is-active) echo \"${STUB_ACTIVE:-active}\" ;;\n"
                + "  is-system-running) echo \"${STUB_SYSTEM:-running}\" ;;\n"
                + "  status) echo \"  Condition: start condition failed (ConditionCapability=CAP_SYS_TIME)\" ;;\n"
                + "esac\nexit 0\n");
        stub("apt-cache", record + "exit 0\n"); // no candidate printed: forces the apt-get update branch too
        stub("chronyd", record + "[ \"${STUB_CHRONYD_RC:-0}\" = 0 ] || echo \"line 1: bad directive\" >&2\nexit \"${STUB_CHRONYD_RC:-0}\"\n");
        stub("timedatectl", record + "exit \"${STUB_TIMEDATECTL_RC:-0}\"\n");
        // the timezone link: never this machine's /etc/localtime
        stub("ln", record + "exit 0\n");
        stub("readlink", "#!/bin/sh\nprintf '%s\\n' \"$STUB_LOCALTIME\"\n");
        for (String name : List.of("apt-get", "dnf", "yum", "chronyc", "journalctl")) {
            stub(name, record + "exit 0\n");
        }
        stub("sleep", "#!/bin/sh\nexit 0\n"); // the settle watch's polls, without the wait
        // become: strip sudo's own options, then run the command (as the real sudo would, minus the user switch)
        stub("sudo", record + "while [ $# -gt 0 ]; do case \"$1\" in --) shift; break ;; -p|-u) shift 2 ;; -*) shift ;; *) break ;; esac; done\n"
                + "exec \"$@\"\n");
        env.put("PATH", bin + ":/usr/local/bin:/usr/bin:/bin");
        env.put("STUB_LOG", log.toString());
        env.put("HOME", work.toString());
        env.put("TSYNC_RUN_DIR", dir.resolve("run").toString()); // the restart-pending notes, not in this machine's /run
    }

    void stub(String name, String script) throws IOException {
        Path p = bin.resolve(name);
        Files.writeString(p, script);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    // ---------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("hostile")
    void stopService(Mode mode, String unit) throws Exception {
        Result r = run(mode, Commands.of(new Step.StopService(unit, "conflicts")));
        assertEquals(0, r.exit, r.output);
        assertCalls(List.of(List.of("systemctl", "disable", "--now", unit)), r.calls);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("hostile")
    void enableService(Mode mode, String unit) throws Exception {
        Result r = run(mode, Commands.of(new Step.EnableService(unit, "boot")));
        assertEquals(0, r.exit, r.output);
        // the stub does not answer "enabled", so the guard lets the enable run
        assertCalls(List.of(List.of("systemctl", "is-enabled", unit), List.of("systemctl", "enable", unit)), r.calls);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("hostile")
    void startService(Mode mode, String unit) throws Exception {
        Path note = Files.createDirectories(dir.resolve("run")).resolve(unit + ".restart-pending");
        Files.writeString(note, "");
        Result r = run(mode, Commands.of(new Step.StartService(unit, "not running")));
        assertEquals(0, r.exit, r.output);
        assertTrue(Files.notExists(note), "started on its config: nothing owed");
        List<List<String>> expected = new ArrayList<>(List.of(
                List.of("systemctl", "start", unit),
                List.of("systemctl", "show", "-p", "ActiveState", "--value", unit),
                List.of("systemctl", "show", "-p", "ConditionResult", "--value", unit),
                List.of("systemctl", "show", "-p", "ActiveState", "--value", unit)));
        // then the settle watch: the state once, and again at every poll
        expected.addAll(java.util.Collections.nCopies(1 + Commands.SETTLE_POLLS, List.of("systemctl", "show", "-p", "ActiveState,MainPID,NRestarts", unit)));
        assertCalls(expected, r.calls);
    }

    /** A daemon that comes up and dies a moment later (a config its check accepted) fails the step with its journal. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("hostile")
    void restartedDaemonThatDiesDuringTheSettleWatchFails(Mode mode, String unit) throws Exception {
        env.put("STUB_DIES_AT", mode == Mode.SUDO ? "7" : "6"); // the second poll sees it gone (sudo is one more call)
        Path note = Files.createDirectories(dir.resolve("run")).resolve(unit + ".restart-pending");
        Files.writeString(note, "");
        Result r = run(mode, Commands.of(new Step.RestartService(unit, "config changed")));
        assertEquals(1, r.exit, r.output);
        assertTrue(r.output.contains(unit + " died within 1.0 s of its restart (now active); its journal says:"), r.output);
        assertTrue(Files.exists(note), "not up on the new config: the rollback decides");
        List<List<String>> expected = new ArrayList<>(List.of(
                List.of("systemctl", "restart", unit),
                List.of("systemctl", "show", "-p", "ActiveState", "--value", unit),
                List.of("systemctl", "show", "-p", "ConditionResult", "--value", unit),
                List.of("systemctl", "show", "-p", "ActiveState", "--value", unit)));
        expected.addAll(java.util.Collections.nCopies(3, List.of("systemctl", "show", "-p", "ActiveState,MainPID,NRestarts", unit)));
        expected.add(List.of("systemctl", "is-system-running"));
        expected.add(List.of("systemctl", "is-active", unit));
        expected.add(List.of("journalctl", "-u", unit, "-n", "12", "--no-pager", "-o", "cat"));
        assertCalls(expected, r.calls);
    }

    /** The failure branches use the unit too: the journal when it is not active... */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("hostile")
    void restartServiceThatStaysDownShowsItsJournal(Mode mode, String unit) throws Exception {
        env.put("STUB_ACTIVE", "failed");
        Result r = run(mode, Commands.of(new Step.RestartService(unit, "config changed")));
        assertEquals(1, r.exit, r.output);
        assertTrue(r.output.contains(unit + " is not running after restart"), r.output);
        assertCalls(List.of(
                List.of("systemctl", "restart", unit),
                List.of("systemctl", "show", "-p", "ActiveState", "--value", unit),
                List.of("systemctl", "show", "-p", "ConditionResult", "--value", unit),
                List.of("systemctl", "show", "-p", "ActiveState", "--value", unit),
                List.of("systemctl", "is-system-running"),
                List.of("journalctl", "-u", unit, "-n", "12", "--no-pager", "-o", "cat")), r.calls);
    }

    /** A unit that went down because the host is shutting down (a reboot) is no failure of its config: exit 76, nothing to roll back. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("nonEmptyHostile")
    void restartDuringAShutdownSaysSo(Mode mode, String unit) throws Exception {
        env.put("STUB_ACTIVE", "inactive");
        env.put("STUB_SYSTEM", "stopping");
        Result r = run(mode, Commands.of(new Step.RestartService(unit, "config changed")));
        assertEquals(Commands.HOST_STOPPING, r.exit, r.output);
        assertEquals("the host is shutting down: " + unit + " was stopped with it\n", r.output);
    }

    /** ...and systemctl status when a start condition failed. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("hostile")
    void startServiceWithFailedConditionShowsStatus(Mode mode, String unit) throws Exception {
        env.put("STUB_CONDITION", "no");
        Result r = run(mode, Commands.of(new Step.StartService(unit, "not running")));
        assertEquals(3, r.exit, r.output);
        assertTrue(r.output.contains("a start condition failed"), r.output);
        assertCalls(List.of(
                List.of("systemctl", "start", unit),
                List.of("systemctl", "show", "-p", "ActiveState", "--value", unit),
                List.of("systemctl", "show", "-p", "ConditionResult", "--value", unit),
                List.of("systemctl", "status", unit, "--no-pager")), r.calls);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("hostile")
    void installPackageWithApt(Mode mode, String pkg) throws Exception {
        Result r = run(mode, Commands.of(new Step.InstallPackage(pkg, packages("debian", "12"), "missing"), LOCK_TIMEOUT));
        assertEquals(0, r.exit, r.output);
        assertCalls(List.of(
                List.of("apt-cache", "policy", pkg),
                List.of("apt-get", "update", "-q"),
                List.of("apt-get", "install", "-y", "-q", "--no-install-recommends", "-o", "DPkg::Lock::Timeout=" + lockLeft(r.calls.get(2).get(6)),
                        "-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold", pkg)), r.calls);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("hostile")
    void installPackageWithYumAndDnf(Mode mode, String pkg) throws Exception {
        Result yum = run(mode, Commands.of(new Step.InstallPackage(pkg, packages("centos", "7"), "missing"), LOCK_TIMEOUT));
        assertEquals(0, yum.exit, yum.output);
        assertCalls(List.of(List.of("yum", "install", "-y", "-q", "--setopt=exit_on_lock=True", pkg)), yum.calls);
        clearLog();
        Result dnf = run(mode, Commands.of(new Step.InstallPackage(pkg, packages("rocky", "9"), "missing"), LOCK_TIMEOUT));
        assertEquals(0, dnf.exit, dnf.output);
        assertCalls(List.of(List.of("dnf", "install", "-y", "-q", "--setopt=exit_on_lock=True", pkg)), dnf.calls);
    }

    /**
     * SetTimezone first checks {@code /usr/share/zoneinfo/$tz} exists: a hostile name that is no
     * file there fails safely (non-zero, nothing run, no PWNED); one that exists (e.g. the empty name,
     * the directory itself) reaches timedatectl, and then ln (the link does not name it: the stub
     * readlink answers nothing), as one verbatim argument.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("hostile")
    void setTimezoneHostileName(Mode mode, String tz) throws Exception {
        Result r = run(mode, Commands.of(new Step.SetTimezone("Etc/UTC", tz, "differs")));
        if (Files.exists(Path.of("/usr/share/zoneinfo/" + tz))) {
            assertEquals(0, r.exit, r.output);
            assertCalls(List.of(List.of("timedatectl", "set-timezone", tz), List.of("ln", "-sf", "../usr/share/zoneinfo/" + tz, "/etc/localtime")), r.calls);
        } else {
            assertNotEquals(0, r.exit, r.output);
            assertTrue(r.output.contains("is not in this host's tz database"), r.output);
            assertCalls(List.of(), r.calls);
        }
    }

    /** A hostile name that does exist (via ../ into the temp dir) still reaches timedatectl verbatim. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("nonEmptyHostile")
    void setTimezoneHostileNameThatExists(Mode mode, String hostile) throws Exception {
        Path zone = Files.createDirectories(dir.resolve("zones")).resolve("z" + hostile);
        Files.writeString(zone, "TZif");
        String tz = "../../../.." + zone;
        assertTrue(Files.exists(Path.of("/usr/share/zoneinfo/" + tz)));
        Result r = run(mode, Commands.of(new Step.SetTimezone("Etc/UTC", tz, "differs")));
        assertEquals(0, r.exit, r.output);
        assertCalls(List.of(List.of("timedatectl", "set-timezone", tz), List.of("ln", "-sf", "../usr/share/zoneinfo/" + tz, "/etc/localtime")), r.calls);
    }

    /** timedated did not answer (D-Bus timeout): the link it would have set is set directly, the name still one argument. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("nonEmptyHostile")
    void setTimezoneWhenTimedatedFails(Mode mode, String hostile) throws Exception {
        env.put("STUB_TIMEDATECTL_RC", "1");
        Path zone = Files.createDirectories(dir.resolve("zones")).resolve("z" + hostile);
        Files.writeString(zone, "TZif");
        String tz = "../../../.." + zone;
        Result r = run(mode, Commands.of(new Step.SetTimezone("Etc/UTC", tz, "differs")));
        assertEquals(0, r.exit, r.output);
        assertCalls(List.of(List.of("timedatectl", "set-timezone", tz), List.of("ln", "-sf", "../usr/share/zoneinfo/" + tz, "/etc/localtime")), r.calls);
    }

    /**
     * timedatectl set the link: nothing else. It answered 0 but left the link alone (timedated had the
     * zone cached while tzdata's postinst relinked Etc/UTC behind its back): the link is set.
     */
    @Test
    void setTimezoneNormalName() throws Exception {
        for (Mode mode : modes()) {
            clearLog();
            env.put("STUB_LOCALTIME", "../usr/share/zoneinfo/UTC");
            Result r = run(mode, Commands.of(new Step.SetTimezone("Etc/UTC", "UTC", "differs")));
            if (Files.exists(Path.of("/usr/share/zoneinfo/UTC"))) {
                assertEquals(0, r.exit, r.output);
                assertCalls(List.of(List.of("timedatectl", "set-timezone", "UTC")), r.calls);
            }
            clearLog();
            env.put("STUB_LOCALTIME", "/usr/share/zoneinfo/Etc/UTC");
            r = run(mode, Commands.of(new Step.SetTimezone("Etc/UTC", "UTC", "differs")));
            if (Files.exists(Path.of("/usr/share/zoneinfo/UTC"))) {
                assertEquals(0, r.exit, r.output);
                assertCalls(List.of(List.of("timedatectl", "set-timezone", "UTC"), List.of("ln", "-sf", "../usr/share/zoneinfo/UTC", "/etc/localtime")), r.calls);
            }
        }
    }

    static final String CONTENT = "# written by tsync\nserver a.example.com iburst\n"
            + "$(touch PWNED)\n`touch PWNED`\n'\"; touch PWNED; \"'\nEOF\n\\\n%s %n\n${IFS}touch${IFS}PWNED\n"
            + "é€ \u0000 \u0007 \r\n*\nno newline at the end";

    /** New file: content arrives byte for byte via stdin, mode 0644, the check runs on the temp file, no temp file left. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("hostile")
    void writeConfigNewFile(Mode mode, String hostile) throws Exception {
        Path target = work.resolve("etc d" + hostile + "d").resolve("chrony" + hostile);
        Result r = run(mode, Commands.of(new Step.WriteConfig(target.toString(), hostile, CONTENT + hostile, null, chronyCheck(), "differs")));
        assertEquals(0, r.exit, r.output);
        assertArrayEquals((CONTENT + hostile).getBytes(StandardCharsets.UTF_8), Files.readAllBytes(target));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        assertEquals(1, r.calls.size(), r.calls::toString);
        List<String> check = r.calls.get(0);
        assertEquals(List.of("chronyd", "-p", "-f"), check.subList(0, 3));
        assertEquals(4, check.size(), check::toString);
        assertTrue(check.get(3).startsWith(target + ".tsync."), check.get(3));
        assertEquals(List.of(target.getFileName().toString()), names(target.getParent()), "no temp or backup file left");
        assertEquals(List.of(hostile + ".restart-pending"), names(dir.resolve("run")), "the host notes that the unit must be restarted on it");
    }

    /** Existing file: replaced, previous kept as .tsync-bak, its mode carried over. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("hostile")
    void writeConfigReplacesExistingFile(Mode mode, String hostile) throws Exception {
        Path target = Files.createDirectories(work.resolve("etc d" + hostile + "d")).resolve("chrony" + hostile);
        Files.writeString(target, "old\n");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r-----"));
        Result r = run(mode, Commands.of(new Step.WriteConfig(target.toString(), "chrony", CONTENT, "old\n", null, "differs")));
        assertEquals(0, r.exit, r.output);
        assertArrayEquals(CONTENT.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(target));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        Path bak = Path.of(target + ".tsync-bak");
        assertEquals("old\n", Files.readString(bak));
        assertCalls(List.of(), r.calls);
        assertEquals(List.of(target.getFileName().toString(), bak.getFileName().toString()).stream().sorted().toList(),
                names(target.getParent()));
    }

    /** The daemon's parser refuses the new config: exit 65, target untouched, temp file removed. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("hostile")
    void writeConfigRejectedByCheckLeavesTargetUntouched(Mode mode, String hostile) throws Exception {
        env.put("STUB_CHRONYD_RC", "1");
        Path target = Files.createDirectories(work.resolve("etc d" + hostile + "d")).resolve("chrony" + hostile);
        Files.writeString(target, "old\n");
        Result r = run(mode, Commands.of(new Step.WriteConfig(target.toString(), "chrony", CONTENT, "old\n", chronyCheck(), "differs")));
        assertEquals(65, r.exit, r.output);
        assertTrue(r.output.contains("the daemon rejects the new config: line 1: bad directive"), r.output);
        assertTrue(Files.notExists(dir.resolve("run/chrony.restart-pending")), "nothing replaced, no restart owed");
        assertEquals("old\n", Files.readString(target));
        assertEquals(List.of(target.getFileName().toString()), names(target.getParent()), "no temp file left");
    }

    /** The session died before the content arrived (an empty file passes chronyd -p): nothing is replaced. */
    @Test
    void writeConfigWithContentCutShortLeavesTargetUntouched() throws Exception {
        Path target = Files.createDirectories(work.resolve("etc")).resolve("chrony.conf");
        Files.writeString(target, "old\n");
        RemoteCommand full = Commands.of(new Step.WriteConfig(target.toString(), "chrony", CONTENT, "old\n", chronyCheck(), "differs"));
        for (Mode mode : modes()) {
            for (int cut : new int[] {0, 10}) {
                Result r = run(mode, new RemoteCommand(full.script(), java.util.Arrays.copyOf(full.stdin(), cut)));
                assertEquals(75, r.exit, r.output);
                assertEquals("received " + cut + " of " + full.stdin().length + " bytes of the new " + target
                        + " (the connection broke); the file in place is unchanged\n", r.output);
                assertEquals("old\n", Files.readString(target));
                assertEquals(List.of("chrony.conf"), names(target.getParent()), "no temp or backup file left");
                assertTrue(Files.notExists(dir.resolve("run/chrony.restart-pending")), "nothing replaced, no restart owed");
            }
        }
    }

    /** No space left where the config lives: the write fails naming the file and the reason, and the file in place stays. */
    @Test
    void writeConfigOnAFullFileSystemLeavesTargetUntouched() throws Exception {
        stub("cat", "#!/bin/sh\n/bin/cat > /dev/null\necho 'cat: write error: No space left on device' >&2\nexit 1\n");
        Path target = Files.createDirectories(work.resolve("etc")).resolve("chrony.conf");
        Files.writeString(target, "old\n");
        for (Mode mode : modes()) {
            Result r = run(mode, Commands.of(new Step.WriteConfig(target.toString(), "chrony", CONTENT, "old\n", chronyCheck(), "differs")));
            assertEquals(74, r.exit, r.output);
            assertEquals("cannot write the new " + target + " (write error: No space left on device); the file in place is unchanged\n", r.output);
            assertEquals("old\n", Files.readString(target));
            assertEquals(List.of("chrony.conf"), names(target.getParent()), "no temp or backup file left");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("hostile")
    void rollbackRestoresBackupAndRestartsUnit(Mode mode, String hostile) throws Exception {
        Path target = Files.createDirectories(work.resolve("etc d" + hostile + "d")).resolve("chrony" + hostile);
        Files.writeString(target, "new\n");
        Files.writeString(Path.of(target + ".tsync-bak"), "old\n");
        Path note = Files.createDirectories(dir.resolve("run")).resolve(hostile + ".restart-pending");
        Files.writeString(note, "");
        Result r = run(mode, Commands.rollback(target.toString(), hostile));
        assertEquals(0, r.exit, r.output);
        assertTrue(Files.notExists(note), "restarted on the previous file: nothing owed");
        assertEquals("old\n", Files.readString(target));
        assertFalse(Files.exists(Path.of(target + ".tsync-bak")));
        assertCalls(List.of(List.of("systemctl", "reset-failed", hostile), List.of("systemctl", "restart", hostile),
                List.of("systemctl", "is-active", hostile)), r.calls);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("hostile")
    void rollbackWithoutBackupRemovesTheFile(Mode mode, String hostile) throws Exception {
        Path target = Files.createDirectories(work.resolve("etc d" + hostile + "d")).resolve("chrony" + hostile);
        Files.writeString(target, "new\n");
        // siblings an unquoted glob or split word would also hit
        Path sibling1 = Files.writeString(target.resolveSibling("chronya"), "keep");
        Path sibling2 = Files.writeString(target.resolveSibling(target.getFileName() + "-keep"), "keep");
        Result r = run(mode, Commands.rollback(target.toString(), "chrony"));
        assertEquals(0, r.exit, r.output);
        assertFalse(Files.exists(target));
        assertEquals("keep", Files.readString(sibling1), "only the target is removed");
        assertEquals("keep", Files.readString(sibling2), "only the target is removed");
        assertCalls(List.of(List.of("systemctl", "reset-failed", "chrony"), List.of("systemctl", "restart", "chrony"),
                List.of("systemctl", "is-active", "chrony")), r.calls);
    }

    /** step_now waits (bounded) for chronyd's first measurement, reads the offset, then steps and says by how much. */
    @Test
    void stepClock() throws Exception {
        stub("chronyc", "#!/bin/sh\n"
                + "n=$(ls -1 \"$STUB_LOG\" | wc -l)\n"
                + "{ printf '%s\\0' chronyc; for a in \"$@\"; do printf '%s\\0' \"$a\"; done; } > \"$STUB_LOG/$(printf '%04d' \"$n\")\"\n"
                + "case \"$1\" in -c) echo '0AD50002,10.213.0.2,9,1796064896.209851290,-0.000012345,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,Normal' ;; "
                + "waitsync) [ \"${STUB_SYNC:-yes}\" = yes ] || { echo 'try: 30, refid: 00000000, correction: 0.000000000, skew: 0.000'; exit 1; } ;; esac\n");
        for (Mode mode : modes()) {
            clearLog();
            Result r = run(mode, Commands.of(new Step.StepClock("step_now")));
            assertEquals(0, r.exit, r.output);
            assertTrue(r.output.contains("stepped the clock: offset -0.000012345 s corrected"), r.output);
            assertCalls(List.of(List.of("chronyc", "waitsync", "30", "0", "0", "1"), List.of("chronyc", "-c", "tracking"),
                    List.of("chronyc", "-a", "makestep")), r.calls);
        }
        env.put("STUB_SYNC", "no");
        clearLog();
        Result r = run(Mode.SH, Commands.of(new Step.StepClock("step_now")));
        assertEquals(1, r.exit, r.output);
        assertTrue(r.output.contains("chronyd had no usable measurement within 30 s, so the clock was not stepped: try: 30, refid: 00000000"), r.output);
        assertCalls(List.of(List.of("chronyc", "waitsync", "30", "0", "0", "1")), r.calls);
    }

    static final String KEYS = "# Managed by tsync: symmetric NTP keys (ids 1) from the controller; do not edit by hand.\n"
            + "1 SHA256 HEX:00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF\n";

    /** The key file: content only on stdin (never in the script -v prints), the platform's owner and mode, atomic, backup kept. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("hostile")
    void writeKeysWithOwnerAndMode(Mode mode, String hostile) throws Exception {
        Path target = Files.createDirectories(work.resolve("etc d" + hostile + "d")).resolve("chrony.keys" + hostile);
        Files.writeString(target, "old\n");
        String user = System.getProperty("user.name");
        String group = new String(new ProcessBuilder("id", "-gn").start().getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        RemoteCommand cmd = Commands.of(new Step.WriteKeys(target.toString(), "chrony", user, group, "640", new io.tsync.model.Secret(KEYS), true, "differs"));
        assertFalse(cmd.script().contains("00112233"), "the key is not in the script");
        assertArrayEquals(KEYS.getBytes(StandardCharsets.UTF_8), cmd.stdin());
        Result r = run(mode, cmd);
        assertEquals(0, r.exit, r.output);
        assertFalse(r.output.contains("00112233"), r.output);
        assertEquals(KEYS, Files.readString(target));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        assertEquals("old\n", Files.readString(Path.of(target + ".tsync-bak")));
        assertEquals(List.of(target.getFileName() + "", target.getFileName() + ".tsync-bak").stream().sorted().toList(), names(target.getParent()));
    }

    /** A group the host lacks fails the write, names the group, never the key; the old file stays. */
    @Test
    void writeKeysWithMissingGroupFailsWithoutShowingTheKey() throws Exception {
        Path target = Files.createDirectories(work.resolve("etc")).resolve("chrony.keys");
        Files.writeString(target, "old\n");
        Result r = run(Mode.SH, Commands.of(new Step.WriteKeys(target.toString(), "chrony", "root", "no-such-group-tsync", "640",
                new io.tsync.model.Secret(KEYS), true, "differs")));
        assertNotEquals(0, r.exit, r.output);
        assertTrue(r.output.contains("no-such-group-tsync"), r.output);
        assertFalse(r.output.contains("00112233"), r.output);
        assertEquals("old\n", Files.readString(target));
        assertEquals(List.of("chrony.keys"), names(target.getParent()), "no temp file left");
    }

    /** A line that is no key (a bug in tsync) is refused without printing the file. */
    @Test
    void writeKeysRefusesALineThatIsNoKey() throws Exception {
        Path target = Files.createDirectories(work.resolve("etc")).resolve("chrony.keys");
        Result r = run(Mode.SH, Commands.of(new Step.WriteKeys(target.toString(), "chrony", System.getProperty("user.name"), "root", "640",
                new io.tsync.model.Secret(KEYS + "allow all secretvalue\n"), false, "absent")));
        assertEquals(65, r.exit, r.output);
        assertFalse(r.output.contains("secretvalue") || r.output.contains("00112233"), r.output);
        assertFalse(Files.exists(target));
    }

    @Test
    void rollbackRestoresTheConfigAndTheKeyFile() throws Exception {
        Path conf = Files.writeString(Files.createDirectories(work.resolve("etc")).resolve("chrony.conf"), "new\n");
        Files.writeString(Path.of(conf + ".tsync-bak"), "old\n");
        Path keys = Files.writeString(work.resolve("etc/chrony.keys"), "new keys\n");
        Result r = run(Mode.SH, Commands.rollback(List.of(conf.toString(), keys.toString()), "chrony"));
        assertEquals(0, r.exit, r.output);
        assertEquals("old\n", Files.readString(conf));
        assertFalse(Files.exists(keys), "a key file this run created is removed");
    }

    /** The harness can fail: an unquoted value does run the payload, and is split into several arguments. */
    @Test
    void controlUnquotedValueIsCaught() throws Exception {
        Result r = runRaw(Mode.SH, RemoteCommand.of("systemctl disable --now x;touch PWNED"));
        assertTrue(Files.exists(work.resolve(PWNED)), "the payload ran");
        assertEquals(List.of(List.of("systemctl", "disable", "--now", "x")), r.calls);
        r = runRaw(Mode.SH, RemoteCommand.of("systemctl enable a b"));
        assertNotEquals(List.of("systemctl", "enable", "a b"), r.calls.get(r.calls.size() - 1));
    }

    // ---------------------------------------------------------------------------------------------

    record Result(int exit, String output, List<List<String>> calls) {}

    Result run(Mode mode, RemoteCommand cmd) throws Exception {
        Result r = runRaw(mode, cmd);
        assertNoPwned();
        return r;
    }

    Result runRaw(Mode mode, RemoteCommand cmd) throws Exception {
        String script = cmd.script();
        List<String> argv = switch (mode) {
            case SH -> List.of("/bin/sh", "-c", script);
            case BASH -> List.of("/bin/bash", "-c", script);
            case SUDO -> List.of("/bin/sh", "-c", "sudo -n -- sh -c " + io.tsync.transport.Shell.quote(script));
        };
        ProcessBuilder pb = new ProcessBuilder(argv).directory(work.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(cmd.stdin());
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "script did not finish");
        List<List<String>> calls = calls();
        if (mode == Mode.SUDO) {
            assertFalse(calls.isEmpty(), "sudo ran");
            assertEquals(List.of("sudo", "-n", "--", "sh", "-c", script), calls.get(0), "become passes the script as one argument");
            calls = calls.subList(1, calls.size());
        }
        return new Result(p.exitValue(), output, calls);
    }

    /** Every payload is {@code touch PWNED}: a file whose name starts with PWNED anywhere in the temp dir means one ran. */
    void assertNoPwned() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> found = s.filter(f -> f.getFileName().toString().startsWith(PWNED)).toList();
            assertEquals(List.of(), found, "a hostile value was executed");
        }
    }

    List<List<String>> calls() throws IOException {
        List<List<String>> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(log)) {
            for (Path f : s.sorted().toList()) {
                String raw = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
                assertTrue(raw.endsWith("\0"), "stub log record is complete");
                out.add(Arrays.asList(raw.substring(0, raw.length() - 1).split("\0", -1)));
            }
        }
        return out;
    }

    void clearLog() throws IOException {
        try (Stream<Path> s = Files.list(log)) {
            for (Path f : s.toList()) {
                Files.delete(f);
            }
        }
    }

    static void assertCalls(List<List<String>> expected, List<List<String>> actual) {
        assertEquals(expected, actual, () -> "argv of the stubs (each value must arrive as one verbatim argument):\n"
                + "expected " + show(expected) + "\nactual   " + show(actual));
    }

    private static String show(List<List<String>> calls) {
        return calls.stream().map(c -> c.stream().map(a -> "«" + a.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + "»")
                .toList().toString()).toList().toString();
    }

    static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static final java.time.Duration LOCK_TIMEOUT = java.time.Duration.ofSeconds(7);

    /**
     * The platform's package manager with its lock files moved into the temp dir: the script must
     * not wait for (or on) the dpkg lock of the machine running the tests.
     */
    Platform.PackageManager packages(String id, String version) {
        Platform.PackageManager pm = Platforms.lookup(id, "", version).orElseThrow().packages();
        return new Platform.PackageManager(pm.name(), pm.install(), new Platform.Lock(pm.lock().name(),
                List.of(work.resolve("lock-frontend").toString()), List.of(work.resolve("manager.pid").toString())));
    }

    /** The seconds left of the bound that reached apt: the bound, or one less when a second ticked over meanwhile. */
    static String lockLeft(String option) {
        String left = option.substring(option.indexOf('=') + 1);
        assertTrue(left.equals("7") || left.equals("6"), option);
        return left;
    }

    static String chronyCheck() {
        return Platforms.lookup("debian", "", "12").orElseThrow().daemon(Daemon.CHRONY).orElseThrow().checkConfig();
    }
}
