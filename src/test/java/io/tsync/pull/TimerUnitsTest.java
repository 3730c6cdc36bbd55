package io.tsync.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimerUnitsTest {
    @Test
    void theServiceRunsThePullWithItsArgumentsAsWordsOfExecStart() {
        String unit = TimerUnits.service(List.of("/opt/tsync-0.1.0/bin/tsync", "pull", "--url", "https://git.example.com/ops/time.git",
                "--branch", "main", "--directory", "/var/lib/tsync/pull/repo"));
        assertEquals("""
                # Written by tsync pull --install-timer (docs/pull.md); run it again to change this file.
                [Unit]
                Description=tsync pull: converge this machine's time settings from Git
                Documentation=man:tsync-pull(1)
                Wants=network-online.target
                After=network-online.target

                [Service]
                Type=oneshot
                ExecStart=/opt/tsync-0.1.0/bin/tsync pull --url https://git.example.com/ops/time.git --branch main --directory /var/lib/tsync/pull/repo
                TimeoutStartSec=1h
                """, unit);
    }

    @Test
    void theTimerRunsAfterBootThenEveryIntervalWithARandomDelay() {
        assertEquals("""
                # Written by tsync pull --install-timer (docs/pull.md); run it again to change this file.
                [Unit]
                Description=tsync pull every 15min
                Documentation=man:tsync-pull(1)

                [Timer]
                OnBootSec=1min
                OnUnitActiveSec=15min
                RandomizedDelaySec=5min
                AccuracySec=1s

                [Install]
                WantedBy=timers.target
                """, TimerUnits.timer(Duration.ofMinutes(15), Duration.ofMinutes(5)));
    }

    @Test
    void wordsSystemdWouldSplitOrExpandAreQuoted() {
        assertEquals("plain/word-1", TimerUnits.quote("plain/word-1"));
        assertEquals("\"a b\"", TimerUnits.quote("a b"));
        assertEquals("100%%", TimerUnits.quote("100%"));
        assertEquals("$$HOME", TimerUnits.quote("$HOME"));
        assertEquals("\"say \\\"hi\\\" \\\\ ok\"", TimerUnits.quote("say \"hi\" \\ ok"));
        assertEquals("\"\"", TimerUnits.quote(""));
        assertEquals("\";\"", TimerUnits.quote(";"));
        assertThrows(IllegalArgumentException.class, () -> TimerUnits.quote("a\nExecStartPre=/bin/evil"));
    }

    @Test
    void spansReadAndWrittenAsSystemdDoes() {
        assertEquals(Duration.ofMinutes(15), TimerUnits.parseSpan("15min"));
        assertEquals(Duration.ofMinutes(2), TimerUnits.parseSpan("2m"));
        assertEquals(Duration.ofSeconds(90), TimerUnits.parseSpan("90s"));
        assertEquals(Duration.ofSeconds(90), TimerUnits.parseSpan("90"));
        assertEquals(Duration.ofHours(1), TimerUnits.parseSpan("1h"));
        assertNull(TimerUnits.parseSpan("soon"));
        assertNull(TimerUnits.parseSpan("-5min"));
        assertEquals("15min", TimerUnits.span(Duration.ofMinutes(15)));
        assertEquals("2h", TimerUnits.span(Duration.ofHours(2)));
        assertEquals("90s", TimerUnits.span(Duration.ofSeconds(90)));
        assertEquals("0s", TimerUnits.span(Duration.ZERO));
        assertTrue(TimerUnits.timer(Duration.ofSeconds(90), Duration.ZERO).contains("OnUnitActiveSec=90s\nRandomizedDelaySec=0s\nAccuracySec=1s\n"));
    }
}
