package io.tsync.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.facts.Facts;
import io.tsync.model.Daemon;
import io.tsync.model.MakeStep;
import io.tsync.model.NtpSpec;
import io.tsync.model.Server;
import io.tsync.platform.Platform;
import io.tsync.platform.Platforms;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The planner table: every seed step on every platform row. */
class PlannerTest {
    static final String CONF = "server a.example iburst\n";

    static NtpSpec ntp(Daemon d) {
        return new NtpSpec(d, List.of(new Server("a.example", false, true, false, null, null, false)), new MakeStep(1.0, 3), false,
                List.of(), null, false, null);
    }

    /** Facts of a host of a platform, with a given set of units active/enabled and packages installed. */
    static Facts facts(String id, String version, String tz, Map<String, String> packages, Map<String, String[]> unitStates,
                       Map<String, String> files) {
        Map<String, Facts.Unit> units = new HashMap<>();
        for (String u : List.of("chrony", "chronyd", "ntp", "ntpd", "ntpsec", "systemd-timesyncd", "openntpd")) {
            String[] st = unitStates.get(u);
            units.put(u + ".service", st == null ? new Facts.Unit(u + ".service", u + ".service", "not-found", "inactive", "", "")
                    : new Facts.Unit(u + ".service", st[3] == null ? u + ".service" : st[3], "loaded", st[0], st[1], st[2]));
        }
        return new Facts(id, "", version, id + " " + version, "container", tz, List.of(), packages, units, files, true, java.util.Set.of());
    }

    static String[] unit(String active, String enabled) {
        return new String[] {active, enabled, "yes", null};
    }

    static Stream<Arguments> platforms() {
        return Stream.of(
                Arguments.of("debian", "12", "chrony", "chrony", "/etc/chrony/chrony.conf", "ntpsec", "ntpsec", "/etc/ntpsec/ntp.conf"),
                Arguments.of("debian", "11", "chrony", "chrony", "/etc/chrony/chrony.conf", "ntp", "ntp", "/etc/ntp.conf"),
                Arguments.of("ubuntu", "24.04", "chrony", "chrony", "/etc/chrony/chrony.conf", "ntpsec", "ntpsec", "/etc/ntpsec/ntp.conf"),
                Arguments.of("ubuntu", "22.04", "chrony", "chrony", "/etc/chrony/chrony.conf", "ntp", "ntp", "/etc/ntp.conf"),
                Arguments.of("centos", "7", "chrony", "chronyd", "/etc/chrony.conf", "ntp", "ntpd", "/etc/ntp.conf"),
                Arguments.of("rocky", "9.3", "chrony", "chronyd", "/etc/chrony.conf", null, null, null),
                Arguments.of("rhel", "8.10", "chrony", "chronyd", "/etc/chrony.conf", null, null, null));
    }

    static Platform platform(String id, String v) {
        return Platforms.lookup(id, "", v).orElseThrow();
    }

    static List<String> titles(List<Step> steps) {
        return steps.stream().map(Step::title).toList();
    }

    @ParameterizedTest(name = "{0} {1}: fresh host gets every step")
    @MethodSource("platforms")
    void freshHostGetsEverySeedStep(String id, String v, String pkg, String svc, String path, String ntpPkg, String ntpSvc, String ntpPath)
            throws Exception {
        Facts f = facts(id, v, "Etc/UTC", Map.of(), Map.of(ntpSvc == null ? "systemd-timesyncd" : ntpSvc, unit("active", "enabled")), Map.of());
        NtpSpec spec = new NtpSpec(Daemon.CHRONY, ntp(Daemon.CHRONY).servers(), new MakeStep(1, 3), true, List.of(), null, false, null);
        List<Step> steps = Planner.plan(f, platform(id, v), new Desired("Asia/Seoul", spec), CONF);
        assertEquals(List.of("set timezone Asia/Seoul", "stop and disable " + (ntpSvc == null ? "systemd-timesyncd" : ntpSvc),
                "install " + pkg, "write " + path, "enable " + svc, "restart " + svc, "step clock (chronyc -a makestep)"), titles(steps));
        steps.forEach(s -> assertTrue(!s.reason().isBlank(), "every step has a reason"));
    }

    @ParameterizedTest(name = "{0} {1}: converged host has an empty plan")
    @MethodSource("platforms")
    void convergedHostHasEmptyPlan(String id, String v, String pkg, String svc, String path, String ntpPkg, String ntpSvc, String ntpPath)
            throws Exception {
        Map<String, String[]> units = new HashMap<>();
        units.put(svc, unit("active", "enabled"));
        // an alias of the running daemon (chronyd -> chrony on Debian) must not be stopped
        if (svc.equals("chrony")) {
            units.put("chronyd", new String[] {"active", "alias", "yes", "chrony.service"});
        }
        Facts f = facts(id, v, "Asia/Seoul", Map.of(pkg, "4.3"), units, Map.of(path, CONF));
        assertEquals(List.of(), Planner.plan(f, platform(id, v), new Desired("Asia/Seoul", ntp(Daemon.CHRONY)), CONF));
    }

