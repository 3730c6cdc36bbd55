package io.tsync.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.exec.Commands;
import io.tsync.exec.Executor;
import io.tsync.facts.Facts;
import io.tsync.facts.FactsProbe;
import io.tsync.load.DesiredResolver;
import io.tsync.load.PlaybookLoader;
import io.tsync.model.Daemon;
import io.tsync.model.Host;
import io.tsync.model.Play;
import io.tsync.plan.Desired;
import io.tsync.plan.Planner;
import io.tsync.plan.Step;
import io.tsync.render.Renderer;
import io.tsync.status.ChronyParsers;
import io.tsync.status.ChronyTracking;
import io.tsync.status.NtpSystemVars;
import io.tsync.status.NtpqParsers;
import io.tsync.status.Source;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The platform rows tsync cannot start in the lab (CentOS 7, Rocky 9, Ubuntu 22.04, Ubuntu 24.04), proven on
 * captured command outputs: src/test/resources/platforms/DIR/, one file per command, each named with its public
 * source in DIR/SOURCES.md. Facts are assembled in FactsProbe's section format and go through the same parse, plan,
 * command and status code as a real host's.
 */
public class PlatformFixturesTest {
    static final Path ROOT = Path.of("src/test/resources/platforms");

    static String read(String dir, String name) throws IOException {
        return Files.readString(ROOT.resolve(dir).resolve(name), StandardCharsets.UTF_8);
    }

