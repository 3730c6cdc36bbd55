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
                + "  show) case \"$3\" in ActiveState) echo \"${STUB_ACTIVE:-active}\" ;; ConditionResult) echo \"${STUB_CONDITION:-yes}\" ;; esac ;;\n"
                + "  is-active) echo \"${STUB_ACTIVE:-active}\" ;;\n"
                + "  status) echo \"  Condition: start condition failed (ConditionCapability=CAP_SYS_TIME)\" ;;\n"
                + "esac\nexit 0\n");
        stub("apt-cache", record + "exit 1\n"); // package unknown: forces the apt-get update branch too
        stub("chronyd", record + "[ \"${STUB_CHRONYD_RC:-0}\" = 0 ] || echo \"line 1: bad directive\" >&2\nexit \"${STUB_CHRONYD_RC:-0}\"\n");
        for (String name : List.of("timedatectl", "apt-get", "dnf", "yum", "chronyc", "journalctl")) {
            stub(name, record + "exit 0\n");
        }
        // become: strip sudo's own options, then run the command (as the real sudo would, minus the user switch)
        stub("sudo", record + "while [ $# -gt 0 ]; do case \"$1\" in --) shift; break ;; -p|-u) shift 2 ;; -*) shift ;; *) break ;; esac; done\n"
                + "exec \"$@\"\n");
        env.put("PATH", bin + ":/usr/local/bin:/usr/bin:/bin");
        env.put("STUB_LOG", log.toString());
        env.put("HOME", work.toString());
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
        Result r = run(mode, Commands.of(new Step.StartService(unit, "not running")));
        assertEquals(0, r.exit, r.output);
        assertCalls(List.of(
                List.of("systemctl", "start", unit),
                List.of("systemctl", "show", "-p", "ActiveState", "--value", unit),
                List.of("systemctl", "show", "-p", "ConditionResult", "--value", unit),
                List.of("systemctl", "show", "-p", "ActiveState", "--value", unit)), r.calls);
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
                List.of("journalctl", "-u", unit, "-n", "12", "--no-pager", "-o", "cat")), r.calls);
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
                List.of("apt-cache", "show", pkg),
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
     * the directory itself) reaches timedatectl as one verbatim argument.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("hostile")
    void setTimezoneHostileName(Mode mode, String tz) throws Exception {
        Result r = run(mode, Commands.of(new Step.SetTimezone("Etc/UTC", tz, "differs")));
        if (Files.exists(Path.of("/usr/share/zoneinfo/" + tz))) {
            assertEquals(0, r.exit, r.output);
            assertCalls(List.of(List.of("timedatectl", "set-timezone", tz)), r.calls);
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
        assertCalls(List.of(List.of("timedatectl", "set-timezone", tz)), r.calls);
    }

    @Test
    void setTimezoneNormalName() throws Exception {
        for (Mode mode : modes()) {
            clearLog();
            Result r = run(mode, Commands.of(new Step.SetTimezone("Etc/UTC", "UTC", "differs")));
            if (Files.exists(Path.of("/usr/share/zoneinfo/UTC"))) {
                assertEquals(0, r.exit, r.output);
                assertCalls(List.of(List.of("timedatectl", "set-timezone", "UTC")), r.calls);
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
        Result r = run(mode, Commands.of(new Step.WriteConfig(target.toString(), CONTENT + hostile, null, chronyCheck(), "differs")));
        assertEquals(0, r.exit, r.output);
        assertArrayEquals((CONTENT + hostile).getBytes(StandardCharsets.UTF_8), Files.readAllBytes(target));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        assertEquals(1, r.calls.size(), r.calls::toString);
        List<String> check = r.calls.get(0);
        assertEquals(List.of("chronyd", "-p", "-f"), check.subList(0, 3));
        assertEquals(4, check.size(), check::toString);
        assertTrue(check.get(3).startsWith(target + ".tsync."), check.get(3));
        assertEquals(List.of(target.getFileName().toString()), names(target.getParent()), "no temp or backup file left");
    }

    /** Existing file: replaced, previous kept as .tsync-bak, its mode carried over. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("hostile")
    void writeConfigReplacesExistingFile(Mode mode, String hostile) throws Exception {
        Path target = Files.createDirectories(work.resolve("etc d" + hostile + "d")).resolve("chrony" + hostile);
        Files.writeString(target, "old\n");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r-----"));
        Result r = run(mode, Commands.of(new Step.WriteConfig(target.toString(), CONTENT, "old\n", null, "differs")));
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
        Result r = run(mode, Commands.of(new Step.WriteConfig(target.toString(), CONTENT, "old\n", chronyCheck(), "differs")));
        assertEquals(65, r.exit, r.output);
        assertTrue(r.output.contains("the daemon rejects the new config: line 1: bad directive"), r.output);
        assertEquals("old\n", Files.readString(target));
        assertEquals(List.of(target.getFileName().toString()), names(target.getParent()), "no temp file left");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("hostile")
    void rollbackRestoresBackupAndRestartsUnit(Mode mode, String hostile) throws Exception {
        Path target = Files.createDirectories(work.resolve("etc d" + hostile + "d")).resolve("chrony" + hostile);
        Files.writeString(target, "new\n");
        Files.writeString(Path.of(target + ".tsync-bak"), "old\n");
        Result r = run(mode, Commands.rollback(target.toString(), hostile));
        assertEquals(0, r.exit, r.output);
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

    @Test
    void stepClock() throws Exception {
        for (Mode mode : modes()) {
            clearLog();
            Result r = run(mode, Commands.of(new Step.StepClock("step_now")));
            assertEquals(0, r.exit, r.output);
            assertCalls(List.of(List.of("chronyc", "-a", "makestep")), r.calls);
        }
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
