package io.tsync.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.model.Daemon;
import io.tsync.model.NtpSpec;
import io.tsync.model.Play;
import io.tsync.model.Playbook;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlaybookLoaderTest {
    static Playbook parse(String yaml) throws InvalidInputException {
        return PlaybookLoader.parse("pb.yaml", SafeYaml.read("pb.yaml", yaml));
    }

    static Problem problem(String yaml) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> parse(yaml));
        return e.problems().get(0);
    }

    @Test
    void loadsTheSeedPlaybook() throws Exception {
        Playbook pb = PlaybookLoader.load(Path.of("playbooks/kr.yaml"));
        assertEquals(1, pb.plays().size());
        Play p = pb.plays().get(0);
        assertEquals("Korea time sync", p.name());
        assertEquals("all", p.hosts());
        assertEquals("Asia/Seoul", p.timezone());
        NtpSpec ntp = p.ntp();
        assertEquals(Daemon.CHRONY, ntp.daemon());
        assertEquals(3, ntp.servers().size());
        assertEquals("0.kr.pool.ntp.org", ntp.servers().get(0).host());
        assertTrue(ntp.servers().get(0).iburst());
        assertEquals(1.0, ntp.makestep().threshold());
        assertEquals(3, ntp.makestep().limit());
        assertFalse(ntp.stepNow());
        assertNull(ntp.stop());
    }

    @Test
    void listOfPlaysAndPoolsAndOptions() throws Exception {
        Playbook pb = parse("""
                - hosts: seoul
                  timezone: Asia/Seoul
                - hosts: tokyo
                  ntp:
                    daemon: ntpd
                    servers:
                      - { pool: pool.ntp.org, iburst: true, maxpoll: 10 }
                      - host: 192.0.2.1
                        prefer: true
                        minpoll: 4
                      - 2001:db8::1
                    allow: [10.0.0.0/8]
                    stop: [chrony, systemd-timesyncd]
                """);
        assertEquals(2, pb.plays().size());
        NtpSpec ntp = pb.plays().get(1).ntp();
        assertEquals(Daemon.NTPD, ntp.daemon());
        assertTrue(ntp.servers().get(0).pool());
        assertEquals(10, ntp.servers().get(0).maxpoll());
        assertTrue(ntp.servers().get(1).prefer());
        assertEquals(4, ntp.servers().get(1).minpoll());
        assertEquals("2001:db8::1", ntp.servers().get(2).host());
        assertEquals(java.util.List.of("10.0.0.0/8"), ntp.allow());
    }

    @Test
    void unknownKeyNamesLineColumnAndSuggestion() {
        Problem p = problem("""
                hosts: all
                timezone: Asia/Seoul
                ntp:
                  servers: [a.example.com]
                  iburts: true
                """);
        assertEquals(5, p.line());
        assertEquals(3, p.column());
        assertTrue(p.message().contains("iburts"), p.message());
    }

    @Test
    void unknownTimezoneSuggestsTheClosest() {
        Problem p = problem("hosts: all\ntimezone: Asia/Seul\n");
        assertEquals(2, p.line());
        assertEquals(11, p.column());
        assertTrue(p.fix().contains("Asia/Seoul"), p.fix());
    }

    @Test
    void hostileServerNamesAreRefused() {
        for (String bad : new String[] {"\"pool.ntp.org\\nallow all\"", "\"x iburst\\ncmdallow all\"", "\"$(reboot)\"", "\"a;b\"", "\"`id`\"", "\"a'b\""}) {
            Problem p = problem("hosts: all\nntp:\n  servers:\n    - " + bad + "\n");
            assertEquals(4, p.line(), bad);
            assertTrue(p.message().contains("not a valid hostname"), p.message());
        }
    }

    @Test
    void wrongTypesAreRefused() {
        assertTrue(problem("hosts: all\nntp:\n  servers: [a.b]\n  step_now: maybe\n").message().contains("true or false"));
        assertTrue(problem("hosts: all\nntp:\n  servers: [a.b]\n  makestep: { threshold: x }\n").message().contains("number"));
        assertTrue(problem("hosts: all\nntp:\n  servers:\n    - { host: a.b, minpoll: 99 }\n").message().contains("out of range"));
        assertTrue(problem("hosts: all\nntp:\n  daemon: openntpd\n  servers: [a.b]\n").message().contains("unknown daemon"));
    }

    @Test
    void duplicateKeysAreRefused() {
        Problem p = problem("hosts: all\ntimezone: UTC\ntimezone: Asia/Seoul\n");
        assertEquals(3, p.line());
        assertTrue(p.message().contains("duplicate key"));
    }

    @Test
    void arbitraryTypesAreNotConstructed() {
        Problem p = problem("hosts: all\ntimezone: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://x/\"]]]]\n");
        assertTrue(p.message().contains("tag is not allowed"), p.message());
    }

    @Test
    void everyIssue14OptionLoadsWithItsValueAndLocation() throws Exception {
        NtpSpec ntp = PlaybookLoader.load(Path.of("src/test/resources/depth/chrony-server.yaml")).plays().get(0).ntp();
        var servers = ntp.servers();
        assertEquals(io.tsync.model.Server.Kind.POOL, servers.get(0).kind());
        assertEquals(3, servers.get(0).maxsources());
        var time = servers.get(1);
        assertTrue(time.trust() && time.require() && time.xleave());
        assertEquals(1, time.key());
        var peer = servers.get(2);
        assertEquals(io.tsync.model.Server.Kind.PEER, peer.kind());
        assertFalse(peer.iburst(), "a peer is written without iburst unless asked");
        assertEquals(7, peer.at().get("peer").line());
        NtpSpec.Advanced a = ntp.advanced();
        assertEquals(2, a.minsources());
        assertEquals(3.5, a.maxdistance());
        assertEquals(new NtpSpec.MaxChange(1000, 1, 2), a.maxchange());
        assertEquals(java.util.List.of("10.99.0.0/16"), a.deny());
        assertEquals(java.util.List.of("10.0.0.11"), a.bindaddress());
        assertEquals(new NtpSpec.Local(9, true), a.local());
        assertNull(a.cmdport(), "not given: the renderer's default for servers applies");
        assertEquals("right/UTC", a.leapsectz());
        assertEquals("slew", a.leapsecmode());
        assertEquals(new NtpSpec.SmoothTime(400, 0.001024, true), a.smoothtime());
        assertTrue(a.smears());
        assertEquals(2, a.keys().size());
        assertEquals("TSYNC_NTP_KEY_1", a.keys().get(0).env());
        assertNull(a.keys().get(0).value(), "the loader names the source; apply reads it");
        assertEquals(Path.of("src/test/resources/depth/keys/ntp-2.key").toAbsolutePath().normalize().toString(), a.keys().get(1).file(),
                "value_from_file is relative to the file that names it");
        assertEquals("/dev/ptp_kvm", a.refclocks().get(0).device());
        assertTrue(a.dhcpServers());
        assertEquals(java.util.List.of("log measurements statistics tracking", "hwtimestamp *"), a.extra());
        assertEquals(18, a.at().get("smoothtime").line());
        assertEquals(java.util.List.of(), NtpChecks.problems(ntp));
        assertEquals(1, NtpChecks.warnings(ntp).size(), "smearing is warned about");
        assertTrue(NtpChecks.warnings(ntp).get(0).message().contains("leap smearing"));
    }

    /** Measured on the lab: keyed peers in orphan mode with chrony's default authselectmode never leave their local clocks. */
    @Test
    void orphanServersWithKeyedPeersAndDefaultAuthselectmodeAreWarnedAbout() throws Exception {
        String pb = """
                hosts: all
                ntp:
                  servers:
                    - pool.ntp.org
                    - { peer: ntp2.example.net, key: 1 }
                  allow: 10.0.0.0/8
                  local: { stratum: 10, orphan: true }
                  keys: [{ id: 1, value_from_env: K }]
                """;
        NtpSpec ntp = parse(pb).plays().get(0).ntp();
        assertEquals(1, NtpChecks.warnings(ntp).size());
        Problem w = NtpChecks.warnings(ntp).get(0);
        assertEquals(7, w.line());
        assertTrue(w.message().contains("authselectmode (mix) makes the authenticated ones required"), w.message());
        assertTrue(w.fix().startsWith("add authselectmode: ignore"), w.fix());
        assertEquals(List.of(), NtpChecks.warnings(parse(pb + "  authselectmode: ignore\n").plays().get(0).ntp()));
        Problem bad = problem(pb + "  authselectmode: yes-please\n");
        assertTrue(bad.message().contains("unknown authselectmode"), bad.message());
    }

    @Test
    void aHostOverrideKeepsThePlaysOptionsAndTheirLocations() throws Exception {
        NtpSpec play = parse("""
                hosts: all
                ntp:
                  servers: [a.example.com]
                  allow: 10.0.0.0/8
                  local: { stratum: 9, orphan: true }
                """).plays().get(0).ntp();
        NtpSpec host = PlaybookLoader.override(play, SafeYaml.read("host_vars/h1.yaml", "{ minsources: 2 }"),
                new io.tsync.model.Location("host_vars/h1.yaml", 1, 1));
        assertEquals(new NtpSpec.Local(9, true), host.advanced().local());
        assertEquals(2, host.advanced().minsources());
        assertEquals("pb.yaml", host.advanced().at().get("local").file());
        assertEquals("host_vars/h1.yaml", host.advanced().at().get("minsources").file());
    }

    @Test
    void timesyncdTakesHostsFallbackAndPollLimitsOnly() throws Exception {
        NtpSpec ntp = PlaybookLoader.load(Path.of("src/test/resources/depth/timesyncd.yaml")).plays().get(0).ntp();
        assertEquals(Daemon.TIMESYNCD, ntp.daemon());
        assertEquals(java.util.List.of("0.debian.pool.ntp.org", "1.debian.pool.ntp.org"), ntp.advanced().fallback());
        assertEquals(new NtpSpec.PollInterval(32, 2048), ntp.advanced().pollInterval());
        Problem p = problem("hosts: all\nntp:\n  daemon: timesyncd\n  servers: [a.b]\n  local: { stratum: 9 }\n");
        assertEquals(5, p.line());
        assertTrue(p.message().contains("SNTP client only"), p.message());
    }
}
