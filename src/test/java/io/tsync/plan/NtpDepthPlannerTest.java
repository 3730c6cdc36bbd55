package io.tsync.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.facts.Facts;
import io.tsync.facts.FactsProbe;
import io.tsync.load.KeyMaterial;
import io.tsync.load.PlaybookLoader;
import io.tsync.model.Daemon;
import io.tsync.model.NtpSpec;
import io.tsync.model.Secret;
import io.tsync.platform.Platform;
import io.tsync.platform.Platforms;
import io.tsync.render.KeyFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The planner on issue 14's steps, from facts captured on a lab host (Debian 12, chrony running with
 * -x in a container without CAP_SYS_TIME): the key file, step_now that steps or is skipped, PTP clocks,
 * systemd-timesyncd.
 */
class NtpDepthPlannerTest {
    static final String KEY = "00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF";
    static final Platform DEBIAN12 = Platforms.lookup("debian", "", "12").orElseThrow();

    static Facts captured() throws Exception {
        return FactsProbe.parse(Files.readString(Path.of("src/test/resources/facts/debian12-chrony-x.txt")));
    }

    /** The captured host with its config already as the playbook wants it: only what the test varies remains to do. */
    static Facts convergedConfig(Facts f, String rendered) {
        Map<String, String> files = new HashMap<>(f.files());
        files.put("/etc/chrony/chrony.conf", rendered);
        return new Facts(f.osId(), f.osIdLike(), f.osVersionId(), f.prettyName(), f.virtualization(), f.timezone(), f.packageManagers(),
                f.packages(), f.units(), files, f.tzdb(), f.restartPending(), f.ptpDevices(), f.clock(), f.keyFiles(), f.timesyncdDropins());
    }

    static Facts with(Facts f, Facts.ClockControl clock, List<String> ptp, List<String> dropins) {
        return new Facts(f.osId(), f.osIdLike(), f.osVersionId(), f.prettyName(), f.virtualization(), f.timezone(), f.packageManagers(),
                f.packages(), f.units(), f.files(), f.tzdb(), f.restartPending(), ptp, clock, f.keyFiles(), dropins);
    }

    static NtpSpec client(Map<String, String> env) throws Exception {
        NtpSpec spec = PlaybookLoader.load(Path.of("src/test/resources/depth/client.yaml")).plays().get(0).ntp();
        return KeyMaterial.resolve(spec, env, true, new ArrayList<>(), new ArrayList<>());
    }

    static List<String> titles(List<Step> steps) {
        return steps.stream().map(Step::title).toList();
    }

    @Test
    void theCapturedFactsSayChronydCannotStepHere() throws Exception {
        Facts f = captured();
        assertEquals(new Facts.ClockControl(false, true), f.clock(), "CapBnd 00000000fcecafff lacks bit 25; ExecStart has -x");
        assertEquals(List.of(), f.ptpDevices());
        assertEquals(new Facts.KeyFileState("root", "_chrony", "640", "574108a9f83834b7f41c75dfa5050b376ea36f7f2e0ff6ce8d365bcd04d286bb"),
                f.keyFiles().get("/etc/chrony/chrony.keys"));
    }

