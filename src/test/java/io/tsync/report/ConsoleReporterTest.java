package io.tsync.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.exec.HostResult;
import io.tsync.exec.Outcome;
import io.tsync.plan.Step;
import io.tsync.transport.ExecResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Human output: -v traces commands, plain without colour (NO_COLOR / piped), progress for many hosts. */
class ConsoleReporterTest {
    static final Step TZ = new Step.SetTimezone("Etc/UTC", "Asia/Seoul", "timezone is Etc/UTC, want Asia/Seoul");

    static String run(boolean color, boolean verbose, boolean progress) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ConsoleReporter r = new ConsoleReporter(new PrintStream(buf, true, StandardCharsets.UTF_8), color, false, verbose, 2, 2, progress);
        r.command("h1", "timedatectl set-timezone 'Asia/Seoul'", new ExecResult(0, "", ""));
        r.stepDone("h1", TZ, true, TZ.reason());
        HostResult h1 = new HostResult("h1", Outcome.CHANGED, List.of(TZ), List.of(TZ), 0, null, null, "debian12+");
        r.hostDone(h1);
        r.hostDone(new HostResult("h2", Outcome.OK, List.of(), List.of(), 1, null, null, "debian12+"));
        r.recap(List.of(h1));
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void verboseShowsEachRemoteCommandAndItsExit() {
        String v = run(false, true, false);
        assertTrue(v.lines().anyMatch(l -> l.matches("h1\\s+\\$ timedatectl set-timezone 'Asia/Seoul'")), v);
        assertTrue(v.lines().anyMatch(l -> l.matches("h1\\s+exit 0")), v);
        assertFalse(run(false, false, false).contains("$ timedatectl"), "quiet without -v");
    }

    @Test
    void aHostThatWaitsSaysSoOnItsLine() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ConsoleReporter r = new ConsoleReporter(new PrintStream(buf, true, StandardCharsets.UTF_8), false, false, false, 2, 1, false);
        r.waiting("h1", "dpkg lock held by unattended-upgr (pid 1234), up to 120 s");
        assertEquals("h1    waiting  dpkg lock held by unattended-upgr (pid 1234), up to 120 s\n", buf.toString(StandardCharsets.UTF_8));
    }

    @Test
    void plainWithoutColourAndColouredOnATerminal() {
        assertFalse(run(false, false, false).contains("\u001b["), "NO_COLOR / piped: no escape codes");
        assertTrue(run(true, false, false).contains("\u001b[33mchanged\u001b[0m"));
    }

    @Test
    void progressLineCountsHostsDone() {
        String p = run(false, false, true);
        assertTrue(p.contains("[1/2 hosts done, "), p);
        assertFalse(run(false, false, false).contains("hosts done"));
    }

    @Test
    void aLinePrintedWhileTheProgressLineIsShownErasesItFirst() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ConsoleReporter r = new ConsoleReporter(new PrintStream(buf, true, StandardCharsets.UTF_8), false, false, false, 2, 2, true);
        r.hostDone(new HostResult("h1", Outcome.OK, List.of(), List.of(), 1, null, null, "debian12+"));
        r.stepDone("h2", TZ, true, TZ.reason());
        r.recap(List.of());
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.matches("(?s).*\\[1/2 hosts done, [0-9.]+ s\\]\r\u001b\\[2Kh2 +changed  set timezone.*"), out);
        assertTrue(out.matches("(?s).*\\[1/2 hosts done, [0-9.]+ s\\]\r\u001b\\[2K\nRECAP.*"), "the recap erases the progress line: " + out);
    }

    @Test
    void recapLine() {
        String out = run(false, false, false);
        assertTrue(out.lines().anyMatch(l -> l.matches("h1\\s+: ok=0  changed=1  failed=0  unreachable=0")), out);
        assertEquals(1, out.lines().filter(l -> l.startsWith("RECAP")).count());
    }
}
