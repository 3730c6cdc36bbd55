package io.tsync.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.model.Daemon;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link StatusProbe#parse} on complete probe outputs. They were made by running {@link StatusProbe#command()} with
 * dash against real chronyd 4.3 instances (run with {@code -x}, never touching the clock) and NTPsec 1.2.2's ntpq;
 * systemctl, date and the timezone files were stubbed (the capturing machine has no systemd), and addresses rewritten
 * to documentation ranges.
 */
class StatusProbeTest {

    private static HostStatus probe(String sample) {
        return StatusProbe.parse("web1", Samples.read(sample));
    }

    private static List<Integer> counts(HostStatus h) {
        return HostStatus.STATES.stream().map(h.sourceStateCounts()::get).toList();
    }

    @Test
    void chronySynced() {
        HostStatus h = probe("probe-chrony-synced.txt");
        assertEquals("web1", h.host());
        assertEquals(OffsetDateTime.parse("2026-11-25T21:13:35+01:00"), h.localTime());
        assertEquals("Europe/Berlin", h.timezone());
        assertEquals(Daemon.CHRONY, h.daemon());
        assertEquals(true, h.active());
        assertEquals(true, h.enabled());
        assertEquals("192.0.2.11", h.selectedSource());
        assertEquals(3, h.stratum());
        assertEquals(0.000000001, h.lastOffsetSeconds());
        assertEquals(0.000000063, h.rmsOffsetSeconds());
        assertEquals(255, h.reach());
        assertEquals("Normal", h.leap());
        assertEquals(List.of(1, 1, 1, 1, 0, 0), counts(h));
        assertEquals(4, h.sources().size());
        assertEquals(Verdict.SYNCED, h.verdict());
        assertEquals("4 sources: 1 *, 1 +, 1 -, 1 ?", h.detail());
    }

    @Test
    void chronyLeapStatusDecidesBetweenSyncedAndSyncing() {
        String synced = Samples.read("probe-chrony-synced.txt");
        HostStatus insert = StatusProbe.parse("web1", synced.replace(",4.0,Normal", ",4.0,Insert second"));
        assertEquals(Verdict.SYNCED, insert.verdict(), "a pending leap second is still synchronised");
        assertEquals("Insert second", insert.leap());
        HostStatus notYet = StatusProbe.parse("web1", synced.replace(",4.0,Normal", ",4.0,Not synchronised"));
        assertEquals(Verdict.SYNCING, notYet.verdict());
        assertEquals("192.0.2.11", notYet.selectedSource());
        assertEquals("4 sources: 1 *, 1 +, 1 -, 1 ?; leap status Not synchronised", notYet.detail());
    }

    @Test
    void unparsableReportIsNotCalledSynced() {
        String synced = Samples.read("probe-chrony-synced.txt");
        HostStatus h = StatusProbe.parse("web1", synced.replace("^,*,192.0.2.11,2,2,377,4,", "^,*,192.0.2.11,2,2,XYZ,4,"));
        assertEquals(Verdict.UNSYNCED, h.verdict());
        assertTrue(h.detail().startsWith("cannot parse chronyc sources: chronyc sources line 1"), h.detail());
    }

