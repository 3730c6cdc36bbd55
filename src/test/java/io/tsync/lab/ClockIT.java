package io.tsync.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clocks that are really wrong, put right by tsync: three guests with kernels and clocks of their own
 * (lab/up --vm: user-mode Linux, Debian 11, 12 and 13), their clocks set wrong by lab/clock and
 * measured by lab/clock, the lab's own raw-clock exchange with each guest, never by tsync or the
 * guests' daemons. Every figure the issue asks for is printed as "clock: ..." lines. The times to a correct
 * clock come from {@code lab/clock HOST --watch} running beside each apply ({@link ClockWatch}): the first
 * reading within 10 ms, counted from when the apply started.
 *
 * In .ci/run (tag {@code lab}); {@code mvn verify -Plab -Dlab.groups=guest} runs it alone.
 */
@Tag("lab")
@Tag("guest")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClockIT {
    static final LabInstance LAB = new LabInstance("clk");
    static final String KR = "playbooks/kr.yaml";
    /** kr.yaml's makestep line, and the one that leaves chronyd only slewing a jump of up to 10 s. */
    static final String KR_MAKESTEP = "makestep: { threshold: 1.0, limit: 3 }";
    static final String MAKESTEP_10 = "makestep: { threshold: 10.0, limit: 3 }";
    /** Correct means within 10 ms of the lab's upstreams (this machine's clock). */
    static final double CORRECT = 0.010;
    /** lab/clock lands a set clock within about 15 ms of the asked offset (UML's clock_settime). */
    static final double SET_TOLERANCE = 0.05;
    static String inv;
    @TempDir
    static Path dir;

    @BeforeAll
    static void guests() {
        LAB.down();
        LAB.up(3, "--vm", "--release", "bullseye,bookworm,trixie");
        inv = LAB.inventory().toString();
    }

    @AfterAll
    static void down() {
        LAB.down();
    }

    /** A guest's offset in seconds and its error bound, as the lab measures it. */
    record Offset(double seconds, double error) {}

    static Offset clock(String host, String... args) {
        List<String> cmd = new ArrayList<>(List.of("lab/clock", host));
        cmd.addAll(List.of(args));
        Lab.Run r = Lab.run(Duration.ofMinutes(5), cmd, null, Map.of("TSYNC_LAB", LAB.name()));
        if (r.exit() != 0) {
            fail(String.join(" ", cmd) + " exited " + r.exit() + "\n" + r.all());
        }
        String[] f = r.out().strip().split("\\s+");
        if (f.length != 4 || !f[0].equals("offset") || !f[2].equals("error")) {
            fail(String.join(" ", cmd) + " printed no offset: " + r.all());
        }
        return new Offset(Double.parseDouble(f[1]), Double.parseDouble(f[3]));
    }

    /** Sets a guest's clock wrong (daemons stopped) and checks by measurement that it is. */
    static void setWrong(String host, double offset) {
        Offset o = clock(host, String.format("%+.3f", offset));
        assertTrue(Math.abs(o.seconds() - offset) < SET_TOLERANCE, host + ": asked " + offset + " s, measured " + o);
    }

    /** How often the watches measure: each measurement is 12 exchanges of a few ms, so about 0.8 s apart. */
    static final Duration WATCH = Duration.ofMillis(500);

    static double nowUnix() {
        return System.currentTimeMillis() / 1000.0;
    }

    /**
     * Seconds from {@code sinceUnix} to the watch's first reading within {@link #CORRECT}, waiting at most
     * {@code max} from now for it.
     */
    static double correctAfter(ClockWatch watch, String host, double sinceUnix, Duration max) {
        return watch.firstWithin(CORRECT, sinceUnix, max).map(r -> r.at() - sinceUnix)
                .orElseThrow(() -> new AssertionError(host + ": not within " + CORRECT * 1000 + " ms " + max.toSeconds()
                        + " s after the apply returned; " + watch.describe()));
    }

    static Map<String, ClockWatch> watch(List<String> hosts) {
        Map<String, ClockWatch> w = new LinkedHashMap<>();
        hosts.forEach(h -> w.put(h, ClockWatch.start(LAB, h, WATCH)));
        return w;
    }

    static void close(Map<String, ClockWatch> watches) {
        watches.values().forEach(ClockWatch::close);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void report(String line) {
        System.out.println("clock: " + line);
    }

    /** Each host's object of a {@code status --json} document, by name. */
    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> measured(String json) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Object h : (List<Object>) ((Map<String, Object>) io.tsync.report.Json.parse(json)).get("hosts")) {
            Map<String, Object> m = (Map<String, Object>) h;
            out.put((String) m.get("host"), m);
        }
        return out;
    }

    /** A copy of a seed playbook for one host, with some lines replaced. */
    static String play(String name, String from, String host, Map<String, String> replace) throws Exception {
        String text = Files.readString(Lab.ROOT.resolve(from)).replace("hosts: all", "hosts: " + host);
        for (Map.Entry<String, String> e : replace.entrySet()) {
            assertTrue(text.contains(e.getKey()), from + " has no line " + e.getKey());
            text = text.replace(e.getKey(), e.getValue());
        }
        Path p = dir.resolve(name + ".yaml");
        Files.writeString(p, text);
        return p.toString();
    }

    @Test
    @Order(1)
    void wrongClocksAtFirstInstallAreSteppedAndStayConverged() {
        Map<String, Double> wrong = new LinkedHashMap<>();
        wrong.put("h1", 3600.0);     // Debian 11
        wrong.put("h2", -259200.0);  // Debian 12: three days behind
        wrong.put("h3", 0.2);        // Debian 13
        wrong.forEach(ClockIT::setWrong);
        // tsync measures the same clocks itself, over its own SSH connection, and calls them wrong
        Map<String, Offset> lab = new LinkedHashMap<>();
        wrong.keySet().forEach(h -> lab.put(h, clock(h)));
        Lab.Run status = LAB.tsync("status", "--json", "-i", inv);
        assertEquals(6, status.exit(), status.all());
        Map<String, Map<String, Object>> measured = measured(status.out());
        for (String h : wrong.keySet()) {
            Map<String, Object> m = measured.get(h);
            double offset = ((Number) m.get("measuredOffsetSeconds")).doubleValue();
            double error = ((Number) m.get("measuredErrorSeconds")).doubleValue();
            report(String.format("%s before apply: tsync measured %+.6f ± %.6f s, lab/clock %+.6f ± %.6f s", h, offset, error,
                    lab.get(h).seconds(), lab.get(h).error()));
            assertEquals(lab.get(h).seconds(), offset, 0.010, h + ": tsync's measurement against lab/clock's: " + m);
            assertEquals("clock_wrong", m.get("verdict"), h + ": " + m);
        }
        Map<String, ClockWatch> watches = watch(List.copyOf(wrong.keySet()));
        try {
            double t0 = nowUnix();
            Lab.Run r = LAB.tsync("apply", "--wait", "--command-timeout", "900", "-i", inv, KR);
            double applied = nowUnix() - t0;
            assertEquals(0, r.exit(), r.all());
            for (String h : wrong.keySet()) {
                double correct = correctAfter(watches.get(h), h, t0, Duration.ofSeconds(120));
                Offset after = clock(h);
                assertTrue(Math.abs(after.seconds()) < CORRECT, h + ": " + after);
                report(String.format("%s %+.1f s: correct %.1f s after apply started (apply --wait took %.1f s), then %+.6f ± %.6f s",
                        h, wrong.get(h), correct, applied, after.seconds(), after.error()));
            }
        } finally {
            close(watches);
        }
        Lab.Run after = LAB.tsync("status", "--json", "-i", inv);
        assertEquals(0, after.exit(), after.all());
        measured(after.out()).forEach((h, m) -> {
            double offset = ((Number) m.get("measuredOffsetSeconds")).doubleValue();
            report(String.format("%s after apply: tsync measured %+.6f ± %.6f s", h, offset, ((Number) m.get("measuredErrorSeconds")).doubleValue()));
            assertTrue(Math.abs(offset) < CORRECT, h + ": " + m);
        });
        Lab.Run again = LAB.tsync("apply", "-i", inv, KR);
        assertEquals(0, again.exit(), again.all());
        Map<String, Map<String, Integer>> recap = EngineIT.recap(again.out());
        for (String h : wrong.keySet()) {
            assertEquals(0, recap.get(h).get("changed"), h + " changed on a re-run:\n" + again.out());
        }
    }

    @Test
    @Order(2)
    void stepNowStepsAJumpPastTheMakestepWindow() throws Exception {
        // chronyd running with makestep 10 s: it may only slew a 5 s jump, however few updates it has made since
        // its start (with kr.yaml's makestep 1 s a chronyd still in its first 3 updates stepped the jump itself,
        // in a CI run where test 1 had ended a minute after chronyd started)
        String makestep10 = play("makestep-10", KR, "h2", Map.of(KR_MAKESTEP, MAKESTEP_10));
        Lab.Run prep = LAB.tsync("apply", "--wait", "-i", inv, makestep10);
        assertEquals(0, prep.exit(), prep.all());
        Offset jumped = clock("h2", "--jump", "+5");
        assertTrue(Math.abs(jumped.seconds() - 5) < SET_TOLERANCE, jumped.toString());
        // another server list restarts chronyd, whose makestep (10 s) lets it only slew the 5 s: step_now then
        // steps by what chronyd measured
        String stepNow = play("step-now", KR, "h2", Map.of("step_now: false", "step_now: true",
                KR_MAKESTEP, MAKESTEP_10,
                "    - { host: 2.asia.pool.ntp.org, iburst: true }", "    - { host: 2.asia.pool.ntp.org, iburst: true }\n    - { host: time.example.com, iburst: true }"));
        try (ClockWatch w = ClockWatch.start(LAB, "h2", WATCH)) {
            double t0 = nowUnix();
            Lab.Run r = LAB.tsync("apply", "-i", inv, stepNow);
            double applied = nowUnix() - t0;
            assertEquals(0, r.exit(), r.all());
            java.util.regex.Matcher stepped = java.util.regex.Pattern.compile("stepped the clock: offset ([-+]?[0-9.]+) s").matcher(r.out());
            assertTrue(stepped.find(), r.out());
            // step_now did the correction, not a slew nor the restart: it stepped most of the 5 s
            assertTrue(Double.parseDouble(stepped.group(1)) < -3, r.out());
            double took = correctAfter(w, "h2", t0, Duration.ofSeconds(15));
            report(String.format("h2 jumped +5 s under chronyd: step_now stepped %s s; correct %.1f s after apply started (apply took %.1f s)",
                    stepped.group(1), took, applied));
            // the figure is 15 s; on a quiet machine it was 14.7 s, nearly all of it the apply itself (a UML
            // guest pays about 3 s for facts and 5 s for a verified restart): reported, and bounded here at twice that
            assertTrue(took <= 30, "h2 correct only " + took + " s after apply started");
        }
    }

    @Test
    @Order(3)
    void aSlewOnlyPlaySlewsAt83MillisecondsPerSecond() throws Exception {
        // makestep only past 10 s: chronyd, restarted by the play, has to slew the 3 s
        String slew = play("slew", KR, "h2", Map.of(KR_MAKESTEP, MAKESTEP_10));
        try (ClockWatch w = ClockWatch.start(LAB, "h2", WATCH)) {
            clock("h2", "--jump", "+3");
            double t0 = nowUnix();
            Lab.Run r = LAB.tsync("apply", "-i", inv, slew);
            assertEquals(0, r.exit(), r.all());
            double took = correctAfter(w, "h2", t0, Duration.ofSeconds(90));
            // the rate from the watch's readings while the offset went from 2.7 s to 0.3 s, however long
            // the apply took; and a slew, not a step: no reading falls faster than a slew can
            List<ClockWatch.Reading> all = w.readings().stream().filter(x -> x.at() >= t0 - 1).toList();
            List<ClockWatch.Reading> slewing = all.stream().filter(x -> x.offset() < 2.7 && x.offset() > 0.3).toList();
            assertTrue(slewing.size() >= 5, "too few readings during the slew: " + slewing);
            ClockWatch.Reading first = slewing.get(0);
            ClockWatch.Reading last = slewing.get(slewing.size() - 1);
            double rate = (first.offset() - last.offset()) / (last.at() - first.at());
            for (int i = 1; i < all.size(); i++) {
                double dt = all.get(i).at() - all.get(i - 1).at();
                double fell = all.get(i - 1).offset() - all.get(i).offset();
                assertTrue(fell < 0.1 * dt + 0.05, "the clock was stepped, not slewed: " + all.get(i - 1) + " then " + all.get(i));
            }
            report(String.format("h2 slew: %+.3f s -> %+.3f s in %.1f s (%d readings): %.1f ms/s; +3 s correct %.1f s after apply started",
                    first.offset(), last.offset(), last.at() - first.at(), slewing.size(), rate * 1000, took));
            assertTrue(rate > 0.070 && rate < 0.090, "chronyd's slew rate " + rate * 1000 + " ms/s, expected about 83");
        }
        Lab.Run back = LAB.tsync("apply", "--wait", "-l", "h2", "-i", inv, KR);
        assertEquals(0, back.exit(), back.all());
    }

    @Test
    @Order(4)
    void ntpdAndTimesyncdCorrectAClock30SecondsOff() throws Exception {
        String ntpd = play("ntpd", "playbooks/kr-ntpd.yaml", "h3", Map.of());
        String timesyncd = play("timesyncd", KR, "h1", Map.of(
                "  daemon: chrony            # chrony | ntpd\n", "  daemon: timesyncd\n",
                "    - { host: 0.kr.pool.ntp.org, iburst: true }", "    - { host: 0.kr.pool.ntp.org }",
                "    - { host: 1.asia.pool.ntp.org, iburst: true }", "    - { host: 1.asia.pool.ntp.org }",
                "    - { host: 2.asia.pool.ntp.org, iburst: true }", "    - { host: 2.asia.pool.ntp.org }",
                "  makestep: { threshold: 1.0, limit: 3 }\n", "",
                "  step_now: false           # chronyc -a makestep after a change\n", ""));
        Map<String, String> plays = Map.of("h3", ntpd, "h1", timesyncd);
        Map<String, String> took = LabInstance.onHosts(List.of("h3", "h1"), Duration.ofMinutes(20), h -> {
            setWrong(h, 30);
            try (ClockWatch w = ClockWatch.start(LAB, h, WATCH)) {
                double t0 = nowUnix();
                // no --wait: the clock is what is measured here; ntpd, having stepped the clock at its start, claims
                // a selected source only after several 64 s polls (61 s after its start all its sources were '?')
                Lab.Run r = LAB.tsync("apply", "--command-timeout", "900", "-i", inv, plays.get(h));
                double applied = nowUnix() - t0;
                assertEquals(0, r.exit(), h + ": " + r.all());
                return String.format("%.1f (apply took %.1f s)", correctAfter(w, h, t0, Duration.ofSeconds(120)), applied);
            }
        });
        report("h3 (ntpsec, Debian 13) +30 s: correct " + took.get("h3") + " s after apply started");
        report("h1 (systemd-timesyncd, Debian 11) +30 s: correct " + took.get("h1") + " s after apply started");
    }

    @Test
    @Order(5)
    void aGuestBootedADayOffIsRightSoonAfterSshAnswers() {
        // UML has no RTC (lab/clock --rtc refuses): the guest boots with its clock a day off instead
        Lab.Run rtc = Lab.run(Duration.ofMinutes(1), List.of("lab/clock", "h2", "--rtc", "+86400"), null, Map.of("TSYNC_LAB", LAB.name()));
        assertTrue(rtc.exit() != 0 && rtc.err().contains("no RTC"), rtc.all());
        LAB.sshOk("h2", "! test -e /dev/rtc0 && ! hwclock --show");
        try (ClockWatch w = ClockWatch.start(LAB, "h2", WATCH)) {
            double stopped = nowUnix();
            clock("h2", "--boot", "+86400");   // returns when SSH answers
            double ssh = nowUnix();
            // readings of the new boot: less time since boot than since the old guest was stopped
            java.util.function.Predicate<ClockWatch.Reading> newBoot = x -> x.at() > stopped && x.uptime() < x.at() - stopped;
            ClockWatch.Reading correct = w.first(x -> newBoot.test(x) && x.within(CORRECT), Duration.ofSeconds(30))
                    .orElseThrow(() -> new AssertionError("h2 not correct 30 s after SSH answered: " + w.describe()));
            double sshUptime = correct.uptime() - (correct.at() - ssh);
            // a day off at boot, shown by the guest's own chronyd (the watch may only see it once corrected)
            String chrony = LAB.sshOk("h2", "journalctl -b -u chrony -o cat --no-pager");
            assertTrue(java.util.regex.Pattern.compile("System clock wrong by -86[34]\\d\\d\\.\\d+ seconds").matcher(chrony).find(), chrony);
            long wrongSeen = w.readings().stream().filter(x -> newBoot.test(x) && x.offset() > 86000).count();
            report(String.format("h2 booted +86400 s: correct at %.1f s of uptime, SSH answered at %.1f s of uptime (%+.1f s), "
                    + "%d readings of +86400 before; chronyd: %s", correct.uptime(), sshUptime, correct.at() - ssh, wrongSeen,
                    chrony.lines().filter(l -> l.contains("System clock")).findFirst().orElse("")));
            assertTrue(correct.at() - ssh <= 30, "h2 correct only " + (correct.at() - ssh) + " s after SSH answered");
        }
    }

    @Test
    @Order(6)
    void chronydWithMinusXKeepsAWrongClockWhileClaimingASource() throws Exception {
        // an administrator's -x (no clock control) in chrony's defaults file, and a clock 2 s off
        setWrong("h2", 2);
        LAB.sshOk("h2", "sed -i 's/^DAEMON_OPTS=\"\\(.*\\)\"/DAEMON_OPTS=\"\\1 -x\"/' /etc/default/chrony && grep -q -- '-x\"$' /etc/default/chrony && systemctl start chrony");
        LAB.await("h2", "chronyc -n sources", out -> out.lines().anyMatch(l -> l.startsWith("^*")), Duration.ofSeconds(60), "a selected source");
        Offset o = clock("h2");
        assertTrue(Math.abs(o.seconds() - 2) < SET_TOLERANCE, "chronyd -x moved the clock: " + o);
        report(String.format("h2 chronyd -x with a selected source: clock still %+.3f ± %.6f s", o.seconds(), o.error()));
        // the daemon claims a selected source; tsync's own measurement says otherwise
        Lab.Run status = LAB.tsync("status", "--json", "-l", "h2", "-i", inv);
        assertEquals(6, status.exit(), status.all());
        Map<String, Object> m = measured(status.out()).get("h2");
        assertEquals("clock_wrong", m.get("verdict"), status.out());
        assertEquals(o.seconds(), ((Number) m.get("measuredOffsetSeconds")).doubleValue(), 0.010, status.out());
        // a change that restarts chronyd under -x: apply --wait does not call it a success
        String other = play("minus-x", KR, "h2", Map.of("    - { host: 2.asia.pool.ntp.org, iburst: true }",
                "    - { host: 2.asia.pool.ntp.org, iburst: true }\n    - { host: time.example.com, iburst: true }"));
        Lab.Run apply = LAB.tsync("apply", "--wait=20s", "-i", inv, other);
        assertEquals(6, apply.exit(), apply.all());
        assertTrue(apply.out().contains("clock wrong"), apply.out());
        report("h2 chronyd -x: status exit " + status.exit() + " (clock wrong), apply --wait exit " + apply.exit());
    }
}