    @Test
    void keyFileIsWrittenWhenItsContentOwnerOrModeDiffers() throws Exception {
        NtpSpec spec = client(Map.of("TSYNC_NTP_KEY_1", "HEX:" + KEY));
        Secret content = KeyFiles.render(Daemon.CHRONY, spec.advanced().keys());
        Facts f = convergedConfig(captured(), "rendered\n");
        Planner.Plan p = Planner.plan(f, DEBIAN12, new Desired(null, spec), "rendered\n", content);
        assertEquals(List.of("write key file /etc/chrony/chrony.keys", "restart chrony"), titles(p.steps()));
        assertEquals("/etc/chrony/chrony.keys does not hold the playbook's keys", p.steps().get(0).reason());
        assertEquals("the key file changed", p.steps().get(1).reason());
        Step.WriteKeys w = (Step.WriteKeys) p.steps().get(0);
        assertEquals(List.of("root", "_chrony", "640"), List.of(w.owner(), w.group(), w.mode()), "Debian 12's owner and mode, from the platform row");
        assertTrue(!w.toString().contains(KEY) && !p.toString().contains(KEY), "a step's text never shows the key: " + w);

        Facts same = f.withKeyFiles(Map.of("/etc/chrony/chrony.keys", new Facts.KeyFileState("root", "_chrony", "640", content.sha256())));
        assertEquals(List.of(), Planner.plan(same, DEBIAN12, new Desired(null, spec), "rendered\n", content).steps());

        Facts owner = f.withKeyFiles(Map.of("/etc/chrony/chrony.keys", new Facts.KeyFileState("root", "root", "640", content.sha256())));
        assertEquals("/etc/chrony/chrony.keys is owned by root:root, want root:_chrony",
                Planner.plan(owner, DEBIAN12, new Desired(null, spec), "rendered\n", content).steps().get(0).reason());
        Facts mode = f.withKeyFiles(Map.of("/etc/chrony/chrony.keys", new Facts.KeyFileState("root", "_chrony", "644", content.sha256())));
        assertEquals("/etc/chrony/chrony.keys has mode 644, want 640",
                Planner.plan(mode, DEBIAN12, new Desired(null, spec), "rendered\n", content).steps().get(0).reason());
        Facts unread = f.withKeyFiles(Map.of("/etc/chrony/chrony.keys", new Facts.KeyFileState("root", "_chrony", "640", null)));
        assertEquals("/etc/chrony/chrony.keys could not be read to compare",
                Planner.plan(unread, DEBIAN12, new Desired(null, spec), "rendered\n", content).steps().get(0).reason());
        // status without the secrets: it cannot compare the content, so it does not claim drift
        assertEquals(List.of(), Planner.plan(unread, DEBIAN12, new Desired(null, spec), "rendered\n", null).steps());
    }

    @Test
    void stepNowIsSkippedWithAWarningWhereChronydCannotSetTheClock() throws Exception {
        NtpSpec spec = PlaybookLoader.parse("pb.yaml", io.tsync.load.SafeYaml.read("pb.yaml",
                "hosts: all\nntp:\n  servers: [a.example.com]\n  step_now: true\n")).plays().get(0).ntp();
        Facts f = captured();
        Planner.Plan p = Planner.plan(f, DEBIAN12, new Desired(null, spec), "new\n", null);
        assertEquals(List.of("write /etc/chrony/chrony.conf", "restart chrony"), titles(p.steps()));
        assertEquals(List.of("step_now skipped: chronyd runs with -x (it does not control the clock); chronyd still measures and reports the offset (tsync status)"),
                p.warnings());

        Facts noCap = with(f, new Facts.ClockControl(false, false), List.of(), List.of());
        assertTrue(Planner.plan(noCap, DEBIAN12, new Desired(null, spec), "new\n", null).warnings().get(0).contains("no CAP_SYS_TIME"));

        Facts real = with(f, new Facts.ClockControl(true, false), List.of(), List.of());
        Planner.Plan stepping = Planner.plan(real, DEBIAN12, new Desired(null, spec), "new\n", null);
        assertEquals(List.of("write /etc/chrony/chrony.conf", "restart chrony", "step clock (chronyc waitsync, then makestep)"), titles(stepping.steps()));
        assertEquals(List.of(), stepping.warnings());
    }

    @Test
    void aPtpRefclockNeedsItsDeviceOnTheHost() throws Exception {
        NtpSpec spec = PlaybookLoader.parse("pb.yaml", io.tsync.load.SafeYaml.read("pb.yaml",
                "hosts: all\nntp:\n  servers: [a.example.com]\n  refclocks:\n    - { phc: /dev/ptp_kvm, poll: 3, dpoll: -2, offset: 0 }\n")).plays().get(0).ntp();
        Planner.PlanRefused e = assertThrows(Planner.PlanRefused.class, () -> Planner.plan(captured(), DEBIAN12, new Desired(null, spec), "x\n", null));
        assertEquals("pb.yaml:5:7: refclock /dev/ptp_kvm: no such device on this host (it has no PTP clock); load the hypervisor's PTP driver "
                + "(KVM: modprobe ptp_kvm; Hyper-V: hv_utils; AWS: the ENA driver with its PHC enabled) or remove the refclock", e.getMessage());
        Facts kvm = with(captured(), Facts.ClockControl.UNKNOWN, List.of("/dev/ptp0", "/dev/ptp_kvm"), List.of());
        assertEquals(List.of("write /etc/chrony/chrony.conf", "restart chrony"), titles(Planner.plan(kvm, DEBIAN12, new Desired(null, spec), "x\n", null).steps()));
    }