    @ParameterizedTest(name = "{0} {1}: config drift rewrites and restarts only")
    @MethodSource("platforms")
    void configDriftRewritesAndRestarts(String id, String v, String pkg, String svc, String path, String ntpPkg, String ntpSvc, String ntpPath)
            throws Exception {
        Facts f = facts(id, v, "Asia/Seoul", Map.of(pkg, "4.3"), Map.of(svc, unit("active", "enabled")), Map.of(path, "server other\n"));
        List<Step> steps = Planner.plan(f, platform(id, v), new Desired("Asia/Seoul", ntp(Daemon.CHRONY)), CONF);
        assertEquals(List.of("write " + path, "restart " + svc), titles(steps));
        Step.WriteConfig w = (Step.WriteConfig) steps.get(0);
        assertEquals("server other\n", w.previous());
    }

    @ParameterizedTest(name = "{0} {1}: stopped daemon is started, disabled one enabled")
    @MethodSource("platforms")
    void stoppedDaemonIsStartedNotRestarted(String id, String v, String pkg, String svc, String path, String ntpPkg, String ntpSvc, String ntpPath)
            throws Exception {
        Facts f = facts(id, v, "Asia/Seoul", Map.of(pkg, "4.3"), Map.of(svc, unit("inactive", "disabled")), Map.of(path, CONF));
        assertEquals(List.of("enable " + svc, "start " + svc),
                titles(Planner.plan(f, platform(id, v), new Desired(null, ntp(Daemon.CHRONY)), CONF)));
    }

    @ParameterizedTest(name = "{0} {1}: chrony -> ntpd")
    @MethodSource("platforms")
    void switchToNtpd(String id, String v, String pkg, String svc, String path, String ntpPkg, String ntpSvc, String ntpPath) throws Exception {
        Facts f = facts(id, v, "Asia/Seoul", Map.of(pkg, "4.3"), Map.of(svc, unit("active", "enabled")), Map.of(path, CONF));
        Platform p = platform(id, v);
        if (ntpPkg == null) {
            Planner.PlanRefused e = assertThrows(Planner.PlanRefused.class,
                    () -> Planner.plan(f, p, new Desired(null, ntp(Daemon.NTPD)), CONF));
            assertTrue(e.getMessage().contains("chrony"), "refusal suggests chrony: " + e.getMessage());
            return;
        }
        assertEquals(List.of("stop and disable " + svc, "install " + ntpPkg, "write " + ntpPath, "enable " + ntpSvc, "restart " + ntpSvc),
                titles(Planner.plan(f, p, new Desired(null, ntp(Daemon.NTPD)), CONF)));
    }

    @ParameterizedTest(name = "{0} {1}: an inactive, disabled or absent conflicting unit is left alone")
    @MethodSource("platforms")
    void absentConflictsAreNotStopped(String id, String v, String pkg, String svc, String path, String ntpPkg, String ntpSvc, String ntpPath)
            throws Exception {
        Map<String, String[]> units = new HashMap<>();
        units.put(svc, unit("active", "enabled"));
        units.put("systemd-timesyncd", unit("inactive", "disabled"));
        Facts f = facts(id, v, "Asia/Seoul", Map.of(pkg, "4.3"), units, Map.of(path, CONF));
        assertEquals(List.of(), Planner.plan(f, platform(id, v), new Desired(null, ntp(Daemon.CHRONY)), CONF));
    }

    @ParameterizedTest(name = "{0} {1}: timezone only")
    @MethodSource("platforms")
    void timezoneOnly(String id, String v, String pkg, String svc, String path, String ntpPkg, String ntpSvc, String ntpPath) throws Exception {
        Facts f = facts(id, v, "Etc/UTC", Map.of(), Map.of(), Map.of());
        assertEquals(List.of("set timezone Asia/Seoul"), titles(Planner.plan(f, platform(id, v), new Desired("Asia/Seoul", null), null)));
    }

