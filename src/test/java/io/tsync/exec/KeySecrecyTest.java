package io.tsync.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.load.KeyMaterial;
import io.tsync.load.PlaybookLoader;
import io.tsync.load.Problem;
import io.tsync.model.Host;
import io.tsync.model.NtpSpec;
import io.tsync.plan.Desired;
import io.tsync.plan.Step;
import io.tsync.render.Renderer;
import io.tsync.report.ConsoleReporter;
import io.tsync.report.Json;
import io.tsync.report.RunReport;
import io.tsync.transport.ExecResult;
import io.tsync.transport.RemoteProcess;
import io.tsync.transport.Transport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key reaches the host on stdin and nowhere else: not in the -v trace (which prints scripts and
 * output, never stdin), not in --diff, --json, --junit, not in a failure's message, not in a loader
 * error about a bad value. Checked on the real outputs of a run against a scripted host whose facts
 * were captured on a lab host.
 */
class KeySecrecyTest {
    static final String KEY = "A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90";

    /** A host that answers the facts probe with a capture and every other command as told, recording stdin. */
    static final class ScriptedHost implements Transport {
        final String facts;
        final String failOn;
        final List<String> stdins = new ArrayList<>();

        ScriptedHost(String facts, String failOn) {
            this.facts = facts;
            this.failOn = failOn;
        }

        @Override
        public ExecResult exec(String command, byte[] stdin, Duration timeout) {
            stdins.add(new String(stdin, StandardCharsets.UTF_8));
            if (failOn != null && command.contains(failOn)) {
                return new ExecResult(1, "", "chown: invalid group: 'root:_chrony'");
            }
            return new ExecResult(0, "", "");
        }

        @Override
        public ExecResult execUnprivileged(String command, Duration timeout) {
            return new ExecResult(0, facts, "");
        }

        /** The run lock is granted and held; the package manager's lock is free. */
        @Override
        public RemoteProcess start(String command) {
            return command.contains("flock") ? new ExecutorLockFlowTest.Scripted(List.of("@locked"), true, 75, new ArrayList<>(), null)
                    : new ExecutorLockFlowTest.Scripted(List.of(), false, 0, new ArrayList<>(), null);
        }

        @Override
        public void close() {}
    }

    record Outputs(String console, String json, String junit, HostResult result, ScriptedHost host) {
        String all() {
            return console + json + junit + result;
        }
    }

    static Outputs apply(String failOn, boolean check) throws Exception {
        NtpSpec spec = PlaybookLoader.load(Path.of("src/test/resources/depth/client.yaml")).plays().get(0).ntp();
        spec = KeyMaterial.resolve(spec, Map.of("TSYNC_NTP_KEY_1", "HEX:" + KEY), true, new ArrayList<>(), new ArrayList<>());
        ScriptedHost fake = new ScriptedHost(Files.readString(Path.of("src/test/resources/facts/debian12-chrony-x.txt")), failOn);
        Host h1 = new Host("h1", "10.213.0.11", 22, "root", null, false, Map.of(), List.of());
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ConsoleReporter reporter = new ConsoleReporter(new PrintStream(console, true, StandardCharsets.UTF_8), false, check, true, 2, 1, false);
        Executor ex = new Executor(new Executor.Options(check, true, 1, Duration.ofSeconds(10), Duration.ofSeconds(5), ExecutorLockFlowTest.ME), new Renderer(null), host -> fake, reporter);
        List<HostResult> results = ex.run(List.of(new HostJob(h1, List.of(new Desired("Asia/Seoul", spec)))));
        reporter.recap(results);
        String json = Json.write(RunReport.document("client.yaml", check, results, 0));
        String junit = RunReport.junit("client.yaml", check, results, 1.0);
        return new Outputs(console.toString(StandardCharsets.UTF_8), json, junit, results.get(0), fake);
    }

    static void assertNoKey(String where, String text) {
        assertFalse(text.contains(KEY) || text.contains(KEY.toLowerCase(Locale.ROOT)) || text.contains(KEY.substring(0, 16)),
                "the key appears in " + where + ":\n" + text);
    }

