package io.tsync.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.facts.FactsProbe;
import io.tsync.model.Daemon;
import io.tsync.model.Host;
import io.tsync.model.MakeStep;
import io.tsync.model.NtpSpec;
import io.tsync.model.Server;
import io.tsync.plan.Desired;
import io.tsync.plan.Step;
import io.tsync.render.Renderer;
import io.tsync.transport.ExecResult;
import io.tsync.transport.RemoteProcess;
import io.tsync.transport.Transport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The executor's order of work on one host, against a scripted host: a converged host (or --check)
 * costs one facts exec and no lock; a host with changes takes the run lock, gathers facts again and
 * plans on them before changing anything; a busy lock or a package lock held past the bound fails
 * the host before any change.
 */
class ExecutorLockFlowTest {
    static final Host H = new Host("h1", "192.0.2.1", 22, "root", null, false, Map.of(), List.of());
    static final Duration BOUND = Duration.ofSeconds(7);
    static final RunLock.Owner ME = new RunLock.Owner("ctl2", "bob", 777, Instant.parse("2026-12-01T10:05:00Z"), "apply b.yaml");
    static final String HOLDER = new RunLock.Owner("ctl1", "alice", 4242, Instant.parse("2026-12-01T10:00:00Z"), "apply a.yaml").file();
    static final Desired SEOUL = new Desired("Asia/Seoul", null);
    static final Desired SEOUL_CHRONY = new Desired("Asia/Seoul", new NtpSpec(Daemon.CHRONY,
            List.of(new Server("0.kr.pool.ntp.org", false, true, false, null, null, false)), new MakeStep(1.0, 3), false, List.of(), null, false, null));

    static String facts(String name) throws IOException {
        return Files.readString(Path.of("src/test/resources/facts", name));
    }

    /** A started command that prints the given lines, then ends with the given status (or stays, for the run lock). */
    static final class Scripted implements RemoteProcess {
        final Deque<String> lines;
        final boolean staysOpen;
        final int exit;
        final List<String> log;
        final String onClose;
        boolean closed;
        boolean killed;

        Scripted(List<String> lines, boolean staysOpen, int exit, List<String> log, String onClose) {
            this.lines = new ArrayDeque<>(lines);
            this.staysOpen = staysOpen;
            this.exit = exit;
            this.log = log;
            this.onClose = onClose;
        }

        @Override
        public String readLine(Duration timeout) throws IOException {
            if (lines.isEmpty() && staysOpen) {
                throw new IOException("the test's host has nothing more to say");
            }
            return lines.poll();
        }

        @Override
        public void write(byte[] bytes) {}

        @Override
        public int exitStatus() {
            return exit;
        }

        @Override
        public String stderr() {
            return "";
        }

        @Override
        public boolean alive() {
            return !closed && !killed;
        }

        @Override
        public void close() {
            if (!closed && onClose != null) {
                log.add(onClose);
            }
            closed = true;
        }
    }

    /** A host that answers facts probes from a queue and logs everything done to it, in order. */
    static final class FakeHost implements Transport {
        final Deque<String> probes = new ArrayDeque<>();
        final List<String> log = new ArrayList<>();
        final List<String> scripts = new ArrayList<>();
        List<String> runLock = List.of("@locked");
        List<String> packageLock = List.of();
        int packageLockExit;
        boolean lockDiesAtOnce;

        @Override
        public ExecResult exec(String command, byte[] stdin, Duration timeout) {
            scripts.add(command);
            log.add("step " + command.lines().findFirst().orElse(""));
            return new ExecResult(0, "", "");
        }

        @Override
        public ExecResult execUnprivileged(String command, Duration timeout) {
            assertEquals(FactsProbe.command(), command);
            log.add("facts");
            return new ExecResult(0, probes.remove(), "");
        }

        @Override
        public RemoteProcess start(String command) {
            if (command.contains("flock")) {
                log.add("run lock");
                Scripted s = new Scripted(runLock, true, 75, log, "run lock released");
                s.killed = lockDiesAtOnce;
                return s;
            }
            assertTrue(command.contains("tsync_lock_holder"), command);
            log.add("package lock");
            return new Scripted(packageLock, false, packageLockExit, log, null);
        }

        @Override
        public void close() {}
    }

    final List<String> waits = new ArrayList<>();
    final Reporter reporter = new Reporter() {
        @Override
        public void stepDone(String host, Step step, boolean ok, String detail) {}

        @Override
        public void hostDone(HostResult result) {}

        @Override
        public void waiting(String host, String what) {
            waits.add(host + " " + what);
        }
    };

    HostResult run(FakeHost host, boolean check, Desired desired) throws IOException {
        Executor e = new Executor(new Executor.Options(check, false, 1, Duration.ofSeconds(30), BOUND, ME), new Renderer(null), h -> host, reporter);
        return e.runHost(new HostJob(H, List.of(desired)));
    }

    @Test
    void aConvergedHostCostsOneFactsExecAndNoLock() throws Exception {
        FakeHost host = new FakeHost();
        host.probes.add(facts("debian12-chrony-converged.txt"));
        HostResult r = run(host, false, SEOUL);
        assertEquals(Outcome.OK, r.outcome());
        assertEquals(List.of("facts"), host.log);
    }

