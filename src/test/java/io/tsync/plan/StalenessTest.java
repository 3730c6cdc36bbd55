package io.tsync.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tsync.facts.Facts;
import io.tsync.model.Sha256;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rules by which a saved plan goes stale: whole (inputs, version, keys) or per host (facts, steps). */
class StalenessTest {
    static final String SALT = "0123456789abcdef0123456789abcdef";
    static final String A = Sha256.hex("a");
    static final String B = Sha256.hex("b");

    static SavedPlan plan(List<SavedPlan.KeyDigest> keys, List<SavedPlan.HostPlan> hosts) {
        return new SavedPlan("1.4.0", "2026-12-05T13:00:00Z", new SavedPlan.Input("pb.yaml", A), new SavedPlan.Input("inv.yaml", A),
                new SavedPlan.Input(null, A), SALT, keys, hosts, 2);
    }

    static Facts facts(String conf, String chronyActive, Map<String, String> packages) {
        Map<String, Facts.Unit> units = Map.of("chrony.service", new Facts.Unit("chrony.service", "chrony.service", "loaded", chronyActive, "enabled", "yes"));
        return new Facts("debian", "", "12", "Debian 12", "none", "Etc/UTC", List.of("apt-get"), packages, units,
                conf == null ? Map.of() : Map.of("/etc/chrony/chrony.conf", conf), true, Set.of());
    }

    @Test
    void thePlanIsWholeWhenNothingItWasMadeFromChanged() {
        SavedPlan.KeyDigest k = new SavedPlan.KeyDigest(1, "environment variable K", PlanFacts.hmac(SALT, "abc"));
        SavedPlan p = plan(List.of(k), List.of());
        assertEquals(List.of(), Staleness.whole(p, p.playbook(), p.inventory(), p.templates(), "1.4.0", List.of(k)));
    }

    @Test
    void eachChangedInputIsNamed() {
        SavedPlan.KeyDigest k = new SavedPlan.KeyDigest(1, "environment variable K", PlanFacts.hmac(SALT, "abc"));
        SavedPlan p = plan(List.of(k), List.of());
        List<String> d = Staleness.whole(p, new SavedPlan.Input("pb.yaml", B), new SavedPlan.Input("other.yaml", A),
                new SavedPlan.Input(null, B), "1.5.0", List.of(new SavedPlan.KeyDigest(1, "environment variable K", PlanFacts.hmac(SALT, "abd")),
                        new SavedPlan.KeyDigest(2, "file /k2", PlanFacts.hmac(SALT, "x"))));
        assertEquals(List.of("the plan was made by tsync 1.4.0, this is tsync 1.5.0",
                "the playbook pb.yaml changed since the plan (sha256 " + A.substring(0, 12) + "... now " + B.substring(0, 12) + "...)",
                "the inventory (with its group_vars/ and host_vars/) was inv.yaml, now other.yaml",
                "the template set (none) changed since the plan (sha256 " + A.substring(0, 12) + "... now " + B.substring(0, 12) + "...)",
                "key 1 (environment variable K) has another value than when the plan was made",
                "key 2 (file /k2) is new since the plan"), d);
        assertEquals(List.of("key 1 (environment variable K) is no longer in the playbook"),
                Staleness.whole(p, p.playbook(), p.inventory(), p.templates(), "1.4.0", List.of()));
    }

    @Test
    void aHostIsStaleWhenAnyFactThePlannerReadsMoved() {
        Map<String, String> then = PlanFacts.items(facts("server a\n", "active", Map.of("chrony", "4.3")), SALT);
        SavedPlan.HostPlan hp = new SavedPlan.HostPlan("h3", "pending", "debian12", 3, then, PlanFacts.fingerprint(then), List.of(), List.of(), null);
        assertNull(Staleness.host(hp, PlanFacts.items(facts("server a\n", "active", Map.of("chrony", "4.3")), SALT)));
        assertEquals("h3 changed since the plan (/etc/chrony/chrony.conf differs): plan again",
                Staleness.host(hp, PlanFacts.items(facts("server b\n", "active", Map.of("chrony", "4.3")), SALT)));
        assertEquals("h3 changed since the plan (/etc/chrony/chrony.conf was removed; package chrony is gone (was 4.3); "
                        + "unit chrony.service was chrony.service loaded, active, enabled, condition yes, now chrony.service loaded, inactive, enabled, condition yes): plan again",
                Staleness.host(hp, PlanFacts.items(facts(null, "inactive", Map.of()), SALT)));
    }

    @Test
    void theFingerprintDependsOnContentNotOnOrder() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("x", "1");
        a.put("y", "2");
        Map<String, String> b = new LinkedHashMap<>();
        b.put("y", "2");
        b.put("x", "1");
        assertEquals(PlanFacts.fingerprint(a), PlanFacts.fingerprint(b));
        b.put("x", "3");
        assertNotEquals(PlanFacts.fingerprint(a), PlanFacts.fingerprint(b));
    }

    @Test
    void stepsMustMatchKindTitleAndContentButNotTheReasonsWording() {
        Step w = new Step.WriteConfig("/etc/chrony/chrony.conf", "chrony", "server a\n", null, null, "differs");
        SavedPlan.PlannedStep saved = PlanFacts.signature(0, w, SALT);
        SavedPlan.HostPlan hp = new SavedPlan.HostPlan("h1", "pending", "debian12", 3, Map.of(), A, List.of(saved), List.of(), null);
        assertNull(Staleness.steps(hp, 0, List.of(PlanFacts.signature(0,
                new Step.WriteConfig("/etc/chrony/chrony.conf", "chrony", "server a\n", null, null, "other words"), SALT))));
        assertEquals("h1 would now do other steps than the plan says (planned: write /etc/chrony/chrony.conf; now: write /etc/chrony/chrony.conf): plan again",
                Staleness.steps(hp, 0, List.of(PlanFacts.signature(0,
                        new Step.WriteConfig("/etc/chrony/chrony.conf", "chrony", "server b\n", null, null, "differs"), SALT))));
        assertEquals("h1 would now do other steps than the plan says (planned: write /etc/chrony/chrony.conf; now: nothing): plan again",
                Staleness.steps(hp, 0, List.of()));
        assertNull(Staleness.steps(hp, 1, List.of()), "play 1 had no steps in the plan");
    }

    @Test
    void aKeyIsOnlyEverAnHmacUnderThePlansSalt() {
        io.tsync.model.Secret key = new io.tsync.model.Secret("a1b2c3d4e5f60718293a4b5c6d7e8f90");
        Step k = new Step.WriteKeys("/etc/chrony/chrony.keys", "chrony", "root", "_chrony", "0640", key, false, "absent");
        SavedPlan.PlannedStep s = PlanFacts.signature(0, k, SALT);
        assertNull(s.sha256());
        assertEquals(PlanFacts.hmac(SALT, key.reveal()), s.hmac());
        assertNotEquals(s.hmac(), PlanFacts.signature(0, k, SALT.replace('0', '1')).hmac(), "another plan, another digest");
    }
}