    @Test
    void timesyncdReplacesChronyAndWarnsAboutADropInThatOverridesIt() throws Exception {
        NtpSpec spec = PlaybookLoader.load(Path.of("src/test/resources/depth/timesyncd.yaml")).plays().get(0).ntp();
        Facts f = with(captured(), Facts.ClockControl.UNKNOWN, List.of(), List.of("cloud-init.conf", "zz-local.conf"));
        Planner.Plan p = Planner.plan(f, DEBIAN12, new Desired(null, spec), "[Time]\n", null);
        assertEquals(List.of("stop and disable chrony", "install systemd-timesyncd", "write /etc/systemd/timesyncd.conf.d/tsync.conf",
                "enable systemd-timesyncd", "restart systemd-timesyncd"), titles(p.steps()));
        assertEquals(List.of("timesyncd drop-in zz-local.conf sorts after tsync.conf and overrides the settings it shares with it"), p.warnings());
    }

    /**
     * Debian 11: chrony replaced systemd-timesyncd, and deb-systemd-helper masked the removed package's unit
     * (recorded in /var/lib/systemd/deb-systemd-helper-masked, as on the lab's Debian 11 hosts). Installing
     * the package lifts that mask, so going back to timesyncd is planned; an administrator's mask is refused.
     */
    @Test
    void aMaskLeftByPackageRemovalDoesNotStopTheSwitchToTimesyncd() throws Exception {
        NtpSpec spec = PlaybookLoader.load(Path.of("src/test/resources/depth/timesyncd.yaml")).plays().get(0).ntp();
        Facts f = captured();
        Map<String, Facts.Unit> units = new HashMap<>(f.units());
        units.put("systemd-timesyncd.service", new Facts.Unit("systemd-timesyncd.service", "systemd-timesyncd.service", "masked", "inactive", "masked", "no"));
        Facts debian11 = new Facts("debian", "", "11", "Debian GNU/Linux 11 (bullseye)", f.virtualization(), f.timezone(), f.packageManagers(),
                f.packages(), units, f.files(), true, java.util.Set.of(), List.of(), f.clock(), f.keyFiles(), List.of(),
                java.util.Set.of("systemd-timesyncd.service"));
        Platform p = Platforms.lookup("debian", "", "11").orElseThrow();
        assertEquals(List.of("stop and disable chrony", "install systemd-timesyncd", "write /etc/systemd/timesyncd.conf.d/tsync.conf",
                "enable systemd-timesyncd", "restart systemd-timesyncd"), titles(Planner.plan(debian11, p, new Desired(null, spec), "[Time]\n", null).steps()));
        Facts byAdmin = new Facts(debian11.osId(), "", "11", debian11.prettyName(), f.virtualization(), f.timezone(), f.packageManagers(),
                f.packages(), units, f.files(), true, java.util.Set.of(), List.of(), f.clock(), f.keyFiles(), List.of(), java.util.Set.of());
        Planner.PlanRefused e = assertThrows(Planner.PlanRefused.class, () -> Planner.plan(byAdmin, p, new Desired(null, spec), "[Time]\n", null));
        assertTrue(e.getMessage().startsWith("systemd-timesyncd.service is masked (systemctl mask)"), e.getMessage());
    }

    @Test
    void timesyncdIsNotOfferedOnRhel() {
        Platform rocky = Platforms.lookup("rocky", "", "9").orElseThrow();
        assertTrue(rocky.daemon(Daemon.TIMESYNCD).isEmpty());
        assertTrue(rocky.whyNot(Daemon.TIMESYNCD).contains("do not ship systemd-timesyncd"));
    }

    @Test
    void ntpsecRefusesPeersAndXleaveAtPlanTimeAtThePlaybooksLine() throws Exception {
        NtpSpec spec = PlaybookLoader.load(Path.of("src/test/resources/depth/ntp-server.yaml")).plays().get(0).ntp();
        Facts debian12 = captured();
        Planner.PlanRefused e = assertThrows(Planner.PlanRefused.class,
                () -> io.tsync.exec.Executor.plan(debian12, new Desired(null, spec), new io.tsync.render.Renderer(null)));
        assertTrue(e.getMessage().startsWith("debian12 (ntpsec) cannot do what the playbook asks: "), e.getMessage());
        assertTrue(e.getMessage().contains("ntp-server.yaml:7:"), e.getMessage());
        assertTrue(e.getMessage().contains("xleave: ntpsec has no interleaved mode"), e.getMessage());
        assertTrue(e.getMessage().contains("peer: ntpsec has no symmetric mode"), e.getMessage());
    }
}