    @Test
    void aRunThatWritesTheKeyFileShowsItNowhere() throws Exception {
        Outputs o = apply(null, false);
        assertEquals(Outcome.CHANGED, o.result().outcome(), o.console());
        assertTrue(o.result().applied().stream().anyMatch(s -> s instanceof Step.WriteKeys), o.console());
        assertTrue(o.host().stdins.stream().anyMatch(s -> s.contains("1 SHA256 HEX:" + KEY)), "the key is sent, on stdin");
        assertTrue(o.console().contains("  $ set -eu"), "-v prints the scripts:\n" + o.console());
        assertTrue(o.console().contains("key file changed (/etc/chrony/chrony.keys does not hold the playbook's keys); its content is not shown"),
                "--diff says the key file changes:\n" + o.console());
        assertTrue(o.json().contains("write key file /etc/chrony/chrony.keys"), o.json());
        assertNoKey("the console output (-v, --diff)", o.console());
        assertNoKey("--json", o.json());
        assertNoKey("--junit", o.junit());
        assertNoKey("the host result", o.result().toString());
    }

    @Test
    void checkModeAndAFailedWriteShowItNowhereEither() throws Exception {
        Outputs check = apply(null, true);
        assertEquals(Outcome.PENDING, check.result().outcome());
        assertNoKey("--check --diff -v --json --junit", check.all());
        assertTrue(check.host().stdins.stream().noneMatch(s -> s.contains(KEY)), "--check sends nothing");

        Outputs failed = apply("umask 077", false);
        assertEquals(Outcome.FAILED, failed.result().outcome());
        assertTrue(failed.result().message().contains("'write key file /etc/chrony/chrony.keys' failed (exit 1): chown: invalid group: 'root:_chrony'"),
                failed.result().message());
        assertNoKey("a failed run's outputs", failed.all());
    }

    @Test
    void aBadValueIsDescribedByItsShapeNeverShown(@TempDir Path dir) throws Exception {
        NtpSpec spec = PlaybookLoader.load(Path.of("src/test/resources/depth/client.yaml")).plays().get(0).ntp();
        String bad = "correct horse battery staple";
        List<Problem> problems = new ArrayList<>();
        KeyMaterial.resolve(spec, Map.of("TSYNC_NTP_KEY_1", bad), true, problems, new ArrayList<>());
        assertEquals(1, problems.size());
        String text = problems.get(0).render();
        assertTrue(text.contains("client.yaml:8:7: the value of key 1 (environment variable TSYNC_NTP_KEY_1) is not a random key of 128 to 512 bits in hex "
                + "(28 characters, spaces, characters that are not hex digits; the value itself is not shown)"), text);
        assertFalse(text.contains("horse"), text);
    }

    @Test
    void aMissingValueIsAnErrorForApplyAndAWarningForValidate(@TempDir Path dir) throws Exception {
        NtpSpec spec = PlaybookLoader.load(Path.of("src/test/resources/depth/chrony-server.yaml")).plays().get(0).ntp();
        List<Problem> problems = new ArrayList<>();
        List<Problem> warnings = new ArrayList<>();
        KeyMaterial.resolve(spec, Map.of(), false, problems, warnings);
        assertEquals(List.of(), problems);
        assertEquals(2, warnings.size());
        assertTrue(warnings.get(0).message().startsWith("environment variable TSYNC_NTP_KEY_1 (key 1) is not set; apply will refuse"), warnings.get(0).message());
        assertTrue(warnings.get(1).message().contains("depth/keys/ntp-2.key (key 2) does not exist"), warnings.get(1).message());
        KeyMaterial.resolve(spec, Map.of(), true, problems, new ArrayList<>());
        assertEquals(2, problems.size(), "apply refuses before contacting any host");
    }

    @Test
    void aKeyFileBesideThePlaybookIsRead(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("keys"));
        Files.writeString(dir.resolve("keys/ntp-1.key"), KEY.toLowerCase(Locale.ROOT) + "\n");
        Path pb = Files.writeString(dir.resolve("pb.yaml"), "hosts: all\nntp:\n  servers:\n    - { host: a.example.com, key: 1 }\n"
                + "  keys:\n    - { id: 1, type: SHA1, value_from_file: keys/ntp-1.key }\n");
        NtpSpec spec = PlaybookLoader.load(pb).plays().get(0).ntp();
        NtpSpec read = KeyMaterial.resolve(spec, Map.of(), true, new ArrayList<>(), new ArrayList<>());
        assertEquals(KEY, read.advanced().keys().get(0).value().reveal());
        assertEquals("<secret>", read.advanced().keys().get(0).value().toString());
        assertEquals("# Managed by tsync: symmetric NTP keys (ids 1) from the controller; do not edit by hand.\n1 SHA1 " + KEY.toLowerCase(Locale.ROOT) + "\n",
                io.tsync.render.KeyFiles.render(io.tsync.model.Daemon.NTPD, read.advanced().keys()).reveal(), "ntp reads a key longer than 20 characters as hex");
    }
}