    @Test
    void hostStatusNormalisesCounts() {
        HostStatus h = new HostStatus("h", null, null, null, null, null, null, null, null, null, null, null,
                Map.of('*', 2), null, Verdict.SYNCED, null);
        assertEquals(List.of(2, 0, 0, 0, 0, 0), counts(h));
        assertEquals(List.of(), h.sources());
        assertEquals("", h.detail());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new HostStatus("h", null, null, null, null, null, null, null, null, null, null, null,
                        Map.of('!', 1), List.of(), Verdict.SYNCED, ""));
        org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class,
                () -> h.sourceStateCounts().put('*', 3));
    }

    @Test
    void chronyUnsyncedAllUnreachable() {
        HostStatus h = probe("probe-chrony-unsynced.txt");
        assertEquals(Daemon.CHRONY, h.daemon());
        assertEquals(true, h.active());
        assertEquals("America/New_York", h.timezone());
        assertEquals(-5 * 3600, h.localTime().getOffset().getTotalSeconds());
        assertNull(h.selectedSource());
        assertNull(h.stratum(), "no reference yet: chronyc's stratum 0 means nothing");
        assertNull(h.lastOffsetSeconds());
        assertNull(h.reach());
        assertEquals("Not synchronised", h.leap());
        assertEquals(List.of(0, 0, 0, 3, 0, 0), counts(h));
        assertEquals(Verdict.UNSYNCED, h.verdict());
        assertEquals("3 sources, all ? (unreachable)", h.detail());
    }

    @Test
    void chronySyncingSourcesAnswerButNoneSelected() {
        HostStatus h = probe("probe-chrony-syncing.txt");
        assertEquals(Verdict.SYNCING, h.verdict());
        assertEquals("Not synchronised", h.leap());
        assertEquals(List.of(0, 0, 0, 3, 0, 0), counts(h));
        assertEquals("3 sources, all ? (not selectable yet)", h.detail());
        assertEquals("Australia/Sydney", h.timezone());
    }

    @Test
    void chronyLocalModeWithoutSources() {
        HostStatus h = probe("probe-chrony-local.txt");
        assertEquals(Daemon.CHRONY, h.daemon());
        assertEquals("LOCAL", h.selectedSource());
        assertEquals(2, h.stratum());
        assertEquals("Normal", h.leap());
        assertEquals(List.of(0, 0, 0, 0, 0, 0), counts(h));
        assertEquals(Verdict.UNSYNCED, h.verdict());
        assertEquals("no sources; local mode (reference ID 7F7F0101, stratum 2)", h.detail());
    }

    @Test
    void chronydDown() {
        HostStatus h = probe("probe-chrony-down.txt");
        assertEquals(Daemon.CHRONY, h.daemon());
        assertEquals(false, h.active());
        assertEquals(true, h.enabled());
        assertEquals(Verdict.DAEMON_DOWN, h.verdict());
        assertEquals("chrony.service failed; chronyc: 506 Cannot talk to daemon", h.detail());
        assertEquals(List.of(), h.sources());
        assertNull(h.leap());
        assertEquals("Europe/London", h.timezone());
    }

    @Test
    void chronydDownWithoutSystemd() {
        HostStatus h = probe("probe-no-systemd-down.txt");
        assertEquals(Daemon.CHRONY, h.daemon(), "chronyc is installed");
        assertNull(h.active());
        assertNull(h.enabled());
        assertEquals(Verdict.DAEMON_DOWN, h.verdict());
        assertEquals("chronyc: 506 Cannot talk to daemon", h.detail());
        assertEquals("Etc/UTC", h.timezone());
    }

    @Test
    void ntpsecSynced() {
        HostStatus h = probe("probe-ntpsec-synced.txt");
        assertEquals(Daemon.NTPD, h.daemon());
        assertEquals(true, h.active());
        assertEquals(true, h.enabled());
        assertEquals("Asia/Tokyo", h.timezone());
        assertEquals("192.0.2.11", h.selectedSource());
        assertEquals(3, h.stratum());
        assertEquals(-0.000215432, h.lastOffsetSeconds(), 1e-15);
        assertEquals(0.000112033, h.rmsOffsetSeconds(), 1e-15);
        assertEquals(255, h.reach());
        assertEquals("Normal", h.leap());
        assertEquals(8, h.sources().size());
        assertEquals(List.of(1, 2, 1, 1, 1, 0), counts(h));
        assertEquals(Verdict.SYNCED, h.verdict());
        assertEquals("6 sources: 1 *, 2 +, 1 -, 1 ?, 1 x; 2 pool entries", h.detail());
    }

    @Test
    void ntpsecDown() {
        HostStatus h = probe("probe-ntpsec-down.txt");
        assertEquals(Daemon.NTPD, h.daemon());
        assertEquals(false, h.active());
        assertEquals(false, h.enabled());
        assertEquals(Verdict.DAEMON_DOWN, h.verdict());
        assertEquals("ntpsec.service inactive (dead); ntpq: Socket error; probably ntpd is not running", h.detail());
    }

    @Test
    void ntpdLocalClockOnlyIsNotSynced() {
        String out = probeOutput("", "@exit chronyc-sources 127", Samples.read("ntpq-peers-local.txt"), "leap=00, stratum=11");
        HostStatus h = StatusProbe.parse("old", out);
        assertEquals(Daemon.NTPD, h.daemon());
        assertEquals("127.127.1.0", h.selectedSource());
        assertEquals(Verdict.UNSYNCED, h.verdict());
        assertEquals("2 sources: 1 *, 1 ?; only the local clock is selected (.LOCL.)", h.detail());
        assertEquals(11, h.stratum());
    }

    @Test
    void ntpdClassicDown() {
        String out = probeOutput("", "@exit chronyc-sources 127", Samples.read("ntpq-down.txt"), "ntpq: read: Connection refused");
        HostStatus h = StatusProbe.parse("old", out);
        assertEquals(Daemon.NTPD, h.daemon());
        assertEquals(Verdict.DAEMON_DOWN, h.verdict());
        assertEquals("ntpq: read: Connection refused", h.detail());
    }

    /** An output of the probe before it asked timedatectl: timesyncd is the daemon, but nothing says how it does. */
    @Test
    void onlyTimesyncdWithoutItsSections() {
        HostStatus h = probe("probe-timesyncd.txt");
        assertEquals(Daemon.TIMESYNCD, h.daemon());
        assertEquals("timesyncd", h.daemonKey());
        assertEquals(Boolean.TRUE, h.active());
        assertEquals(Verdict.DAEMON_DOWN, h.verdict());
        assertEquals("timedatectl show-timesync did not run", h.detail());
    }

    /** Captured on a lab host (Debian 13, systemd 257) whose timesyncd polls a lab upstream but may not set the clock. */
    @Test
    void timesyncdSyncedInTheSameTable() {
        HostStatus h = probe("probe-timesyncd-synced.txt");
        assertEquals(Daemon.TIMESYNCD, h.daemon());
        assertEquals(Verdict.SYNCED, h.verdict());
        assertEquals("10.213.0.2", h.selectedSource());
        assertEquals(9, h.stratum());
        assertEquals(6e-6, h.lastOffsetSeconds(), 1e-12);
        assertEquals("Normal", h.leap());
        assertNull(h.reach(), "timesyncd keeps no reach register");
        assertEquals(List.of(1, 0, 0, 0, 0, 0), counts(h));
        assertEquals(6, h.sources().get(0).pollLog2(), "1min 4s");
        assertEquals(51e-6, h.sources().get(0).delaySeconds(), 1e-12);
        assertEquals("systemd-timesyncd: server 0.kr.pool.ntp.org (10.213.0.2), 54 replies, poll 1min 4s; "
                + "kernel clock not marked synchronised (NTPSynchronized=no: timesyncd could not adjust it, e.g. no CAP_SYS_TIME)", h.detail());
        String row = StatusTable.render(List.of(h), false).lines().skip(1).findFirst().orElseThrow();
        assertTrue(row.matches("\\S+ .* timesyncd +yes +yes +10\\.213\\.0\\.2 +9 +\\+6\\.0us .* synced .*"), row);
    }

    /** systemd 247 (Debian 11) prints no comma between Ignored and PacketCount; a server without a reply is syncing. */
    @Test
    void timesyncdOnSystemd247AndBeforeTheFirstReply() {
        var msg = TimesyncdParsers.ntpMessage("{ Leap=0, Version=4, Mode=4, Stratum=8, Precision=-26, RootDelay=0, RootDispersion=0, "
                + "Reference=7F7F0101, OriginateTimestamp=Mon 2026-11-30 18:54:01 UTC, ReceiveTimestamp=Mon 2026-11-30 18:54:01 UTC, "
                + "TransmitTimestamp=Mon 2026-11-30 18:54:01 UTC, DestinationTimestamp=Mon 2026-11-30 18:54:01 UTC, Ignored=no PacketCount=1, Jitter=0 }");
        assertEquals("no", msg.get("Ignored"));
        assertEquals("1", msg.get("PacketCount"));
        assertEquals("Mon 2026-11-30 18:54:01 UTC", msg.get("OriginateTimestamp"));
        String out = Samples.read("probe-timesyncd-synced.txt").replaceAll("(?m)^NTPMessage=.*$", "NTPMessage=")
                .replaceAll("(?s)@section timesync-status.*@exit timesync-status 0", "@section timesync-status\n@exit timesync-status 0");
        HostStatus h = StatusProbe.parse("h6", out);
        assertEquals(Verdict.SYNCING, h.verdict());
        assertNull(h.selectedSource());
        assertTrue(h.detail().startsWith("systemd-timesyncd: server 0.kr.pool.ntp.org (10.213.0.2), no reply yet"), h.detail());
    }

    @Test
    void unreachableHost() {
        HostStatus h = StatusProbe.unreachable("db2", "ssh: connect to host db2 port 22:\n Connection timed out\n");
        assertEquals(Verdict.UNREACHABLE, h.verdict());
        assertEquals("ssh: connect to host db2 port 22: Connection timed out", h.detail());
        assertNull(h.localTime());
        assertNull(h.daemon());
        assertEquals(List.of(0, 0, 0, 0, 0, 0), counts(h));
        assertEquals("ssh failed", StatusProbe.unreachable("db2", null).detail());
    }

    @Test
    void unrecognisedOrTruncatedOutput() {
        HostStatus sudo = StatusProbe.parse("db3", "sudo: a password is required\n");
        assertEquals(Verdict.UNREACHABLE, sudo.verdict());
        assertEquals("probe output not recognised: sudo: a password is required", sudo.detail());
        assertEquals("probe printed nothing", StatusProbe.parse("db3", "").detail());

        String full = Samples.read("probe-chrony-synced.txt");
        String cut = full.substring(0, full.indexOf("@section chronyc-tracking"));
        HostStatus h = StatusProbe.parse("db3", cut);
        assertEquals(Verdict.SYNCED, h.verdict(), "a * source is enough without tracking");
        assertEquals(3, h.stratum(), "from the selected source's stratum");
        assertTrue(h.detail().contains("probe output truncated"), h.detail());

        Map<String, ProbeSection> s = ProbeOutput.read(full.substring(0, full.indexOf("@exit chronyc-sources"))).sections();
        assertNull(s.get("chronyc-sources").exitCode());
        assertFalse(s.get("chronyc-sources").ok());
    }

    /** A probe output with the given systemctl body, chronyc-sources exit line, ntpq peers and rv bodies. */
    private static String probeOutput(String systemctl, String chronycExit, String peers, String rv) {
        return String.join("\n", StatusProbe.HEADER, "@section date", "2026-11-25T20:13:35+0000", "@exit date 0",
                "@section tz", "link=", "file=Etc/UTC", "@exit tz 0", "@section systemctl", systemctl, "@exit systemctl 1",
                "@section chronyc-sources", chronycExit, "@section chronyc-tracking", "@exit chronyc-tracking 127",
                "@section ntpq-peers", peers.stripTrailing(), "@exit ntpq-peers 0", "@section ntpq-rv", rv,
                "@exit ntpq-rv 0", "@end", "");
    }
}
