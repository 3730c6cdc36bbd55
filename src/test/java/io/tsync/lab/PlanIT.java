package io.tsync.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.report.Json;
import io.tsync.report.SchemaCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 20's saved plans on three real hosts (lab instance "plan"): {@code apply --check --diff --out}
 * writes the plan it printed, with a real symmetric key in no byte of it; {@code show} prints it
 * again; a hand edit on h2 after the plan gets h2 refused (named, untouched) while h1 and h3 get
 * exactly the planned files; a plan whose playbook or key changed is refused whole, exit 3, with no
 * host touched; {@code --wait} proves a saved plan's hosts synced.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlanIT {
    static final LabInstance LAB = new LabInstance("plan");
    static final String FAST = "src/test/resources/lab/kr-fastpoll.yaml";
    static final String KEYED = "name: Korea time sync with an authenticated source\nhosts: all\ntimezone: Asia/Seoul\nntp:\n  daemon: chrony\n"
            + "  servers:\n    - { host: 0.kr.pool.ntp.org, iburst: true, key: 1 }\n    - { host: 1.asia.pool.ntp.org, iburst: true }\n"
            + "  keys:\n    - { id: 1, type: SHA256, value_from_env: TSYNC_NTP_KEY_1 }\n";
    static List<String> hosts;
    static String inv;
    static Path dir;
    static Path playbook;
    static String key;
    static long started;

    @BeforeAll
    static void lab() throws IOException {
        started = System.nanoTime();
        // no reset: the converge below puts every host in one known state, whatever an earlier run left
        hosts = LAB.up(3);
        LAB.upstreams("start");
        inv = LAB.inventory().toString();
        dir = Files.createTempDirectory("planit");
        playbook = Files.writeString(dir.resolve("keyed.yaml"), KEYED);
        key = HexFormat.of().withUpperCase().formatHex(random(32));
        // the hosts run chrony on kr-fastpoll.yaml: the plan below changes their config and adds a key
        Lab.Run r = LAB.tsync("apply", "-i", inv, FAST);
        assertEquals(0, r.exit(), r.all());
        System.out.printf("PlanIT: lab up and hosts converged in %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    @AfterAll
    static void took() {
        System.out.printf("PlanIT took %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    static Lab.Run tsync(String k, String... args) {
        return LAB.tsyncWithEnv(Map.of("TSYNC_NTP_KEY_1", "HEX:" + k, "NO_COLOR", "1"), args);
    }

    /** Lines with their counts: hosts finish in any order, so --check prints them in any order. */
    static Map<String, Integer> lines(String text) {
        Map<String, Integer> m = new TreeMap<>();
        text.lines().forEach(l -> m.merge(l, 1, Integer::sum));
        return m;
    }

    @SuppressWarnings("unchecked")
    static String plannedSha(Path plan, String host) throws IOException {
        Map<String, Object> doc = (Map<String, Object>) Json.parse(Files.readString(plan));
        for (Object h : (List<Object>) doc.get("hosts")) {
            Map<String, Object> hm = (Map<String, Object>) h;
            if (hm.get("host").equals(host)) {
                for (Object s : (List<Object>) hm.get("steps")) {
                    Map<String, Object> sm = (Map<String, Object>) s;
                    if (sm.get("step").equals("WriteConfig")) {
                        return (String) sm.get("sha256");
                    }
                }
            }
        }
        throw new AssertionError("no WriteConfig step for " + host + " in " + plan);
    }

    static String configSha(String host) {
        return LAB.sshOk(host, "sha256sum /etc/chrony/chrony.conf").split(" ")[0];
    }

    @Test
    @Order(1)
    void aSavedPlanIsAppliedExactlyAndTheHandEditedHostIsRefused() throws IOException {
        Path plan = dir.resolve("plan.json");
        Lab.Run check = tsync(key, "apply", "--check", "--diff", "--out", plan.toString(), "-i", inv, playbook.toString());
        assertEquals(2, check.exit(), check.all());
        assertTrue(check.err().contains("plan written to " + plan + " (3 host(s))"), check.err());
        byte[] bytes = Files.readAllBytes(plan);
        String text = new String(bytes, StandardCharsets.UTF_8);
        SchemaCheck.assertValid("plan", text);
        for (String form : List.of(key, key.toLowerCase(Locale.ROOT), key.substring(0, 16), key.toLowerCase(Locale.ROOT).substring(16, 32))) {
            assertFalse(text.contains(form), "the key's value is in the plan file");
        }
        assertTrue(text.contains("\"WriteKeys\""), "the plan writes the key file: " + text);

        Lab.Run show = LAB.tsync("show", plan.toString());
        assertEquals(0, show.exit(), show.all());
        Map<String, Integer> shown = lines(show.out().substring(0, show.out().lastIndexOf("plan made ")));
        assertEquals(lines(check.out()), shown, "show prints what --check --diff printed");
        Lab.Run showJson = LAB.tsync("show", "--json", plan.toString());
        SchemaCheck.assertValid("apply", showJson.out());

        LAB.sshOk("h2", "echo '# a hand edit after the plan' >> /etc/chrony/chrony.conf");
        String h2Before = LAB.snapshot("h2");
        Lab.Run apply = tsync(key, "apply", plan.toString());
        assertEquals(4, apply.exit(), apply.all());
        assertTrue(apply.out().contains("h2 changed since the plan (/etc/chrony/chrony.conf differs): plan again"), apply.out());
        assertEquals(h2Before, LAB.snapshot("h2"), "nothing changed on h2");
        for (String h : List.of("h1", "h3")) {
            assertEquals(plannedSha(plan, h), configSha(h), h + " holds the planned chrony.conf");
            assertTrue(LAB.sshOk(h, "cat /etc/chrony/chrony.keys; true").startsWith("# Managed by tsync"), h + " got the key file");
        }
        assertFalse(apply.all().contains(key), "the key's value in apply's output");
        System.out.println("saved plan applied: h1 and h3 changed, h2 refused\n" + apply.out());
    }

    @Test
    @Order(2)
    void aPlanFromAnotherPlaybookOrKeyIsRefusedWhole() throws IOException {
        Path plan = dir.resolve("plan2.json");
        Path pb = Files.writeString(dir.resolve("stale.yaml"), KEYED);
        Lab.Run check = tsync(key, "apply", "--check", "--out", plan.toString(), "-i", inv, pb.toString());
        assertTrue(check.exit() == 0 || check.exit() == 2, check.all());
        Map<String, String> before = new TreeMap<>();
        hosts.forEach(h -> before.put(h, LAB.snapshot(h)));

        String otherKey = HexFormat.of().formatHex(random(32));
        Lab.Run keyChanged = tsync(otherKey, "apply", plan.toString());
        assertEquals(3, keyChanged.exit(), keyChanged.all());
        assertTrue(keyChanged.err().contains("the plan is stale: key 1 (environment variable TSYNC_NTP_KEY_1) has another value than when the plan was made"),
                keyChanged.err());
        assertFalse(keyChanged.all().contains(otherKey) || keyChanged.all().contains(key), "no key value in the refusal");

        Files.writeString(pb, KEYED.replace("Asia/Seoul", "Asia/Tokyo"));
        Lab.Run stale = tsync(key, "apply", plan.toString());
        assertEquals(3, stale.exit(), stale.all());
        assertTrue(stale.err().contains("the plan is stale: the playbook " + pb + " changed since the plan"), stale.err());
        hosts.forEach(h -> assertEquals(before.get(h), LAB.snapshot(h), h + " untouched by a refused plan"));
    }

    @Test
    @Order(3)
    void waitProvesASavedPlansHostsSynced() {
        Path plan = dir.resolve("plan3.json");
        Lab.Run check = tsync(key, "apply", "--check", "--out", plan.toString(), "-i", inv, FAST);
        assertEquals(2, check.exit(), check.all());
        Lab.Run apply = tsync(key, "apply", "--wait", "90s", plan.toString());
        assertEquals(0, apply.exit(), apply.all());
        assertTrue(apply.out().contains("3 of 3 host(s) synced"), apply.out());
        Lab.Run again = tsync(key, "apply", plan.toString());
        assertEquals(4, again.exit(), "a plan is applied once: the hosts it changed moved on\n" + again.all());
        assertTrue(again.out().contains("h1 changed since the plan ("), again.out());
    }
}