    @Test
    void checkTakesNoLock() throws Exception {
        FakeHost host = new FakeHost();
        host.probes.add(facts("debian12-pristine.txt"));
        HostResult r = run(host, true, SEOUL);
        assertEquals(Outcome.PENDING, r.outcome());
        assertEquals(List.of("facts"), host.log);
    }

    @Test
    void changesAreMadeHoldingTheLockAndPlannedOnFactsGatheredUnderIt() throws Exception {
        FakeHost host = new FakeHost();
        host.probes.add(facts("debian12-pristine.txt"));
        host.probes.add(facts("debian12-pristine.txt"));
        HostResult r = run(host, false, SEOUL);
        assertEquals(Outcome.CHANGED, r.outcome(), r.message());
        assertEquals(List.of("facts", "run lock", "facts", "step tz='Asia/Seoul'", "run lock released"), host.log);
    }

    @Test
    void whatAnotherRunDidWhileThisOneWaitedIsNotDoneAgain() throws Exception {
        FakeHost host = new FakeHost();
        host.probes.add(facts("debian12-pristine.txt"));
        host.probes.add(facts("debian12-chrony-converged.txt")); // the other run set the timezone meanwhile
        host.runLock = List.of("@busy", HOLDER, "@end", "@locked");
        HostResult r = run(host, false, SEOUL);
        assertEquals(Outcome.OK, r.outcome(), r.message());
        assertEquals(List.of(), r.applied());
        assertEquals(List.of("facts", "run lock", "facts", "run lock released"), host.log);
        assertEquals(List.of("h1 run lock held by alice@ctl1 pid 4242 since 2026-12-01T10:00:00Z (apply a.yaml), up to 7 s"), waits);
    }

    @Test
    void aRunLockHeldPastTheBoundFailsTheHostNamingItsHolder() throws Exception {
        FakeHost host = new FakeHost();
        host.probes.add(facts("debian12-pristine.txt"));
        host.runLock = List.of("@busy", HOLDER, "@end", "@timeout", HOLDER, "@end");
        HostResult r = run(host, false, SEOUL);
        assertEquals(Outcome.FAILED, r.outcome());
        assertEquals("run lock held by alice@ctl1 pid 4242 since 2026-12-01T10:00:00Z (apply a.yaml) for more than 7 s (--lock-timeout): "
                + "another tsync run is changing this host; nothing was changed; run again when it has finished", r.message());
        assertEquals(List.of("facts", "run lock", "run lock released"), host.log);
        assertEquals(1, r.plan().size(), "the plan it would have applied");
    }

    @Test
    void aLostRunLockStopsTheHostBeforeItsNextStep() throws Exception {
        FakeHost host = new FakeHost();
        host.probes.add(facts("debian12-pristine.txt"));
        host.probes.add(facts("debian12-pristine.txt"));
        host.lockDiesAtOnce = true;
        HostResult r = run(host, false, SEOUL);
        assertEquals(Outcome.FAILED, r.outcome());
        assertTrue(r.message().startsWith("lost the run lock before 'set timezone Asia/Seoul'"), r.message());
        assertEquals(List.of("facts", "run lock", "facts", "run lock released"), host.log);
    }

    @Test
    void aPackageLockHeldPastTheBoundFailsTheHostBeforeItsFirstChange() throws Exception {
        FakeHost host = new FakeHost();
        host.probes.add(facts("debian12-pristine.txt"));
        host.probes.add(facts("debian12-pristine.txt"));
        host.packageLock = List.of("@waiting 1234 /var/lib/dpkg/lock-frontend unattended-upgr", "@timeout 1234 /var/lib/dpkg/lock-frontend unattended-upgr");
        host.packageLockExit = PackageLockWait.TIMED_OUT;
        HostResult r = run(host, false, SEOUL_CHRONY);
        assertEquals(Outcome.FAILED, r.outcome());
        assertEquals("dpkg lock still held by unattended-upgr (pid 1234) after 7 s (--lock-timeout; /var/lib/dpkg/lock-frontend): "
                + "nothing was changed; run again once it is released, or raise --lock-timeout", r.message());
        assertEquals(List.of("facts", "run lock", "facts", "package lock", "run lock released"), host.log, "not even the timezone was set");
        assertEquals(List.of("h1 dpkg lock held by unattended-upgr (pid 1234), up to 7 s"), waits);
    }

    @Test
    void onceThePackageLockIsFreeThePlayRunsWithTheRestOfTheBoundForTheInstall() throws Exception {
        FakeHost host = new FakeHost();
        host.probes.add(facts("debian12-pristine.txt"));
        host.probes.add(facts("debian12-pristine.txt"));
        host.packageLock = List.of("@waiting 1234 /var/lib/dpkg/lock-frontend unattended-upgr");
        HostResult r = run(host, false, SEOUL_CHRONY);
        assertEquals(Outcome.CHANGED, r.outcome(), r.message());
        assertEquals(List.of("facts", "run lock", "facts", "package lock"), host.log.subList(0, 4));
        assertEquals("run lock released", host.log.get(host.log.size() - 1));
        String install = host.scripts.stream().filter(s -> s.contains("apt-get install")).findFirst().orElseThrow();
        assertTrue(install.contains("tsync_lock_holder") && install.contains("DPkg::Lock::Timeout=\"$LOCK_TIMEOUT\""), install);
        assertEquals(List.of("h1 dpkg lock held by unattended-upgr (pid 1234), up to 7 s"), waits);
    }
}
