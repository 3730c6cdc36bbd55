package io.tsync.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Locks on real lab hosts (own instance {@code lock}): the dpkg lock held while tsync must install
 * (waited for and named, or past --lock-timeout a failure that leaves the host as it was), and two
 * applies on one host at once (one waits for the other's run lock, or fails naming it). The tests
 * share three hosts and run in order, each starting from the state the one before left.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LockFaultsIT {
    static final LabInstance LAB = new LabInstance("lock");
    static final String KR = "playbooks/kr.yaml";
    static final String KR_NTPD = "playbooks/kr-ntpd.yaml";
    static List<String> hosts;
    static String inv;

    /** Holders of the dpkg lock started by a test, stopped after it whatever happened. */
    final java.util.Map<String, Long> holders = new java.util.LinkedHashMap<>();

    /** Its hosts less for the lab classes that run after this one. */
    @AfterAll
    static void down() {
        LAB.down();
    }

    @BeforeAll
    static void lab() {
        hosts = LAB.up(3);
        LAB.reset(hosts.toArray(String[]::new));
        inv = LAB.inventory().toString();
    }

    @AfterEach
    void releaseLocks() {
        holders.forEach((host, pid) -> LAB.ssh(host, "kill " + pid + " 2>/dev/null; true"));
        holders.clear();
    }

    /**
     * Holds apt's locks on {@code host} as unattended-upgrades does (python3's fcntl.lockf on
     * lock-frontend and lock, LAB-NOTES.md) for {@code seconds}, in a process of its own; returns
     * its pid once it holds them.
     */
    long holdDpkgLock(String host, int seconds) {
        String py = "import fcntl, sys, time\n"
                + "locks = [open(p, 'a') for p in ('/var/lib/dpkg/lock-frontend', '/var/lib/dpkg/lock')]\n"
                + "for f in locks:\n"
                + "    fcntl.lockf(f, fcntl.LOCK_EX)\n"
                + "print('held', flush=True)\n"
                + "time.sleep(float(sys.argv[1]))\n";
        long pid = Long.parseLong(LAB.sshOk(host, "cat > /root/hold-dpkg-lock.py <<'EOF'\n" + py + "EOF\n"
                + "rm -f /root/hold-dpkg-lock.out\n"
                + "setsid python3 /root/hold-dpkg-lock.py " + seconds + " > /root/hold-dpkg-lock.out 2>&1 < /dev/null &\n"
                + "echo $!").strip());
        holders.put(host, pid);
        LAB.await(host, "cat /root/hold-dpkg-lock.out; cat /proc/" + pid + "/comm", out -> out.equals("held\npython3\n"),
                Duration.ofSeconds(30), "the dpkg lock to be held by python3 (pid " + pid + ")");
        return pid;
    }

    void release(String host) {
        LAB.sshOk(host, "kill " + holders.remove(host));
    }

    static int changed(String out, String host) {
        Matcher m = Pattern.compile("(?m)^" + host + "\\s+: ok=\\d+\\s+changed=(\\d+)").matcher(out);
        assertTrue(m.find(), "recap line of " + host + ":\n" + out);
        return Integer.parseInt(m.group(1));
    }

    static Pattern line(String host, String text) {
        return Pattern.compile("^" + host + "\\s+" + text);
    }

    static boolean has(String out, Pattern p) {
        return out.lines().anyMatch(l -> p.matcher(l).find());
    }

    /** A converged chrony host: timezone, package, config, unit states. */
    static void assertChrony(String h, String timezone) {
        assertEquals(timezone, LAB.timezone(h));
        assertEquals("install ok installed", LAB.sshOk(h, "dpkg-query -W -f='${Status}' chrony").strip());
        assertTrue(LAB.sshOk(h, "cat /etc/chrony/chrony.conf").contains("server 0.kr.pool.ntp.org iburst"));
        assertEquals("active\nenabled\n", LAB.sshOk(h, "systemctl is-active chrony; systemctl is-enabled chrony"));
    }

    /** Nothing half-installed or half-configured: dpkg --audit says nothing. */
    static void assertDpkgClean(String h) {
        assertEquals("", LAB.sshOk(h, "dpkg --audit").strip(), h + ": dpkg --audit");
    }

    @Test
    @Order(1)
    void dpkgLockHeld20sIsWaitedForAndNamed() throws Exception {
        String h = hosts.get(0);
        long holder = holdDpkgLock(h, 20);
        long t0 = System.nanoTime();
        Lab.Run r;
        try (Lab.Background apply = LAB.tsyncInBackground("apply", "-i", inv, KR)) {
            Pattern waiting = line(h, "waiting  dpkg lock held by python3 \\(pid " + holder + "\\), up to 120 s$");
            apply.awaitLine(l -> waiting.matcher(l).find(), Duration.ofMinutes(2), "h1's waiting line naming the holder");
            r = apply.finish(Duration.ofMinutes(5));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("dpkg-lock-20s: exit %d in %.1f s%n%s", r.exit(), seconds, r.out());
        assertEquals(0, r.exit(), r.all());
        assertFalse(LAB.ssh(h, "test -d /proc/" + holder).exit() == 0, "the holder ended on its own, after its 20 s");
        holders.remove(h);
        List<String> h1 = r.out().lines().filter(l -> l.startsWith(h + " ")).toList();
        assertTrue(h1.indexOf(h1.stream().filter(l -> l.contains("install chrony")).findFirst().orElseThrow())
                > h1.indexOf(h1.stream().filter(l -> l.contains("waiting")).findFirst().orElseThrow()), "installed after the wait:\n" + r.out());
        for (String x : hosts) {
            assertEquals(5, changed(r.out(), x), r.out());
            assertChrony(x, "Asia/Seoul");
            assertDpkgClean(x);
        }
        Lab.Run next = LAB.tsync("apply", "-i", inv, KR);
        assertEquals(0, next.exit(), next.all());
        hosts.forEach(x -> assertEquals(0, changed(next.out(), x), next.out()));
        FaultsDoc.check(new FaultsDoc.Observed("dpkg-lock-20s", r.exit(),
                "`h1 waiting dpkg lock held by python3 (pid N), up to 120 s`, installed once it was released; h2, h3 converged meanwhile",
                "converged (chrony running, Asia/Seoul); `dpkg --audit` clean", seconds, next.exit(), "nothing to change"));
    }

    @Test
    @Order(2)
    void dpkgLockHeldPastTheBoundFailsTheHostAndLeavesItAsItWas() {
        String h = hosts.get(0);
        String before = LAB.snapshot(h);
        long holder = holdDpkgLock(h, 600);
        long t0 = System.nanoTime();
        Lab.Run r = LAB.tsync("apply", "-i", inv, "--limit", h, "--lock-timeout", "10", KR_NTPD);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("dpkg-lock-past-bound: exit %d in %.1f s%n%s", r.exit(), seconds, r.out());
        assertEquals(4, r.exit(), r.all());
        assertTrue(has(r.out(), line(h, "waiting  dpkg lock held by python3 \\(pid " + holder + "\\), up to 10 s$")), r.out());
        assertTrue(has(r.out(), line(h, "FAILED   dpkg lock still held by python3 \\(pid " + holder + "\\) after 10 s \\(--lock-timeout; "
                + "/var/lib/dpkg/lock-frontend\\): nothing was changed")), r.out());
        assertEquals(before, LAB.snapshot(h), "the host is as it was: same config, chrony running since before, no ntpsec");
        assertDpkgClean(h);
        assertChrony(h, "Asia/Seoul");

        release(h);
        Lab.Run next = LAB.tsync("apply", "-i", inv, "--limit", h, KR_NTPD);
        assertEquals(0, next.exit(), next.all());
        assertEquals("active", LAB.sshOk(h, "systemctl is-active ntpsec").strip());
        assertDpkgClean(h);
        FaultsDoc.check(new FaultsDoc.Observed("dpkg-lock-past-bound", r.exit(),
                "`h1 waiting dpkg lock held by python3 (pid N), up to 10 s`, then `FAILED dpkg lock still held by python3 (pid N) after 10 s "
                        + "(--lock-timeout; /var/lib/dpkg/lock-frontend): nothing was changed`",
                "as before: chrony running (not restarted), its config, no ntpsec; `dpkg --audit` clean", seconds, next.exit(),
                "lock released: converged to ntpsec"));
    }

    @Test
    @Order(3)
    void twoAppliesOnOneHostTakeTurnsAndTheLastOneWins(@TempDir Path dir) throws Exception {
        String h = hosts.get(0); // ntpsec, Asia/Seoul: both playbooks below have changes to make
        Path tokyo = Files.writeString(dir.resolve("tokyo.yaml"), Files.readString(Lab.ROOT.resolve(KR))
                .replace("timezone: Asia/Seoul", "timezone: Asia/Tokyo").replace("name: Korea time sync", "name: Tokyo time sync"));
        // A holds the run lock while it waits for the dpkg lock: B has to wait for A, C gives up
        holdDpkgLock(h, 600);
        long t0 = System.nanoTime();
        Lab.Run a;
        Lab.Run b;
        try (Lab.Background first = LAB.tsyncInBackground("apply", "-i", inv, "--limit", h, KR)) {
            first.awaitLine(l -> line(h, "waiting  dpkg lock held by python3").matcher(l).find(), Duration.ofMinutes(2), "A waiting for dpkg");
            String holder = "run lock held by root@\\S+ pid " + first.process.pid() + " since \\S+ \\(apply " + Pattern.quote(KR) + "\\)";
            try (Lab.Background second = LAB.tsyncInBackground("apply", "-i", inv, "--limit", h, tokyo.toString())) {
                second.awaitLine(l -> line(h, "waiting  " + holder + ", up to 120 s$").matcher(l).find(), Duration.ofMinutes(2),
                        "B waiting for A's run lock, naming A");
                Lab.Run c = LAB.tsync("apply", "-i", inv, "--limit", h, "--lock-timeout", "3", tokyo.toString());
                System.out.printf("two-applies-one-host, C (--lock-timeout 3): exit %d%n%s", c.exit(), c.out());
                assertEquals(4, c.exit(), c.all());
                assertTrue(has(c.out(), line(h, "FAILED   " + holder + " for more than 3 s \\(--lock-timeout\\): another tsync run is changing "
                        + "this host; nothing was changed")), c.out());
                release(h);
                a = first.finish(Duration.ofMinutes(5));
                b = second.finish(Duration.ofMinutes(5));
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("two-applies-one-host in %.1f s: A exit %d%n%sB exit %d%n%s", seconds, a.exit(), a.out(), b.exit(), b.out());
        assertEquals(0, a.exit(), a.all());
        assertEquals(0, b.exit(), b.all());
        assertTrue(has(b.out(), line(h, "changed  set timezone Asia/Tokyo  \\(timezone is Asia/Seoul, want Asia/Tokyo\\)")),
                "B planned on the facts A left, not on those it saw before waiting:\n" + b.out());
        assertEquals(1, changed(b.out(), h), b.out());
        assertChrony(h, "Asia/Tokyo");
        assertDpkgClean(h);
        Lab.Run check = LAB.tsync("apply", "--check", "-i", inv, "--limit", h, tokyo.toString());
        assertEquals(0, check.exit(), check.all());
        assertEquals(2, LAB.tsync("apply", "--check", "-i", inv, "--limit", h, KR).exit(), "A's timezone was replaced by B's");
        FaultsDoc.check(new FaultsDoc.Observed("two-applies-one-host", b.exit(),
                "B: `h1 waiting run lock held by root@CONTROLLER pid N since T (apply playbooks/kr.yaml), up to 120 s`, then planned again on "
                        + "the facts A left (only the timezone to change); a third apply with `--lock-timeout 3`: exit 4 naming the same holder",
                "converged to B, the one that ran last", seconds, check.exit(), "`--check` of B's playbook: nothing to change"));

        // started at the same moment, no gate: whichever gets the lock second waits or (exit 4) names the first
        LAB.sshOk(h, "timedatectl set-timezone Etc/UTC");
        Lab.Run seoul;
        Lab.Run tokyoRun;
        try (Lab.Background x = LAB.tsyncInBackground("apply", "-i", inv, "--limit", h, KR);
             Lab.Background y = LAB.tsyncInBackground("apply", "-i", inv, "--limit", h, tokyo.toString())) {
            seoul = x.finish(Duration.ofMinutes(5));
            tokyoRun = y.finish(Duration.ofMinutes(5));
        }
        System.out.printf("started together: Seoul exit %d%n%sTokyo exit %d%n%s", seoul.exit(), seoul.out(), tokyoRun.exit(), tokyoRun.out());
        for (Lab.Run run : List.of(seoul, tokyoRun)) {
            assertTrue(run.exit() == 0 || run.exit() == 4 && has(run.out(), line(h, "FAILED   run lock held by root@")), run.all());
        }
        String last = has(tokyoRun.out(), line(h, "waiting  run lock held by")) ? "Asia/Tokyo"
                : has(seoul.out(), line(h, "waiting  run lock held by")) ? "Asia/Seoul" : null;
        String tz = LAB.timezone(h);
        assertTrue(tz.equals("Asia/Tokyo") || tz.equals("Asia/Seoul"), tz);
        if (last != null) {
            assertEquals(last, tz, "the run that waited ran last\n" + seoul.out() + tokyoRun.out());
        }
        Lab.Run again = LAB.tsync("apply", "--check", "-i", inv, "--limit", h, tz.equals("Asia/Tokyo") ? tokyo.toString() : KR);
        assertEquals(0, again.exit(), again.all());
    }
}