    /**
     * FactsProbe.command()'s output for a host whose outputs are the fixture files: os-release, the package query
     * (rpm-q or dpkg-query), systemctl-show and the config files that exist in the starting state. No fixture stands
     * for /etc/localtime, systemd-detect-virt or `command -v`: the link and virt sections stay empty (so the probe's
     * own fallback, Etc/UTC, applies) and @pm names what the platform ships.
     */
    static String probeOutput(String dir, List<String> packageManagers, String pkgs, Map<String, String> files) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append("@os\n").append(withNewline(read(dir, "os-release")));
        out.append("@tz\n@tzfile\n@virt\n@pm\n");
        packageManagers.forEach(p -> out.append(p).append('\n'));
        out.append("@pkgs\n").append(withNewline(read(dir, pkgs)));
        out.append("@units\n").append(withNewline(read(dir, "systemctl-show")));
        for (String path : FactsProbe.FILES) {
            String fixture = files.get(path);
            if (fixture != null) {
                out.append("@file ").append(path).append('\n')
                        .append(Base64.getEncoder().encodeToString(read(dir, fixture).getBytes(StandardCharsets.UTF_8))).append('\n');
            }
        }
        return out.append("@end\n").toString();
    }

    private static String withNewline(String s) {
        return s.isEmpty() || s.endsWith("\n") ? s : s + "\n";
    }

    static Facts centos7() throws Exception {
        return FactsProbe.parse(probeOutput("centos7", List.of("yum"), "rpm-q", Map.of("/etc/chrony.conf", "chrony.conf")));
    }

    static Facts rocky9() throws Exception {
        return FactsProbe.parse(probeOutput("rocky9", List.of("dnf", "yum"), "rpm-q", Map.of("/etc/chrony.conf", "chrony.conf")));
    }

    static Facts ubuntu2204() throws Exception {
        return FactsProbe.parse(probeOutput("ubuntu2204", List.of("apt-get"), "dpkg-query", Map.of()));
    }

    static Facts ubuntu2404() throws Exception {
        return FactsProbe.parse(probeOutput("ubuntu2404", List.of("apt-get"), "dpkg-query", Map.of()));
    }

    /** A playbook's desired state for a host without inventory overrides, as apply resolves it. */
    static Desired desired(String playbook) throws Exception {
        Play play = PlaybookLoader.load(Path.of("playbooks", playbook)).plays().get(0);
        return DesiredResolver.resolve(play, new Host("h1", "192.0.2.1", 22, "root", null, false, Map.of(), List.of()));
    }

    static List<Step> plan(Facts facts, String playbook) throws Exception {
        return Executor.plan(facts, desired(playbook), new Renderer(null)).steps();
    }

    static List<String> titles(List<Step> steps) {
        return steps.stream().map(Step::title).toList();
    }

    static String script(Step step) {
        return Commands.of(step).script();
    }

    /** The end of an install's script that installs: after the bounded wait for the package manager's lock (PackageLockWaitTest). */
    static String install(Step step) {
        String s = script(step);
        String waited = "[ \"$LOCK_TIMEOUT\" -gt 0 ] || LOCK_TIMEOUT=0\n";
        assertTrue(s.startsWith("tsync_lock_holder() {\n") && s.contains(waited), s);
        return s.substring(s.indexOf(waited) + waited.length());
    }

    // ---- 1. facts: the platform row and what it says about the host ----

    static Stream<Arguments> platforms() {
        return Stream.of(
                Arguments.of("centos7", "rhel7", "yum", "chronyd", "/etc/chrony.conf", "ntpd", "/etc/ntp.conf"),
                Arguments.of("rocky9", "rhel8+", "dnf", "chronyd", "/etc/chrony.conf", null, null),
                Arguments.of("ubuntu2204", "ubuntu21-23", "apt", "chrony", "/etc/chrony/chrony.conf", "ntp", "/etc/ntp.conf"),
                Arguments.of("ubuntu2404", "ubuntu24+", "apt", "chrony", "/etc/chrony/chrony.conf", "ntpsec", "/etc/ntpsec/ntp.conf"));
    }

    public static Facts facts(String dir) throws Exception {
        return switch (dir) {
            case "centos7" -> centos7();
            case "rocky9" -> rocky9();
            case "ubuntu2204" -> ubuntu2204();
            default -> ubuntu2404();
        };
    }

    @ParameterizedTest(name = "{0}: os-release resolves to row {1}")
    @MethodSource("platforms")
    void factsResolveThePlatformRow(String dir, String row, String pm, String chronyService, String chronyConf, String ntpService,
                                    String ntpConf) throws Exception {
        Facts f = facts(dir);
        Platform p = Platforms.lookup(f.osId(), f.osIdLike(), f.osVersionId()).orElseThrow();
        assertEquals(row, p.id());
        assertEquals(pm, p.packages().name());
        assertEquals(chronyService, p.daemon(Daemon.CHRONY).orElseThrow().service());
        assertEquals(chronyConf, p.daemon(Daemon.CHRONY).orElseThrow().configPath());
        assertEquals(ntpService, p.daemon(Daemon.NTPD).map(Platform.DaemonSpec::service).orElse(null));
        assertEquals(ntpConf, p.daemon(Daemon.NTPD).map(Platform.DaemonSpec::configPath).orElse(null));
        assertEquals(FactsProbe.UNITS.size(), f.units().size(), "one systemctl block per probed unit");
        assertEquals("Etc/UTC", f.timezone(), "no /etc/localtime link in the fixture: the probe's fallback");
    }

    @Test
    void centos7FactsSeeStockChronyFromRpm() throws Exception {
        Facts f = centos7();
        assertEquals("centos", f.osId());
        assertEquals("rhel fedora", f.osIdLike());
        assertEquals("7", f.osVersionId());
        assertEquals("CentOS Linux 7 (Core)", f.prettyName());
        assertEquals(Map.of("chrony", "3.4-1.el7"), f.packages());
        assertEquals(List.of("yum"), f.packageManagers());
        Facts.Unit chronyd = f.unit("chronyd");
        assertTrue(chronyd.loaded() && chronyd.active() && chronyd.enabled());
        assertEquals(false, f.unit("chrony").loaded(), "RHEL has no chrony.service alias");
        assertEquals(read("centos7", "chrony.conf"), f.files().get("/etc/chrony.conf"));
        assertEquals(List.of("/etc/chrony.conf"), List.copyOf(f.files().keySet()));
    }

    @Test
    void rocky9FactsSeeStockChronyFromRpm() throws Exception {
        Facts f = rocky9();
        assertEquals("rocky", f.osId());
        assertEquals("rhel centos fedora", f.osIdLike());
        assertEquals("9.3", f.osVersionId());
        assertEquals(Map.of("chrony", "4.3-1.el9"), f.packages());
        assertEquals(List.of("dnf", "yum"), f.packageManagers());
        assertTrue(f.unit("chronyd").active());
        assertEquals(read("rocky9", "chrony.conf"), f.files().get("/etc/chrony.conf"));
    }

    @ParameterizedTest(name = "{0}: pristine Ubuntu runs systemd-timesyncd, no time daemon package")
    @MethodSource("ubuntus")
    void ubuntuFactsSeeTimesyncdAndNoPackage(String dir, String version) throws Exception {
        Facts f = facts(dir);
        assertEquals("ubuntu", f.osId());
        assertEquals("debian", f.osIdLike());
        assertEquals(version, f.osVersionId());
        assertEquals(Map.of(), f.packages(), "dpkg-query prints nothing for packages dpkg has never seen");
        assertEquals(Map.of(), f.files());
        Facts.Unit timesyncd = f.unit("systemd-timesyncd");
        assertTrue(timesyncd.active() && timesyncd.enabled());
        assertTrue(f.units().values().stream().filter(Facts.Unit::loaded).map(Facts.Unit::id).toList()
                .equals(List.of("systemd-timesyncd.service")));
    }

    static Stream<Arguments> ubuntus() {
        return Stream.of(Arguments.of("ubuntu2204", "22.04"), Arguments.of("ubuntu2404", "24.04"));
    }

    // ---- 2 and 3. plans for playbooks/kr.yaml (chrony) and playbooks/kr-ntpd.yaml (ntpd), and their commands ----

    static final String SET_TZ_SEOUL = "tz='Asia/Seoul'\n"
            + "test -e \"/usr/share/zoneinfo/$tz\" || { echo \"timezone $tz is not in this host's tz database (install tzdata)\" >&2; exit 1; }\n"
            + "if command -v timedatectl >/dev/null 2>&1; then timedatectl set-timezone \"$tz\" || true\n"
            + "  case \"$(readlink /etc/localtime)\" in */zoneinfo/\"$tz\") ;; *) ln -sf \"../usr/share/zoneinfo/$tz\" /etc/localtime ;; esac\n"
            + "else ln -sf \"/usr/share/zoneinfo/$tz\" /etc/localtime && echo \"$tz\" > /etc/timezone; fi";

    static final String APT_PREFIX = "export DEBIAN_FRONTEND=noninteractive; dpkg --configure -a >/dev/null 2>&1 || true; ";

    static String aptInstall(String pkg) {
        return APT_PREFIX + "LC_ALL=C apt-cache policy '" + pkg + "' 2>/dev/null | grep -q '^  Candidate: [^(]' || apt-get update -q 2>&1 | grep '^[WE]:' >&2; "
                + "apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=\"$LOCK_TIMEOUT\" "
                + "-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold '"
                + pkg + "'";
    }

    static String enable(String unit) {
        return "u='" + unit + "'\n[ \"$(systemctl is-enabled \"$u\" 2>/dev/null)\" = enabled ] || systemctl enable \"$u\" 2>&1";
    }

    @Test
    void centos7WithStockChronyGetsTheConfigAndARestartOnly() throws Exception {
        List<Step> steps = plan(centos7(), "kr.yaml");
        assertEquals(List.of("set timezone Asia/Seoul", "write /etc/chrony.conf", "restart chronyd"), titles(steps));
        Step.WriteConfig w = (Step.WriteConfig) steps.get(1);
        assertEquals(read("centos7", "chrony.conf"), w.previous(), "the stock file is what gets replaced (and kept as .tsync-bak)");
        assertEquals("/etc/chrony.conf differs from the desired content", w.reason());
        assertTrue(w.content().contains("server 0.kr.pool.ntp.org iburst\n") && w.content().contains("driftfile /var/lib/chrony/drift\n"),
                w.content());
        assertEquals(SET_TZ_SEOUL, script(steps.get(0)));
        assertTrue(script(w).startsWith("set -eu\nf='/etc/chrony.conf'\n"), script(w));
        // chronyd 3.4 (rpm-q: 3.4-1.el7) has no -p: its getopt string is "46df:F:hl:mnP:qQrRst:u:vx" (src/main.c at
        // the chrony-3.4-1.el7 tag), so `chronyd -p` prints the usage and exits 1 and every write would be refused
        assertNull(w.checkCommand(), "no config check on chrony 3.x");
        assertTrue(!script(w).contains("chronyd -p"), script(w));
        assertTrue(script(steps.get(2)).startsWith("u='chronyd'\nsystemctl restart \"$u\" 2>&1 || rc=$?\n"), script(steps.get(2)));
    }

    @Test
    void centos7SwitchedToNtpdStopsChronydAndInstallsNtpWithYum() throws Exception {
        List<Step> steps = plan(centos7(), "kr-ntpd.yaml");
        assertEquals(List.of("set timezone Asia/Seoul", "stop and disable chronyd", "install ntp", "write /etc/ntp.conf", "enable ntpd",
                "restart ntpd"), titles(steps));
        assertEquals("chronyd is running and conflicts with ntpd", steps.get(1).reason());
        assertEquals("systemctl disable --now 'chronyd' 2>&1", script(steps.get(1)));
        assertEquals("yum install -y -q --setopt=exit_on_lock=True 'ntp'", install(steps.get(2)));
        Step.WriteConfig w = (Step.WriteConfig) steps.get(3);
        assertNull(w.previous(), "ntp is not installed: no /etc/ntp.conf yet");
        assertNull(w.checkCommand(), "ntpd has no config check");
        assertTrue(w.content().contains("driftfile /var/lib/ntp/drift\n"), w.content());
        assertEquals(enable("ntpd"), script(steps.get(4)));
        assertTrue(script(steps.get(5)).startsWith("u='ntpd'\nsystemctl restart \"$u\""), script(steps.get(5)));
    }

    @Test
    void rocky9WithStockChronyGetsTheConfigAndARestartOnly() throws Exception {
        List<Step> steps = plan(rocky9(), "kr.yaml");
        assertEquals(List.of("set timezone Asia/Seoul", "write /etc/chrony.conf", "restart chronyd"), titles(steps));
        Step.WriteConfig w = (Step.WriteConfig) steps.get(1);
        assertEquals(read("rocky9", "chrony.conf"), w.previous());
        assertTrue(script(w).contains("chronyd -p -f \"$1\""), script(w));
        assertEquals(SET_TZ_SEOUL, script(steps.get(0)));
    }

    @Test
    void rocky9RefusesNtpdWithTheRhel8Hint() throws Exception {
        Facts f = rocky9();
        Planner.PlanRefused e = assertThrows(Planner.PlanRefused.class, () -> plan(f, "kr-ntpd.yaml"));
        assertEquals("ntpd is not available on rhel8+: RHEL 8 and later ship no ntp package; use 'daemon: chrony' for this host "
                + "(set tsync_ntp: { daemon: chrony } in its inventory vars)", e.getMessage());
    }

    @Test
    void rocky9InstallLineIsDnf() {
        Step install = new Step.InstallPackage("chrony", Platforms.lookup("rocky", "rhel centos fedora", "9.3").orElseThrow().packages(),
                "chrony is not installed");
        assertEquals("dnf install -y -q --setopt=exit_on_lock=True 'chrony'", install(install));
    }

    @ParameterizedTest(name = "{0}: timesyncd is stopped, chrony installed with apt")
    @MethodSource("ubuntus")
    void ubuntuWithTimesyncdGetsChronyInstalled(String dir, String version) throws Exception {
        List<Step> steps = plan(facts(dir), "kr.yaml");
        assertEquals(List.of("set timezone Asia/Seoul", "stop and disable systemd-timesyncd", "install chrony", "write /etc/chrony/chrony.conf",
                "enable chrony", "restart chrony"), titles(steps));
        assertEquals("systemd-timesyncd is running and conflicts with chrony", steps.get(1).reason());
        assertEquals("systemctl disable --now 'systemd-timesyncd' 2>&1", script(steps.get(1)));
        assertEquals(aptInstall("chrony"), install(steps.get(2)));
        Step.WriteConfig w = (Step.WriteConfig) steps.get(3);
        assertNull(w.previous());
        assertTrue(w.content().contains("driftfile /var/lib/chrony/chrony.drift\n"), w.content());
        assertEquals(enable("chrony"), script(steps.get(4)));
        assertEquals("the configuration changed", steps.get(5).reason());
    }

    @Test
    void ubuntu2204NtpdIsTheClassicNtpPackage() throws Exception {
        List<Step> steps = plan(ubuntu2204(), "kr-ntpd.yaml");
        assertEquals(List.of("set timezone Asia/Seoul", "stop and disable systemd-timesyncd", "install ntp", "write /etc/ntp.conf", "enable ntp",
                "restart ntp"), titles(steps));
        assertEquals(aptInstall("ntp"), install(steps.get(2)));
        assertTrue(((Step.WriteConfig) steps.get(3)).content().contains("driftfile /var/lib/ntp/ntp.drift\n"));
    }

    @Test
    void ubuntu2404NtpdIsNtpsec() throws Exception {
        List<Step> steps = plan(ubuntu2404(), "kr-ntpd.yaml");
        assertEquals(List.of("set timezone Asia/Seoul", "stop and disable systemd-timesyncd", "install ntpsec", "write /etc/ntpsec/ntp.conf",
                "enable ntpsec", "restart ntpsec"), titles(steps));
        assertEquals(aptInstall("ntpsec"), install(steps.get(2)));
        assertTrue(((Step.WriteConfig) steps.get(3)).content().contains("driftfile /var/lib/ntpsec/ntp.drift\n"));
    }

    /** After the package install left the distribution's stock config in place, the next plan replaces exactly that file. */
    @ParameterizedTest(name = "{0}: the stock {1} is replaced, not merged")
    @MethodSource("stockConfigs")
    void stockConfigOfTheDistributionIsReplaced(String dir, String path, String fixture, String playbook, String pkg, String version)
            throws Exception {
        Facts pristine = facts(dir);
        Facts installed = new Facts(pristine.osId(), pristine.osIdLike(), pristine.osVersionId(), pristine.prettyName(),
                pristine.virtualization(), "Asia/Seoul", pristine.packageManagers(), Map.of(pkg, version), pristine.units(),
                Map.of(path, read(dir, fixture)), true, java.util.Set.of());
        List<Step> steps = plan(installed, playbook);
        Step.WriteConfig w = steps.stream().filter(Step.WriteConfig.class::isInstance).map(Step.WriteConfig.class::cast).findFirst().orElseThrow();
        assertEquals(path, w.path());
        assertEquals(read(dir, fixture), w.previous());
        assertTrue(titles(steps).stream().noneMatch(t -> t.startsWith("install ")), titles(steps).toString());
    }

    static Stream<Arguments> stockConfigs() {
        return Stream.of(
                Arguments.of("centos7", "/etc/ntp.conf", "ntp.conf", "kr-ntpd.yaml", "ntp", "4.2.6p5-29.el7"),
                Arguments.of("ubuntu2204", "/etc/chrony/chrony.conf", "chrony.conf", "kr.yaml", "chrony", "4.2-2ubuntu2"),
                Arguments.of("ubuntu2204", "/etc/ntp.conf", "ntp.conf", "kr-ntpd.yaml", "ntp", "1:4.2.8p15+dfsg-1ubuntu2"),
                Arguments.of("ubuntu2404", "/etc/chrony/chrony.conf", "chrony.conf", "kr.yaml", "chrony", "4.5-1ubuntu4.2"),
                Arguments.of("ubuntu2404", "/etc/ntpsec/ntp.conf", "ntp.conf", "kr-ntpd.yaml", "ntpsec", "1.2.2+dfsg1-4build2"));
    }

    // ---- 4. status parsers on the captured chronyc / ntpq outputs ----

    @Test
    void centos7ChronycSources() throws Exception {
        List<Source> s = ChronyParsers.sources(read("centos7", "chronyc-sources"));
        assertEquals(4, s.size());
        Source star = s.get(3);
        assertEquals('*', star.state());
        assertEquals("10.71.56.11", star.address());
        assertEquals(5, star.stratum());
        assertEquals(0377, star.reach());
        assertEquals(-0.000006851, star.offsetSeconds());
        assertEquals(List.of('-', '?', '?', '*'), s.stream().map(Source::state).toList());
        assertNull(s.get(1).lastRxSeconds(), "4294967295 = never sampled");
    }

    @Test
    void centos7ChronycTracking() throws Exception {
        ChronyTracking t = ChronyParsers.tracking(read("centos7", "chronyc-tracking"));
        assertEquals("85F3EEF3", t.referenceId());
        assertEquals("133.243.238.243", t.referenceName());
        assertEquals(2, t.stratum());
        assertEquals(-0.000040695, t.lastOffsetSeconds());
        assertEquals(0.002843684, t.rmsOffsetSeconds());
        assertEquals("Normal", t.leapStatus());
        assertTrue(t.synchronised());
    }

    @Test
    void centos7NtpqPeersFromNtp426() throws Exception {
        List<Source> p = NtpqParsers.peers(read("centos7", "ntpq-p"));
        assertEquals(List.of('-', '+', '+', '*'), p.stream().map(Source::state).toList());
        Source star = p.get(3);
        assertEquals("209.51.161.238", star.address());
        assertEquals(".CDMA.", star.refid());
        assertEquals(1, star.stratum());
        assertEquals(0377, star.reach());
        assertEquals(0173, p.get(1).reach());
        assertEquals(0.000961, star.offsetSeconds());
    }

    @Test
    void centos7NtpqSystemVariablesFromNtp426() throws Exception {
        NtpSystemVars v = NtpqParsers.systemVars(read("centos7", "ntpq-rv"));
        assertEquals("Normal", v.leap());
        assertEquals(3, v.stratum());
        assertEquals("133.18.174.255", v.refid());
        assertEquals(0.000671, v.offsetSeconds());
        assertEquals(0.03779, v.sysJitterSeconds());
        assertEquals(0.122293, v.rootDelaySeconds());
        assertEquals(0.101044, v.rootDispersionSeconds());
    }

    @Test
    void rocky9Chronyc() throws Exception {
        List<Source> s = ChronyParsers.sources(read("rocky9", "chronyc-sources"));
        assertEquals(22, s.size());
        Source star = s.stream().filter(x -> x.state() == '*').findFirst().orElseThrow();
        assertEquals("85.199.214.102", star.address());
        assertEquals(1, star.stratum());
        assertEquals(10, star.pollLog2());
        assertEquals(0.000006879, star.offsetSeconds());
        assertEquals(1, s.stream().filter(x -> x.state() == '+').count());
        ChronyTracking t = ChronyParsers.tracking(read("rocky9", "chronyc-tracking"));
        assertEquals("85.199.214.100", t.referenceName());
        assertEquals(2, t.stratum());
        assertEquals(-0.000193872, t.lastOffsetSeconds());
        assertEquals(-18.484, t.frequencyPpm());
        assertEquals("Normal", t.leapStatus());
    }

    @ParameterizedTest(name = "{0}: chronyc sources and tracking")
    @MethodSource("ubuntuTracking")
    void ubuntuChronyc(String dir, String refName, int stratum, double lastOffset) throws Exception {
        List<Source> s = ChronyParsers.sources(read(dir, "chronyc-sources"));
        assertEquals(8, s.size());
        Source star = s.get(7);
        assertEquals('*', star.state());
        assertEquals("194.80.204.184", star.address());
        assertEquals(077, star.reach(), "six samples since chronyd started");
        ChronyTracking t = ChronyParsers.tracking(read(dir, "chronyc-tracking"));
        assertEquals(refName, t.referenceName());
        assertEquals(stratum, t.stratum());
        assertEquals(lastOffset, t.lastOffsetSeconds());
        assertEquals("Normal", t.leapStatus());
    }

    static Stream<Arguments> ubuntuTracking() {
        return Stream.of(Arguments.of("ubuntu2204", "45.64.185.180", 3, 0.003852981), Arguments.of("ubuntu2404", "208.75.88.4", 3, 0.000351970));
    }

    @Test
    void ubuntu2204NtpqPeersWithPoolEntries() throws Exception {
        List<Source> p = NtpqParsers.peers(read("ubuntu2204", "ntpq-p"));
        assertEquals(13, p.size());
        assertEquals(5, p.stream().filter(Source::poolPlaceholder).count(), "ntp.ubuntu.com and the four pool lines");
        Source star = p.stream().filter(x -> x.state() == '*').findFirst().orElseThrow();
        assertEquals("54.252.129.186", star.address());
        assertEquals(0376, star.reach());
        assertEquals(205L, star.lastRxSeconds());
        assertEquals(7, star.pollLog2());
        assertEquals(-0.002489, star.offsetSeconds());
        Source local = p.get(5);
        assertEquals(".LOCL.", local.refid());
        assertEquals("refclock", local.mode());
    }

    /** docs/platforms.md's table has one row per row of the platform table. */
    @org.junit.jupiter.api.Test
    void platformsDocListsEveryPlatformRow() throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("docs/platforms.md"));
        for (Platforms.Row r : Platforms.TABLE) {
            org.junit.jupiter.api.Assertions.assertTrue(readme.contains("| `" + r.platform().id() + "`"), r.platform().id() + " in docs/platforms.md");
        }
    }
}
