package io.tsync.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.model.Daemon;
import io.tsync.model.Host;
import io.tsync.model.MakeStep;
import io.tsync.model.NtpSpec;
import io.tsync.model.Server;
import io.tsync.plan.Desired;
import io.tsync.plan.Step;
import io.tsync.render.Renderer;
import io.tsync.transport.ExecResult;
import io.tsync.transport.Transport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A command that never answers (the host rebooted, its sshd session was killed, the network went
 * silent): the host is unreachable when the connection is gone, failed when it is not, and the
 * steps applied before stay counted.
 */
class ExecutorConnectionLostTest {
    static final Host H = new Host("h1", "192.0.2.1", 22, "root", null, false, Map.of(), List.of());

    /** Answers the facts probe with a pristine Debian 12 host and every step with success, until step {@code breakAt}. */
    static class Dropping implements Transport {
        final int breakAt;
        final boolean connectionGone;
        final List<String> ran = new ArrayList<>();
        boolean broken;
        ExecutorLockFlowTest.Scripted runLock;

        Dropping(int breakAt, boolean connectionGone) {
            this.breakAt = breakAt;
            this.connectionGone = connectionGone;
        }

        @Override
        public ExecResult exec(String command, byte[] stdin, Duration timeout) throws IOException {
            ran.add(command);
            if (ran.size() == breakAt) {
                broken = true;
                if (connectionGone && runLock != null) {
                    runLock.killed = true; // its channel goes with the connection
                }
                throw new IOException(connectionGone ? "connection to h1 lost during a command" : "command timed out after 300 s on h1");
            }
            return new ExecResult(0, "", "");
        }

        @Override
        public ExecResult execUnprivileged(String command, Duration timeout) throws IOException {
            return new ExecResult(0, Files.readString(Path.of("src/test/resources/facts/debian12-pristine.txt")), "");
        }

        @Override
        public boolean alive() {
            return !(broken && connectionGone);
        }

        /** The run lock is granted at once; no package lock is held. */
        @Override
        public io.tsync.transport.RemoteProcess start(String command) {
            if (command.contains("flock")) {
                runLock = new ExecutorLockFlowTest.Scripted(List.of("@locked"), true, 75, new ArrayList<>(), null);
                return runLock;
            }
            return new ExecutorLockFlowTest.Scripted(List.of(), false, 0, new ArrayList<>(), null);
        }

        @Override
        public void close() {}
    }

    static HostResult run(Transport t) throws IOException {
        NtpSpec ntp = new NtpSpec(Daemon.CHRONY, List.of(new Server("0.kr.pool.ntp.org", false, true, false, null, null, false)),
                new MakeStep(1.0, 3), false, List.of(), null, false, null);
        Reporter quiet = new Reporter() {
            public void stepDone(String host, Step step, boolean ok, String detail) {}

            public void hostDone(HostResult result) {}
        };
        Executor ex = new Executor(new Executor.Options(false, false, 1, Duration.ofSeconds(300), Duration.ofSeconds(120), ExecutorLockFlowTest.ME), new Renderer(null), h -> t, quiet);
        return ex.runHost(new HostJob(H, List.of(new Desired("Asia/Seoul", ntp))));
    }

    @Test
    void connectionLostMidApplyIsUnreachableAndKeepsWhatWasApplied() throws Exception {
        HostResult r = run(new Dropping(2, true)); // set timezone, then install chrony never answers
        assertEquals(Outcome.UNREACHABLE, r.outcome(), r.message());
        assertEquals(List.of("set timezone Asia/Seoul"), r.applied().stream().map(Step::title).toList(), "the timezone was set: changed=1");
        assertEquals(5, r.plan().size());
        assertTrue(r.message().startsWith("connection lost during 'install chrony': connection to h1 lost during a command"), r.message());
        assertTrue(r.message().contains("applied before: set timezone Asia/Seoul"), r.message());
        assertTrue(r.message().contains("the next run converges it"), r.message());
    }

    @Test
    void noAnswerOnALiveConnectionIsAFailure() throws Exception {
        HostResult r = run(new Dropping(2, false));
        assertEquals(Outcome.FAILED, r.outcome(), r.message());
        assertEquals(1, r.changed());
        assertEquals("no answer during 'install chrony': command timed out after 300 s on h1", r.message());
    }

    /** The restart ran into a shutdown (exit 76 from its script): unreachable, and no rollback of a config nothing is wrong with. */
    @Test
    void aRestartCutByAShutdownIsNotRolledBack() throws Exception {
        Dropping t = new Dropping(-1, false) {
            @Override
            public ExecResult exec(String command, byte[] stdin, Duration timeout) throws IOException {
                ran.add(command);
                return command.contains("systemctl restart") && !command.contains("tsync-bak")
                        ? new ExecResult(Commands.HOST_STOPPING, "", "the host is shutting down: chrony was stopped with it\n")
                        : new ExecResult(0, "", "");
            }
        };
        HostResult r = run(t);
        assertEquals(Outcome.UNREACHABLE, r.outcome(), r.message());
        assertEquals("the host is shutting down: chrony was stopped with it during 'restart chrony' (a reboot?); "
                + "its config was not rolled back: the next run converges it", r.message());
        assertEquals(4, r.changed(), "timezone, install, write, enable");
        assertTrue(t.ran.stream().noneMatch(c -> c.contains("tsync-bak\" \"$f\"")), "no rollback:\n" + t.ran);
    }
}
