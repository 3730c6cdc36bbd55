package io.tsync.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A mixed fleet, as real fleets are: Debian 11 (classic ntp), 12 (ntpsec) and 13 (newer systemd and
 * chrony), each host starting the way real servers start (systemd-timesyncd running, the
 * distribution's own chrony, its ntp daemon). tsync converges them all to chrony, then to ntpd
 * (ntp on 11, ntpsec on 12/13), then back, each run followed by a run that changes nothing.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MixedFleetIT {
    static final LabInstance LAB = new LabInstance("mixed");
    static final String KR = "playbooks/kr.yaml";
    static final String KR_NTPD = "playbooks/kr-ntpd.yaml";
    static final List<String> RELEASES = List.of("bullseye", "bookworm", "trixie");
    static final List<String> STARTS = List.of("timesyncd", "distro-chrony", "ntp");
    static final Map<String, String> VERSION = Map.of("bullseye", "11", "bookworm", "12", "trixie", "13");
    /** Every time service a Debian host may run, by unit name. */
    static final List<String> TIME_UNITS = List.of("chrony", "ntp", "ntpsec", "systemd-timesyncd");
    static List<String> hosts;
    static String inv;

    @BeforeAll
    static void lab() {
        LAB.down(); // every host starts in its starting state, not in what an earlier run left
        hosts = LAB.up(6, "--release", String.join(",", RELEASES), "--start", String.join(",", STARTS));
        inv = LAB.inventory().toString();
    }

    /** Six hosts less for the lab classes that run after this one. */
    @AfterAll
    static void down() {
        LAB.down();
    }

    static String release(String h) {
        return RELEASES.get((Integer.parseInt(h.substring(1)) - 1) % RELEASES.size());
    }

    static String start(String h) {
        return STARTS.get((Integer.parseInt(h.substring(1)) - 1) % STARTS.size());
    }

    /** The unit a host's ntp daemon runs as: classic ntp on 11, ntpsec on 12 and 13. */
    static String ntpUnit(String h) {
        return release(h).equals("bullseye") ? "ntp" : "ntpsec";
    }

    /**
     * Time services active or enabled on a host, by the unit systemd resolves each name to (Debian's
     * ntpsec unit is aliased ntp.service), e.g. "chrony:active/enabled".
     */
    static String timeServices(String h) {
        String out = LAB.sshOk(h, "systemctl show -p Id,ActiveState,UnitFileState " + String.join(" ", TIME_UNITS.stream().map(u -> u + ".service").toList()));
        java.util.Set<String> seen = new java.util.TreeSet<>();
        for (String block : out.split("\\n\\s*\\n")) {
            Map<String, String> p = new java.util.HashMap<>();
            block.lines().forEach(l -> {
                int eq = l.indexOf('=');
                if (eq > 0) {
                    p.put(l.substring(0, eq), l.substring(eq + 1));
                }
            });
            boolean active = "active".equals(p.get("ActiveState"));
            boolean enabled = "enabled".equals(p.get("UnitFileState"));
            if (active || enabled) {
                seen.add(p.get("Id").replace(".service", "") + ":" + (active ? "active" : "-") + "/" + (enabled ? "enabled" : "-"));
            }
        }
        return String.join(" ", seen);
    }

    static void assertConvergedAgain(String playbook) {
        Lab.Run again = LAB.tsync("apply", "-i", inv, playbook);
        assertEquals(0, again.exit(), again.all());
        Map<String, Map<String, Integer>> recap = EngineIT.recap(again.out());
        for (String h : hosts) {
            assertEquals(0, recap.get(h).get("changed"), h + " (" + release(h) + ") changed on a re-run of " + playbook + ":\n" + again.out());
        }
    }

    @Test
    @Order(1)
    void hostsStartAsAsked() {
        for (String h : hosts) {
            String os = LAB.sshOk(h, ". /etc/os-release; echo $VERSION_ID $VERSION_CODENAME");
            assertEquals(VERSION.get(release(h)) + " " + release(h), os.strip(), h);
            String services = timeServices(h);
            String want = switch (start(h)) {
                case "timesyncd" -> "systemd-timesyncd:active/enabled";
                case "distro-chrony" -> "chrony:active/enabled";
                default -> ntpUnit(h) + ":active/enabled";
            };
            assertEquals(want, services, h + " (" + release(h) + ", " + start(h) + ")");
        }
    }

    @Test
    @Order(2)
    void factsNameEachPlatform() {
        Lab.Run r = LAB.tsync("facts", "-i", inv);
        assertEquals(0, r.exit(), r.all());
        for (String h : hosts) {
            String row = r.out().lines().filter(l -> l.startsWith(h + " ")).findFirst().orElseThrow(() -> new AssertionError(r.out()));
            String platform = release(h).equals("bullseye") ? "debian11" : "debian12+";
            assertTrue(row.contains("debian " + VERSION.get(release(h)) + " ") && row.contains(" " + platform + " "), h + ": " + row);
        }
    }

    /** A playbook without ntp: keeps each distribution's own daemon and config exactly as they were. */
    @Test
    @Order(3)
    void timezoneOnlyPlaybookLeavesDistributionDefaults() {
        Map<String, String> before = new java.util.HashMap<>();
        String files = "sha256sum /etc/chrony/chrony.conf /etc/ntp.conf /etc/ntpsec/ntp.conf 2>/dev/null; true";
        hosts.forEach(h -> before.put(h, LAB.sshOk(h, files) + timeServices(h)));
        Lab.Run r = LAB.tsync("apply", "-i", inv, "src/test/resources/lab/tz-seoul-only.yaml");
        assertEquals(0, r.exit(), r.all());
        for (String h : hosts) {
            assertEquals("Asia/Seoul", LAB.timezone(h));
            assertEquals(before.get(h), LAB.sshOk(h, files) + timeServices(h), h + " (" + start(h) + "): daemon or config touched");
        }
    }

    @Test
    @Order(4)
    void convergesToChronyThenChangesNothing() {
        Lab.Run r = LAB.tsync("apply", "--wait", "-i", inv, KR);
        assertEquals(0, r.exit(), r.all());
        assertConvergedAgain(KR);
        Lab.Run check = LAB.tsync("apply", "--check", "-i", inv, KR);
        assertEquals(0, check.exit(), check.all());
        for (String h : hosts) {
            assertEquals("chrony:active/enabled", timeServices(h), h + " (" + release(h) + ", started " + start(h) + ")");
            assertEquals("Asia/Seoul", LAB.timezone(h));
        }
    }

    @Test
    @Order(5)
    void convertsToNtpdWithNtpqStatusAndBack() {
        Lab.Run r = LAB.tsync("apply", "--wait", "-i", inv, KR_NTPD);
        assertEquals(0, r.exit(), r.all());
        for (String h : hosts) {
            assertEquals(ntpUnit(h) + ":active/enabled", timeServices(h), h + " (" + release(h) + ")");
        }
        assertConvergedAgain(KR_NTPD);
        Lab.Run status = LAB.tsync("status", "-i", inv, KR_NTPD);
        assertEquals(0, status.exit(), status.all());
        for (String h : hosts) {
            String row = status.out().lines().filter(l -> l.startsWith(h + " ")).findFirst().orElseThrow(() -> new AssertionError(status.out()));
            assertTrue(row.contains("synced") && row.contains("10.213.0."), h + " (" + release(h) + "): " + row + "\n" + status.out());
        }
        Lab.Run back = LAB.tsync("apply", "--wait", "-i", inv, KR);
        assertEquals(0, back.exit(), back.all());
        assertConvergedAgain(KR);
        for (String h : hosts) {
            assertEquals("chrony:active/enabled", timeServices(h), h + " (" + release(h) + ")");
        }
    }
}
