package io.tsync.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.model.Daemon;
import io.tsync.model.MakeStep;
import io.tsync.model.NtpSpec;
import io.tsync.model.Server;
import io.tsync.platform.Platform;
import io.tsync.platform.Platforms;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Golden files: rendered output must match src/test/resources/golden byte for byte (set -Dgolden.update=true to rewrite). */
class RendererTest {
    static final NtpSpec KR = new NtpSpec(Daemon.CHRONY, List.of(
            new Server("0.kr.pool.ntp.org", false, true, false, null, null, false),
            new Server("1.asia.pool.ntp.org", false, true, false, null, null, false),
            new Server("2.asia.pool.ntp.org", false, true, false, null, null, false)),
            new MakeStep(1.0, 3), false, List.of(), null, false, null);

    static final NtpSpec FULL = new NtpSpec(Daemon.CHRONY, List.of(
            new Server("time.example.com", false, true, true, 4, 10, true),
            new Server("pool.ntp.org", true, true, false, null, null, false),
            new Server("2001:db8::123", false, false, false, null, null, false)),
            new MakeStep(0.5, -1), true, List.of("10.0.0.0/8", "192.168.1.0/24"), "/var/lib/chrony/custom.drift", true, null);

    static void golden(String name, String actual) throws Exception {
        Path p = Path.of("src/test/resources/golden", name);
        if (Boolean.getBoolean("golden.update") || !Files.exists(p)) {
            Files.writeString(p, actual, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(p, StandardCharsets.UTF_8), actual, "golden " + name);
    }

    static Renderer renderer() throws Exception {
        return new Renderer(null);
    }

    @Test
    void chronyDebianSeed() throws Exception {
        golden("chrony-debian-kr.conf", renderer().render(Platforms.lookup("debian", "", "12").orElseThrow().daemon(Daemon.CHRONY).orElseThrow(), KR));
    }

    @Test
    void chronyRhelAllOptions() throws Exception {
        golden("chrony-rhel-full.conf", renderer().render(Platforms.lookup("rocky", "", "9").orElseThrow().daemon(Daemon.CHRONY).orElseThrow(), FULL));
    }

    @Test
    void ntpsecDebian() throws Exception {
        NtpSpec ntp = new NtpSpec(Daemon.NTPD, FULL.servers().stream().map(s -> new Server(s.host(), s.pool(), s.iburst(), s.prefer(),
                s.minpoll(), s.maxpoll(), false)).toList(), FULL.makestep(), false, FULL.allow(), null, false, null);
        golden("ntpsec-debian-full.conf", renderer().render(Platforms.lookup("debian", "", "12").orElseThrow().daemon(Daemon.NTPD).orElseThrow(), ntp));
    }

    /** The ntp spec of a playbook under src/test/resources/depth/ (every issue-14 option, loaded as a user writes it). */
    static NtpSpec depth(String name) throws Exception {
        return io.tsync.load.PlaybookLoader.load(Path.of("src/test/resources/depth", name)).plays().get(0).ntp();
    }

    static Platform.DaemonSpec spec(String id, String version, Daemon d) {
        return Platforms.lookup(id, "", version).orElseThrow().daemon(d).orElseThrow();
    }

    @Test
    void chronyInternalServerWithEveryOption() throws Exception {
        golden("chrony-debian12-server.conf", renderer().render(spec("debian", "12", Daemon.CHRONY), depth("chrony-server.yaml")));
    }

    @Test
    void chronyClientOnDebian13KeepsItsLeapSecondList() throws Exception {
        String conf = renderer().render(spec("debian", "13", Daemon.CHRONY), depth("client.yaml"));
        golden("chrony-debian13-client.conf", conf);
        assertTrue(conf.contains("leapseclist /usr/share/zoneinfo/leap-seconds.list\n"), conf);
        assertFalse(conf.contains("cmdport"), "a client keeps chrony's default command port (localhost only):\n" + conf);
        assertFalse(conf.contains("sourcedir"), "DHCP servers only with dhcp_servers: true:\n" + conf);
    }

    @Test
    void chronyOnRhel7KeepsNoDistributionDefaultsButTheKeyfileWhenKeysAreGiven() throws Exception {
        String conf = renderer().render(spec("centos", "7", Daemon.CHRONY), depth("client.yaml"));
        assertTrue(conf.contains("keyfile /etc/chrony.keys\n"), conf);
        assertFalse(conf.contains("leapsectz") || conf.contains("ntsdumpdir"), conf);
        String seed = renderer().render(spec("centos", "7", Daemon.CHRONY), KR);
        assertFalse(seed.contains("keyfile"), seed);
    }

    @Test
    void classicNtpInternalServer() throws Exception {
        golden("ntp-debian11-server.conf", renderer().render(spec("debian", "11", Daemon.NTPD), depth("ntp-server.yaml")));
    }

    @Test
    void ntpsecAuthenticatedClient() throws Exception {
        golden("ntpsec-debian12-client.conf", renderer().render(spec("debian", "12", Daemon.NTPD), depth("ntpsec-client.yaml")));
    }

    @Test
    void timesyncdDropIn() throws Exception {
        Platform.DaemonSpec tsd = spec("debian", "12", Daemon.TIMESYNCD);
        assertEquals("/etc/systemd/timesyncd.conf.d/tsync.conf", tsd.configPath());
        golden("timesyncd-debian12.conf", renderer().render(tsd, depth("timesyncd.yaml")));
    }

    @Test
    void deterministic() throws Exception {
        var spec = Platforms.lookup("debian", "", "12").orElseThrow().daemon(Daemon.CHRONY).orElseThrow();
        assertEquals(renderer().render(spec, FULL), new Renderer(null).render(spec, FULL));
        assertTrue(renderer().render(spec, KR).startsWith("# Managed by tsync"));
    }

    @Test
    void strictOnMissingValuesAndNoClassResolution(@TempDir Path dir) throws Exception {
        var spec = Platforms.lookup("debian", "", "12").orElseThrow().daemon(Daemon.CHRONY).orElseThrow();
        Files.writeString(dir.resolve("chrony.conf.ftl"), "server ${nosuchvalue}\n");
        Renderer.RenderException e = assertThrows(Renderer.RenderException.class, () -> new Renderer(dir).render(spec, KR));
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
        Files.writeString(dir.resolve("chrony.conf.ftl"), "<#assign x = \"freemarker.template.utility.Execute\"?new()>${x(\"id\")}\n");
        assertThrows(Renderer.RenderException.class, () -> new Renderer(dir).render(spec, KR));
        Files.writeString(dir.resolve("chrony.conf.ftl"), "${servers?api}\n");
        assertThrows(Renderer.RenderException.class, () -> new Renderer(dir).render(spec, KR));
    }
}
