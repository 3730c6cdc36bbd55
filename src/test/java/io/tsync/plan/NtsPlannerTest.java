package io.tsync.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tsync.exec.Commands;
import io.tsync.facts.Facts;
import io.tsync.model.NtpSpec;
import io.tsync.model.Secret;
import io.tsync.model.TrustedCerts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The NTS trusted certificates file as a plan step: written when its SHA-256, owner or mode differ, then chronyd restarted without its old cookies. */
class NtsPlannerTest {
    static final String PATH = "/etc/chrony/tsync-nts-ca.pem";

    static NtpSpec spec(String pem) {
        NtpSpec.Advanced a = NtpSpec.Advanced.NONE;
        a = new NtpSpec.Advanced(a.minsources(), a.maxdistance(), a.maxchange(), a.deny(), a.local(), a.bindaddress(), a.cmdport(), a.leapsectz(),
                a.leapsecmode(), a.maxslewrate(), a.smoothtime(), a.keys(), a.authselectmode(), a.refclocks(), a.fallback(), a.pollInterval(),
                a.dhcpServers(), a.extra(), new TrustedCerts("/pb/ca.pem", pem, List.of("CN=ca"), null), a.at());
        return new NtpSpec(io.tsync.model.Daemon.CHRONY, List.of(new io.tsync.model.Server("nts.example.net", false, true, false, null, null, true)),
                new io.tsync.model.MakeStep(1.0, 3), false, List.of(), null, false, null, a);
    }

    static List<Step> plan(Facts f, NtpSpec spec) throws Exception {
        return Planner.plan(f, NtpDepthPlannerTest.DEBIAN12, new Desired(null, spec), "rendered\n", null).steps();
    }

    @Test
    void theCertificatesAreWrittenWhenMissingOrDifferentAndChronydForgetsItsCookies() throws Exception {
        String pem = Files.readString(Path.of("src/test/resources/nts/ca.pem"));
        Facts f = NtpDepthPlannerTest.convergedConfig(NtpDepthPlannerTest.captured(), "rendered\n");
        List<Step> steps = plan(f, spec(pem));
        assertEquals(List.of("write NTS trusted certificates " + PATH, "restart chrony"), NtpDepthPlannerTest.titles(steps));
        assertEquals(PATH + " does not exist", steps.get(0).reason());
        Step.WriteTrustedCerts w = (Step.WriteTrustedCerts) steps.get(0);
        assertEquals(List.of("root", "root", "644", pem), List.of(w.owner(), w.group(), w.mode(), w.content()));
        Step.RestartService r = (Step.RestartService) steps.get(1);
        assertEquals("the NTS trusted certificates changed", r.reason());
        assertEquals("/var/lib/chrony", r.forgetNtsIn(), "chronyd reloads its saved cookies at start: a new trust must not inherit them");
        String script = Commands.of(r).script();
        assertEquals(true, script.contains("rm -f -- '/var/lib/chrony'/*.nts\n"), script);

        String sha = new Secret(pem).sha256();
        Facts same = f.withKeyFiles(Map.of(PATH, new Facts.KeyFileState("root", "root", "644", sha)));
        assertEquals(List.of(), plan(same, spec(pem)), "converged: no step");
        Facts other = f.withKeyFiles(Map.of(PATH, new Facts.KeyFileState("root", "root", "644", "0".repeat(64))));
        assertEquals(PATH + " does not hold the playbook's nts_trusted_certs", plan(other, spec(pem)).get(0).reason());
        Facts mode = f.withKeyFiles(Map.of(PATH, new Facts.KeyFileState("root", "root", "600", sha)));
        assertEquals(PATH + " has mode 600, want 644", plan(mode, spec(pem)).get(0).reason());
    }

    @Test
    void aConfigChangeAloneRestartsChronydWithItsCookies() throws Exception {
        Facts f = NtpDepthPlannerTest.captured();
        String pem = Files.readString(Path.of("src/test/resources/nts/ca.pem"));
        Facts certsOk = f.withKeyFiles(Map.of(PATH, new Facts.KeyFileState("root", "root", "644", new Secret(pem).sha256())));
        List<Step> steps = plan(certsOk, spec(pem));
        Step.RestartService r = (Step.RestartService) steps.get(steps.size() - 1);
        assertEquals("the configuration changed", r.reason());
        assertNull(r.forgetNtsIn());
    }
}
