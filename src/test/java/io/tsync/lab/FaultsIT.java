package io.tsync.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The fault matrix of docs/faults.md on three bookworm hosts of the lab instance "fault". Each test
 * injects one fault into one host while an apply runs over all three, proves what tsync did (exit
 * code, recap, message), that the failed host is left working and the others converged, removes the
 * fault, and proves that the next run converges. Hosts are shared: the fleet flips between two
 * playbooks (A: kr.yaml, B: the same with 1-second polling), so every fault run has a config to
 * write and a daemon to restart, and the running daemon's poll interval tells which one it runs.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsIT {
    static final LabInstance LAB = new LabInstance("fault");
    static final List<String> HOSTS = List.of("h1", "h2", "h3");
    static final String A = "playbooks/kr.yaml";
    static final String B = "src/test/resources/lab/kr-fastpoll.yaml";
    /** A crash drop-in kills chronyd 1 s after its start when its config is B's (1-second polling). */
    static final String CRASH_DROPIN = "/etc/systemd/system/chrony.service.d/fault-crash.conf";
    static String inv;
    /** The playbook every host was last proven converged on; null when a test did not get that far. */
    static String converged;

    @BeforeAll
    static void lab() {
        LAB.down(); // fresh hosts: what an earlier run left does not count
        LAB.up(3);
        inv = LAB.inventory().toString();
    }

    @AfterAll
    static void down() {
        LAB.down();
    }

    /** A test that failed half-way (or runs alone) leaves the fleet unknown: converge it first. Only the first test wants fresh hosts. */
    @BeforeEach
    void knownState(org.junit.jupiter.api.TestInfo test) {
        if (converged == null && !test.getTestMethod().orElseThrow().getName().equals("aptListsMissingAndMirrorDown")) {
            Lab.Run r = apply(A);
            assertEquals(0, r.exit(), "recovering the fleet after an earlier failure:\n" + r.all());
            converged = A;
        }
    }

    static String other() {
        return A.equals(converged) ? B : A;
    }

    static Lab.Run apply(String playbook, String... options) {
        List<String> args = new java.util.ArrayList<>(List.of("apply", "-i", inv));
        args.addAll(List.of(options));
        args.add(playbook);
        return LAB.tsync(args.toArray(String[]::new));
    }

    static Lab.Background applyInBackground(String playbook, String... options) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("apply", "-i", inv));
        args.addAll(List.of(options));
        args.add(playbook);
        return LAB.tsyncInBackground(args.toArray(String[]::new));
    }

    static Map<String, Integer> recap(Lab.Run r, String host) {
        Map<String, Integer> m = EngineIT.recap(r.out()).get(host);
        assertTrue(m != null, "no recap line for " + host + ":\n" + r.all());
        return m;
    }

    /** The hosts other than {@code faulty} converged in the fault run: changed, not failed. */
    static void othersConverged(Lab.Run r, String faulty, String playbook) {
        for (String h : HOSTS) {
            if (!h.equals(faulty)) {
                assertTrue(recap(r, h).get("changed") > 0, h + " converges:\n" + r.out());
                assertEquals(0, recap(r, h).get("failed") + recap(r, h).get("unreachable"), r.out());
                assertEquals(playbook.equals(B), isB(h), h + " has the new config");
            }
        }
    }

    /** The next run after the fault is removed: exit 0, the faulty host converges, the others have nothing to do. */
    static Lab.Run nextRun(String playbook, String faulty) {
        Lab.Run r = apply(playbook);
        assertEquals(0, r.exit(), "the next run converges:\n" + r.all());
        for (String h : HOSTS) {
            if (!h.equals(faulty)) {
                assertEquals(0, recap(r, h).get("changed"), h + " had no fault:\n" + r.out());
            }
        }
        return r;
    }

    /** The text of the last output line that starts with the host and contains {@code what}. */
    static String line(Lab.Run r, String host, String what) {
        return r.out().lines().filter(l -> l.startsWith(host + " ") && l.contains(what)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError(host + ": no line with '" + what + "':\n" + r.out())).substring(host.length()).strip();
    }

    static boolean isB(String host) {
        return LAB.sshOk(host, "grep -c 'minpoll 0' /etc/chrony/chrony.conf || true").strip().equals("3");
    }

    /**
     * chronyd runs the config on disk (not only has it written there): B polls every second, A at
     * 64 s. Awaited, since a just restarted chronyd lists its sources a moment later.
     */
    static void runsItsConfig(String host) {
        String want = isB(host) ? "0" : "6";
        LAB.await(host, "systemctl is-active chrony && chronyc -n -c sources", out -> {
            List<String> polls = out.lines().filter(l -> l.startsWith("^,")).map(l -> l.split(",")[4]).toList();
            return polls.size() == 3 && polls.stream().allMatch(want::equals);
        }, Duration.ofSeconds(20), "chronyd running with the poll interval of its config on disk (" + want + ")");
    }

    static String mainPid(String host) {
        return LAB.sshOk(host, "systemctl show -p MainPID --value chrony").strip();
    }

    static double since(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Drops PERCENT % of the packets in and out of a host's network namespace (no netem here: nft's numgen). */
    static void packetLoss(String host, int percent) {
        String rule = (percent < 100 ? "numgen random mod 100 < " + percent + " " : "") + "counter drop";
        Lab.Run r = Lab.run(Duration.ofSeconds(30), List.of("ip", "netns", "exec", LAB.netns(host), "nft", "-f", "-"),
                "table inet tsyncfault {\n"
                        + "  chain in { type filter hook input priority 0; policy accept; " + rule + "; }\n"
                        + "  chain out { type filter hook output priority 0; policy accept; " + rule + "; }\n"
                        + "}\n");
        assertEquals(0, r.exit(), "nft: " + r.all());
    }

    /** Removes the loss rules; returns how many packets they dropped. */
    static long packetLossOff(String host) {
        Lab.Run list = Lab.run(Duration.ofSeconds(30), List.of("ip", "netns", "exec", LAB.netns(host), "nft", "list", "table", "inet", "tsyncfault"), null);
        Lab.run(Duration.ofSeconds(30), List.of("ip", "netns", "exec", LAB.netns(host), "nft", "delete", "table", "inet", "tsyncfault"), null);
        return java.util.regex.Pattern.compile("packets (\\d+)").matcher(list.out()).results().mapToLong(m -> Long.parseLong(m.group(1))).sum();
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void aptListsMissingAndMirrorDown() {
        converged = null;
        LAB.sshOk("h1", "mkdir -p /root/lists-held && mv /var/lib/apt/lists/* /root/lists-held/");
        long t0 = System.nanoTime();
        Lab.Run r;
        try {
            r = apply(A);
        } finally {
            LAB.sshOk("h1", "rm -rf /var/lib/apt/lists/* && mv /root/lists-held/* /var/lib/apt/lists/ && rmdir /root/lists-held");
        }
        double secs = since(t0);
        assertEquals(4, r.exit(), r.all());
        assertEquals(1, recap(r, "h1").get("failed"), r.out());
        assertTrue(r.out().contains("'install chrony' failed (exit 100): W: Failed to fetch http://deb.debian.org/"), "apt's reason:\n" + r.out());
        assertTrue(r.out().contains("E: Package 'chrony' has no installation candidate"), r.out());
        othersConverged(r, "h1", A);
        assertNotEquals("ii", LAB.sshOk("h1", "dpkg-query -W -f='${db:Status-Abbrev}' chrony 2>/dev/null || true").strip(), "chrony not installed");
        assertEquals("", LAB.sshOk("h1", "dpkg --audit; ls /etc/chrony 2>/dev/null; true").strip(), "nothing half-installed, no config");
        Lab.Run next = nextRun(A, "h1");
        assertTrue(recap(next, "h1").get("changed") >= 4, next.out());
        runsItsConfig("h1");
        converged = A;
        FaultsDoc.check(new FaultsDoc.Observed("apt-lists-missing-mirror-down", r.exit(), line(r, "h1", "FAILED ") + " / W: Failed to fetch ...",
                "timezone set (the step before), chrony not installed, dpkg --audit clean, no config", secs, next.exit(),
                "h1 changed=" + recap(next, "h1").get("changed")));
    }

    @Test
    @Order(2)
    void tzdataMissing() {
        String was = converged;
        converged = null;
        LAB.sshOk("h3", "dpkg --purge --force-depends tzdata >/dev/null 2>&1; test ! -e /usr/share/zoneinfo && test ! -e /etc/localtime");
        long t0 = System.nanoTime();
        Lab.Run r = apply(was);
        double secs = since(t0);
        assertEquals(0, r.exit(), () -> r.all() + LAB.ssh("h3", "journalctl -u systemd-timedated -u dbus -n 40 --no-pager -o short-precise; systemctl status systemd-timedated --no-pager").all());
        assertTrue(r.out().contains("install tzdata  (the host has no tz database (/usr/share/zoneinfo); Asia/Seoul needs it)"), r.out());
        assertEquals(2, recap(r, "h3").get("changed"), "install tzdata, set timezone:\n" + r.out());
        assertEquals("Asia/Seoul", LAB.timezone("h3"));
        assertTrue(LAB.sshOk("h3", "dpkg-query -W -f='${db:Status-Abbrev}' tzdata; date +%Z").startsWith("ii KST"));
        Lab.Run next = nextRun(was, "h3");
        assertEquals(0, recap(next, "h3").get("changed"), next.out());
        converged = was;
        FaultsDoc.check(new FaultsDoc.Observed("tzdata-missing", r.exit(), "install tzdata; set timezone Asia/Seoul",
                "tzdata installed, Asia/Seoul (KST)", secs, next.exit(), "changed=0"));
    }

    @Test
    @Order(3)
    void unitMasked() {
        String next = other();
        converged = null;
        LAB.sshOk("h2", "systemctl mask --now chrony 2>/dev/null");
        String before = LAB.snapshot("h2");
        long t0 = System.nanoTime();
        Lab.Run r;
        String after;
        try {
            r = apply(next);
            after = LAB.snapshot("h2");
        } finally {
            LAB.sshOk("h2", "systemctl unmask chrony 2>/dev/null");
        }
        double secs = since(t0);
        assertEquals(4, r.exit(), r.all());
        assertEquals(0, recap(r, "h2").get("changed"), r.out());
        assertTrue(r.out().contains("chrony.service is masked (systemctl mask)"), r.out());
        assertTrue(r.out().contains("run 'systemctl unmask chrony' on the host and apply again"), "names the fix:\n" + r.out());
        othersConverged(r, "h2", next);
        assertEquals(before, after, "h2 untouched: config, mask, stopped daemon");
        Lab.Run again = nextRun(next, "h2");
        assertTrue(recap(again, "h2").get("changed") > 0, again.out());
        runsItsConfig("h2");
        converged = next;
        FaultsDoc.check(new FaultsDoc.Observed("unit-masked", r.exit(), line(r, "h2", "FAILED "), "untouched: masked, stopped, old config",
                secs, again.exit(), "after systemctl unmask: h2 changed=" + recap(again, "h2").get("changed")));
    }

    @Test
    @Order(4)
    void etcFull() {
        String next = other();
        converged = null;
        LAB.sshOk("h1", "mkdir -p /root/chrony-held && cp -a /etc/chrony/. /root/chrony-held/"
                + " && mount -t tmpfs -o size=64k tmpfs /etc/chrony && cp -a /root/chrony-held/. /etc/chrony/"
                + " && { dd if=/dev/zero of=/etc/chrony/fill bs=4k 2>/dev/null; test \"$(df --output=avail /etc/chrony | tail -n 1)\" -eq 0; }");
        String conf = LAB.sshOk("h1", "sha256sum /etc/chrony/chrony.conf");
        String pid = mainPid("h1");
        long t0 = System.nanoTime();
        Lab.Run r;
        Lab.Run again;
        try {
            r = apply(next);
            double secs = since(t0);
            assertEquals(4, r.exit(), r.all());
            assertTrue(r.out().contains("'write /etc/chrony/chrony.conf' failed (exit 74): cannot write the new /etc/chrony/chrony.conf "
                    + "(write error: No space left on device); the file in place is unchanged"), r.out());
            othersConverged(r, "h1", next);
            assertEquals(conf, LAB.sshOk("h1", "sha256sum /etc/chrony/chrony.conf"), "the previous config stays");
            assertEquals(pid, mainPid("h1"), "the daemon keeps running, not restarted");
            assertEquals("", LAB.sshOk("h1", "ls /etc/chrony | grep '\\.tsync\\.' || true").strip(), "no temp file left");
            LAB.sshOk("h1", "rm /etc/chrony/fill");
            again = nextRun(next, "h1");
            assertEquals(2, recap(again, "h1").get("changed"), again.out());
            FaultsDoc.check(new FaultsDoc.Observed("etc-full", r.exit(), line(r, "h1", "failed (exit"), "previous config, chronyd running (same PID)",
                    secs, again.exit(), "after freeing space: write + restart"));
        } finally {
            // the config now lives on the tmpfs: put it on the disk below
            LAB.sshOk("h1", "rm -f /etc/chrony/fill; rm -rf /root/chrony-held && mkdir /root/chrony-held && cp -a /etc/chrony/. /root/chrony-held/"
                    + " && umount /etc/chrony && cp -a /root/chrony-held/. /etc/chrony/ && rm -rf /root/chrony-held");
        }
        runsItsConfig("h1");
        converged = next;
    }

    @Test
    @Order(5)
    void daemonCrashAfterRestart() {
        String next = other();
        converged = null;
        assertEquals(B, next, "the crash drop-in reacts to B's config");
        String conf = LAB.sshOk("h2", "cat /etc/chrony/chrony.conf");
        LAB.sshOk("h2", "cat > " + CRASH_DROPIN + " <<'EOF'\n"
                + "# fault: chronyd dies 1 s after a start on a config with 1-second polling (accepted by chronyd -p)\n"
                + "[Service]\n"
                + "ExecStartPost=/bin/sh -c \"(sleep 1; grep -q 'maxpoll 0' /etc/chrony/chrony.conf && kill -9 $$MAINPID) >/dev/null 2>&1 &\"\n"
                + "EOF\nsystemctl daemon-reload");
        long t0 = System.nanoTime();
        Lab.Run r;
        try {
            r = apply(next);
        } finally {
            LAB.sshOk("h2", "rm -f " + CRASH_DROPIN + " && systemctl daemon-reload");
        }
        double secs = since(t0);
        assertEquals(4, r.exit(), r.all());
        assertTrue(r.out().contains("'restart chrony' failed (exit 1): chrony died within "), "noticed, not reported done:\n" + r.out());
        assertTrue(r.out().contains("Main process exited, code=killed, status=9/KILL"), "the journal says why:\n" + r.out());
        assertTrue(r.out().contains("rolled back: restored the previous /etc/chrony/chrony.conf and restarted chrony (active)"), r.out());
        othersConverged(r, "h2", next);
        assertEquals(conf, LAB.sshOk("h2", "cat /etc/chrony/chrony.conf"), "the previous config is back");
        runsItsConfig("h2");
        Lab.Run again = nextRun(next, "h2");
        assertEquals(2, recap(again, "h2").get("changed"), again.out());
        runsItsConfig("h2");
        converged = next;
        FaultsDoc.check(new FaultsDoc.Observed("daemon-crash-after-restart", r.exit(), line(r, "h2", "failed (exit") + "; rolled back",
                "previous config, chronyd running on it", secs, again.exit(), "without the crash: write + restart"));
    }

    @Test
    @Order(6)
    void sshdRestartMidApply() throws Exception {
        String next = other();
        converged = null;
        String listener = LAB.sshOk("h3", "systemctl show -p MainPID --value ssh").strip();
        long t0 = System.nanoTime();
        Lab.Run r;
        try (Lab.Background bg = applyInBackground(next)) {
            bg.awaitLine(l -> l.startsWith("h3 ") && l.contains("changed  write "), Duration.ofSeconds(90), "h3 writing its config");
            LAB.sshOk("h3", "systemctl restart ssh");
            r = bg.finish(Duration.ofSeconds(90));
        }
        double secs = since(t0);
        assertNotEquals(listener, LAB.sshOk("h3", "systemctl show -p MainPID --value ssh").strip(), "sshd was restarted");
        assertEquals(0, r.exit(), "the run's connection outlives an sshd restart:\n" + r.all());
        othersConverged(r, "h3", next);
        assertEquals(2, recap(r, "h3").get("changed"), r.out());
        runsItsConfig("h3");
        Lab.Run again = nextRun(next, "h3");
        assertEquals(0, recap(again, "h3").get("changed"), again.out());
        converged = next;
        FaultsDoc.check(new FaultsDoc.Observed("sshd-restart-mid-apply", r.exit(), "went on: " + line(r, "h3", "done "),
                "new config, chronyd running on it", secs, again.exit(), "changed=0"));
    }

    /** Kills every sshd session process of a host (not the listener) the moment a tsync temp file appears beside the config. */
    static final String SESSION_KILLER = """
            import os, signal, subprocess, time
            end = time.time() + 120
            while time.time() < end and not any(".tsync." in n for n in os.listdir("/etc/chrony") if os.path.isdir("/etc/chrony")):
                pass
            for pid in subprocess.run(["pgrep", "-x", "sshd"], capture_output=True, text=True).stdout.split():
                if "listener" not in open(f"/proc/{pid}/cmdline").read():
                    os.kill(int(pid), signal.SIGKILL)
            """;

    @Test
    @Order(7)
    void sshSessionKilledMidApply() throws Exception {
        String next = other();
        converged = null;
        // a watcher outside any session (systemd-run) kills tsync's session while the config is being written
        LAB.sshOk("h3", "cat > /root/fault-killer.py <<'EOF'\n" + SESSION_KILLER + "EOF\n"
                + "systemctl reset-failed fault-killer 2>/dev/null; systemd-run --unit=fault-killer --quiet python3 /root/fault-killer.py");
        long t0 = System.nanoTime();
        Lab.Run r = apply(next);
        double secs = since(t0);
        assertEquals(5, r.exit(), r.all());
        assertEquals(1, recap(r, "h3").get("unreachable"), r.out());
        assertTrue(r.out().contains("h3    UNREACHABLE  connection lost during 'write /etc/chrony/chrony.conf'"), r.out());
        othersConverged(r, "h3", next);
        // the write ran to its end without its session; the restart never came: the host notes it owes one
        assertEquals(next.equals(B), isB("h3"), "the new config is on disk");
        assertEquals(0, LAB.ssh("h3", "test -e /run/tsync/chrony.restart-pending").exit(), "the restart owed is noted");
        String polls = LAB.sshOk("h3", "chronyc -n -c sources | cut -d, -f5 | sort -u").strip();
        assertEquals(next.equals(B) ? "6" : "0", polls, "chronyd still runs the previous config");
        Lab.Run again = nextRun(next, "h3");
        assertTrue(again.out().contains("h3    changed  restart chrony  (an earlier run replaced /etc/chrony/chrony.conf but did not get to restart chrony on it)"),
                again.out());
        runsItsConfig("h3");
        converged = next;
        FaultsDoc.check(new FaultsDoc.Observed("ssh-session-killed-mid-apply", r.exit(), line(r, "h3", "UNREACHABLE"),
                "new config on disk, chronyd still on the previous one, restart noted as owed (/run/tsync)", secs, again.exit(),
                "restart chrony (owed by the earlier run)"));
    }

    /** Reboots the host the moment chronyd was restarted (a new PID in its pid file): while tsync watches it come up. */
    static final String REBOOTER = """
            import os, subprocess, time
            def pid():
                try:
                    return open("/run/chrony/chronyd.pid").read().strip()
                except OSError:
                    return ""
            first, end = pid(), time.time() + 120
            while time.time() < end and pid() in ("", first):
                time.sleep(0.02)
            subprocess.run(["systemctl", "reboot"])
            """;

    @Test
    @Order(8)
    void rebootMidApply() throws Exception {
        String next = other();
        converged = null;
        LAB.sshOk("h1", "cat > /root/fault-reboot.py <<'EOF'\n" + REBOOTER + "EOF\n"
                + "systemctl reset-failed fault-reboot 2>/dev/null; systemd-run --unit=fault-reboot --quiet python3 /root/fault-reboot.py");
        long t0 = System.nanoTime();
        Lab.Run r;
        double secs;
        try {
            r = apply(next, "--keepalive", "2", "--connect-timeout", "5");
            secs = since(t0);
        } finally {
            // the lab's systemd-nspawn does not boot a rebooted host again by itself: stop (waits until it is gone), start
            LAB.stop("h1");
            LAB.start("h1");
        }
        assertEquals(5, r.exit(), r.all());
        assertEquals(1, recap(r, "h1").get("unreachable"), r.out());
        String why = line(r, "h1", "UNREACHABLE");
        assertTrue(why.contains("the host is shutting down: chrony was stopped with it during 'restart chrony'")
                || why.contains("connection lost during 'restart chrony'"), r.out());
        assertTrue(!r.out().contains("rolled back: restored") && !r.out().contains("ROLLBACK FAILED"), "a shutdown is no reason to roll back:\n" + r.out());
        othersConverged(r, "h1", next);
        assertEquals(next.equals(B), isB("h1"), "booted with the new config on disk");
        runsItsConfig("h1"); // enabled: started at boot on the config on disk
        Lab.Run again = nextRun(next, "h1");
        assertEquals(0, recap(again, "h1").get("changed"), again.out());
        converged = next;
        FaultsDoc.check(new FaultsDoc.Observed("reboot-mid-apply", r.exit(), why, "booted again: new config on disk, chronyd started on it at boot",
                secs, again.exit(), "changed=0"));
    }

    @Test
    @Order(9)
    void packetLoss10() {
        String next = other();
        converged = null;
        packetLoss("h2", 10);
        long t0 = System.nanoTime();
        Lab.Run r;
        long dropped;
        try {
            r = apply(next);
        } finally {
            dropped = packetLossOff("h2");
        }
        double secs = since(t0);
        assertEquals(0, r.exit(), "TCP retransmits what is lost:\n" + r.all());
        assertTrue(dropped > 0, "packets were dropped");
        assertEquals(2, recap(r, "h2").get("changed"), r.out());
        othersConverged(r, "h2", next);
        runsItsConfig("h2");
        Lab.Run again = nextRun(next, "h2");
        assertEquals(0, recap(again, "h2").get("changed"), again.out());
        converged = next;
        FaultsDoc.check(new FaultsDoc.Observed("packet-loss-10", r.exit(), "converged (" + dropped + " packets dropped)",
                "new config, chronyd running on it", secs, again.exit(), "changed=0"));
    }

    @Test
    @Order(10)
    void packetLoss100() throws Exception {
        String next = other();
        converged = null;
        long t0 = System.nanoTime();
        Lab.Run r;
        double afterLoss;
        try (Lab.Background bg = applyInBackground(next, "--keepalive", "1", "--connect-timeout", "3")) {
            bg.awaitLine(l -> l.startsWith("h3 ") && l.contains("changed  write "), Duration.ofSeconds(90), "h3 writing its config");
            packetLoss("h3", 100);
            long t1 = System.nanoTime();
            r = bg.finish(Duration.ofSeconds(60));
            afterLoss = since(t1);
        } finally {
            packetLossOff("h3");
        }
        double secs = since(t0);
        assertEquals(5, r.exit(), r.all());
        assertEquals(1, recap(r, "h3").get("unreachable"), r.out());
        assertTrue(r.out().contains("h3    UNREACHABLE  connection lost during 'restart chrony'"), r.out());
        assertTrue(afterLoss < 4 * 1 + 5, "unreachable within the keep-alive bound (3 missed 1-s keep-alives), not after "
                + afterLoss + " s");
        othersConverged(r, "h3", next);
        runsItsConfig("h3");
        Lab.Run again = nextRun(next, "h3");
        runsItsConfig("h3");
        converged = next;
        FaultsDoc.check(new FaultsDoc.Observed("packet-loss-100", r.exit(), line(r, "h3", "UNREACHABLE") + String.format(" (%.1f s after the loss began)", afterLoss),
                "new config, chronyd running on it (the restart finished on the host)", secs, again.exit(),
                "h3 changed=" + recap(again, "h3").get("changed")));
    }
}