    @ParameterizedTest(name = "{0} {1}: no tz database: tzdata is installed before the timezone is set")
    @MethodSource("platforms")
    void missingTzDatabaseIsInstalledFirst(String id, String v, String pkg, String svc, String path, String ntpPkg, String ntpSvc, String ntpPath)
            throws Exception {
        Facts base = facts(id, v, "Etc/UTC", Map.of(pkg, "4.3"), Map.of(svc, unit("active", "enabled")), Map.of(path, CONF));
        Facts minimal = new Facts(base.osId(), base.osIdLike(), base.osVersionId(), base.prettyName(), base.virtualization(), base.timezone(),
                base.packageManagers(), base.packages(), base.units(), base.files(), false, java.util.Set.of());
        List<Step> steps = Planner.plan(minimal, platform(id, v), new Desired("Asia/Seoul", ntp(Daemon.CHRONY)), CONF);
        assertEquals(List.of("install tzdata", "set timezone Asia/Seoul"), titles(steps));
        assertEquals(platform(id, v).packages(), ((Step.InstallPackage) steps.get(0)).packages());
        Facts converged = new Facts(base.osId(), base.osIdLike(), base.osVersionId(), base.prettyName(), base.virtualization(), "Asia/Seoul",
                base.packageManagers(), base.packages(), base.units(), base.files(), false, java.util.Set.of());
        assertEquals(List.of(), Planner.plan(converged, platform(id, v), new Desired("Asia/Seoul", ntp(Daemon.CHRONY)), CONF),
                "a host already on the timezone needs no tz database from tsync");
    }

    @ParameterizedTest(name = "{0} {1}: a masked daemon unit refuses the host, changing nothing")
    @MethodSource("platforms")
    void maskedDaemonIsRefusedNotUnmasked(String id, String v, String pkg, String svc, String path, String ntpPkg, String ntpSvc, String ntpPath) {
        Facts base = facts(id, v, "Etc/UTC", Map.of(pkg, "4.3"), Map.of(), Map.of(path, "server other\n"));
        Map<String, Facts.Unit> units = new HashMap<>(base.units());
        units.put(svc + ".service", new Facts.Unit(svc + ".service", svc + ".service", "masked", "inactive", "masked", ""));
        Facts masked = new Facts(base.osId(), base.osIdLike(), base.osVersionId(), base.prettyName(), base.virtualization(), base.timezone(),
                base.packageManagers(), base.packages(), units, base.files(), true, java.util.Set.of());
        Planner.PlanRefused e = assertThrows(Planner.PlanRefused.class,
                () -> Planner.plan(masked, platform(id, v), new Desired("Asia/Seoul", ntp(Daemon.CHRONY)), CONF));
        assertTrue(e.getMessage().startsWith(svc + ".service is masked (systemctl mask)"), e.getMessage());
        assertTrue(e.getMessage().contains("systemctl unmask " + svc), "names the fix: " + e.getMessage());
        assertTrue(new Facts.Unit("x", "x", "loaded", "inactive", "masked-runtime", "").masked(), "a runtime mask is a mask too");
    }

    @ParameterizedTest(name = "{0} {1}: a config replaced by a run that lost its connection before the restart gets the restart")
    @MethodSource("platforms")
    void restartOwedByAnEarlierRunIsDone(String id, String v, String pkg, String svc, String path, String ntpPkg, String ntpSvc, String ntpPath)
            throws Exception {
        Facts base = facts(id, v, "Asia/Seoul", Map.of(pkg, "4.3"), Map.of(svc, unit("active", "enabled")), Map.of(path, CONF));
        Facts owed = new Facts(base.osId(), base.osIdLike(), base.osVersionId(), base.prettyName(), base.virtualization(), base.timezone(),
                base.packageManagers(), base.packages(), base.units(), base.files(), true, java.util.Set.of(svc));
        List<Step> steps = Planner.plan(owed, platform(id, v), new Desired("Asia/Seoul", ntp(Daemon.CHRONY)), CONF);
        assertEquals(List.of("restart " + svc), titles(steps), "the file is right, the daemon runs the previous one");
        assertEquals("an earlier run replaced " + path + " but did not get to restart " + svc + " on it", steps.get(0).reason());
        Facts stopped = new Facts(base.osId(), base.osIdLike(), base.osVersionId(), base.prettyName(), base.virtualization(), base.timezone(),
                base.packageManagers(), base.packages(), Map.of(svc + ".service", new Facts.Unit(svc + ".service", svc + ".service", "loaded", "inactive", "enabled", "yes")),
                base.files(), true, java.util.Set.of(svc));
        assertEquals(List.of("start " + svc), titles(Planner.plan(stopped, platform(id, v), new Desired(null, ntp(Daemon.CHRONY)), CONF)),
                "not running: a start runs it on the new file");
        Facts otherUnit = new Facts(base.osId(), base.osIdLike(), base.osVersionId(), base.prettyName(), base.virtualization(), base.timezone(),
                base.packageManagers(), base.packages(), base.units(), base.files(), true, java.util.Set.of("ntpsec"));
        assertEquals(List.of(), Planner.plan(otherUnit, platform(id, v), new Desired(null, ntp(Daemon.CHRONY)), CONF));
    }
}
