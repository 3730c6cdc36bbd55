package io.tsync.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.model.Host;
import io.tsync.model.Inventory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IniInventoryParserTest {
    static Inventory ini(String text) throws InvalidInputException {
        return InventoryLoader.parseIni("hosts.ini", text, null);
    }

    static Problem problem(String text) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ini(text));
        return e.problems().get(0);
    }

    static List<String> names(List<Host> hosts) {
        return hosts.stream().map(Host::name).toList();
    }

    @Test
    void groupsVarsChildrenAndUngroupedHosts() throws Exception {
        Inventory inv = ini("""
                lone ansible_host=10.0.0.9

                [seoul]
                web1 ansible_host=10.0.0.1
                web2 ansible_host=10.0.0.2 ansible_port=2222 ansible_user=root

                [tokyo]
                db1 ansible_host=10.0.0.3

                [asia:children]
                seoul
                tokyo

                [asia:vars]
                tsync_timezone=Asia/Tokyo
                region=asia

                [seoul:vars]
                tsync_timezone=Asia/Seoul

                [all:vars]
                ansible_user=deploy
                """);
        assertEquals(List.of("lone", "web1", "web2", "db1"), names(inv.hosts()));
        Host web1 = inv.host("web1");
        assertEquals("10.0.0.1", web1.address());
        assertEquals("deploy", web1.user());
        assertEquals("Asia/Seoul", web1.var("tsync_timezone"), "child group (seoul) beats parent (asia)");
        assertEquals("asia", web1.var("region"));
        assertEquals(List.of("asia", "seoul"), web1.groups());
        assertEquals(2222, inv.host("web2").port());
        assertEquals("root", inv.host("web2").user());
        assertFalse(inv.host("web2").become(), "root needs no sudo");
        assertEquals("Asia/Tokyo", inv.host("db1").var("tsync_timezone"));
        assertEquals(List.of("ungrouped"), inv.host("lone").groups(), "hosts before any section are ungrouped, as in Ansible");
        assertEquals(List.of("lone"), inv.groups().get("ungrouped"));
        assertEquals(List.of("web1", "web2", "db1"), names(HostPatterns.select(inv, "asia")));
        assertEquals(List.of("lone", "web1"), names(HostPatterns.select(inv, "all:!web2:!tokyo")));
    }

    @Test
    void rangesExpandLikeAnsible() throws Exception {
        Inventory inv = ini("""
                [web]
                web[01:03] ansible_host=10.0.0.1
                [db]
                db[a:c] ansible_host=10.0.0.2
                [n]
                n[0:10:5] ansible_host=10.0.0.3
                [wide]
                w[098:100]-x ansible_host=10.0.0.4
                """);
        assertEquals(List.of("web01", "web02", "web03"), inv.groups().get("web"));
        assertEquals(List.of("dba", "dbb", "dbc"), inv.groups().get("db"));
        assertEquals(List.of("n0", "n5", "n10"), inv.groups().get("n"));
        assertEquals(List.of("w098-x", "w099-x", "w100-x"), inv.groups().get("wide"));
        assertEquals("10.0.0.1", inv.host("web02").address());
    }

    @Test
    void hostPortSuffixAndIpv6Names() throws Exception {
        Inventory inv = ini("""
                [g]
                web1:2222 ansible_host=10.0.0.1
                fd00::1
                web2:2200 ansible_host=10.0.0.2 ansible_port=2300
                """);
        assertEquals(2222, inv.host("web1").port());
        assertEquals("fd00::1", inv.host("fd00::1").address());
        assertEquals(22, inv.host("fd00::1").port());
        assertEquals(2300, inv.host("web2").port(), "an explicit ansible_port wins over NAME:PORT, as in Ansible");
    }

    @Test
    void commentsBlankLinesAndQuotes() throws Exception {
        Inventory inv = ini("""
                # a comment
                ; another comment
                   # indented comment

                [g]   # comment after a header
                h1 ansible_host=10.0.0.1 motd="hello world" path='/a b/c' hash=a#b   # trailing comment
                h2 ansible_host=10.0.0.2 esc="say \\"hi\\""
                [g:vars]
                spaced = some text here   # comment
                quoted = "  keeps # and spaces  "
                ; done
                """);
        Host h1 = inv.host("h1");
        assertEquals("hello world", h1.var("motd"));
        assertEquals("/a b/c", h1.var("path"));
        assertEquals("a", h1.var("hash"), "as shlex (and so Ansible): '#' outside quotes starts a comment, even inside a word");
        assertEquals("say \"hi\"", inv.host("h2").var("esc"));
        assertEquals("some text here   # comment", h1.var("spaced"), "as Ansible: a [vars] value is the rest of the line");
        assertEquals("  keeps # and spaces  ", h1.var("quoted"));
        assertEquals(List.of("h1", "h2"), names(inv.hosts()));
    }

    @Test
    void valuesAreTypedAsAnsibleUsersExpect() throws Exception {
        Inventory inv = ini("""
                [g]
                h1 ansible_host=10.0.0.1 ansible_port=2222 ansible_become=no a=yes b=True c=FALSE n=-5 z=0 lead=0042 f=1.5 q="2222" qb='true' e= s=text
                """);
        Host h = inv.host("h1");
        assertEquals(2222, h.port());
        assertFalse(h.become());
        assertEquals("yes", h.vars().get("a").value(), "as Ansible: yes is no Python literal, so it stays text");
        assertEquals(Boolean.TRUE, h.vars().get("b").value());
        assertEquals("FALSE", h.vars().get("c").value());
        assertEquals(-5L, h.vars().get("n").value());
        assertEquals(0L, h.vars().get("z").value());
        assertEquals("0042", h.vars().get("lead").value(), "leading zeros stay text (Python's literal_eval refuses them too)");
        assertEquals(1.5, h.vars().get("f").value());
        assertEquals(2222L, h.vars().get("q").value(), "as Ansible: shlex takes the quotes off, then literal_eval reads a number");
        assertEquals("true", h.vars().get("qb").value());
        assertEquals("", h.vars().get("e").value());
        assertEquals("text", h.vars().get("s").value());
    }

    @Test
    void hostListedInTwoSectionsMergesItsVarsAndLeavesUngrouped() throws Exception {
        Inventory inv = ini("""
                h1 ansible_host=10.0.0.1 a=1
                [g]
                h1 b=2
                [k]
                h1 a=3
                """);
        Host h = inv.host("h1");
        assertEquals("3", h.var("a"), "later definitions win");
        assertEquals("2", h.var("b"));
        assertEquals(List.of("g", "k"), h.groups(), "a host in a group is no longer ungrouped");
        assertEquals(List.of(), inv.groups().get("ungrouped"));
    }

    @Test
    void childrenMayBeDeclaredLaterAndCyclesAreRefused() throws Exception {
        Inventory inv = ini("""
                [top:children]
                mid
                [mid:children]
                leaf
                [leaf]
                h1 ansible_host=10.0.0.1
                [mid:vars]
                x=mid
                [top:vars]
                x=top
                """);
        assertEquals("mid", inv.host("h1").var("x"));
        assertEquals(List.of("top", "mid", "leaf"), inv.host("h1").groups(), "parents first");
        Problem p = problem("""
                [a:children]
                b
                [b:children]
                a
                [b]
                h1 ansible_host=10.0.0.1
                """);
        assertTrue(p.message().contains("group cycle"), p.message());
        assertEquals(1, p.line());
    }

    @Test
    void undeclaredChildIsRefusedWithDidYouMean() {
        Problem p = problem("""
                [seoul]
                web1 ansible_host=10.0.0.1

                [asia:children]
                seol
                """);
        assertEquals("hosts.ini", p.file());
        assertEquals(5, p.line());
        assertEquals(1, p.column());
        assertTrue(p.message().contains("'seol'") && p.message().contains("did you mean 'seoul'"), p.message());
        assertTrue(p.fix().contains("[seol]"), p.fix());
    }

    @Test
    void varsForUndeclaredGroupAreRefused() {
        Problem p = problem("""
                [web]
                h1 ansible_host=10.0.0.1
                [wbe:vars]
                x=1
                """);
        assertEquals(3, p.line());
        assertTrue(p.message().contains("[wbe:vars]") && p.message().contains("did you mean 'web'"), p.message());
    }

    @Test
    void errorsNameLineColumnAndFix() {
        Problem unknownKind = problem("[web:hostz]\nh1\n");
        assertEquals(1, unknownKind.line());
        assertTrue(unknownKind.message().contains("unknown type ':hostz'"), unknownKind.message());
        assertTrue(unknownKind.fix().contains("did you mean 'hosts'"), unknownKind.fix());
        // 'hats' is two edits from both 'hosts' and 'vars': the first the fix names wins, in every run
        Problem tie = problem("[web:hats]\nh1\n");
        assertTrue(tie.fix().endsWith("(did you mean 'hosts'?)"), tie.fix());

        Problem noEq = problem("[web]\nh1 ansible_host=10.0.0.1 ansible_port\n");
        assertEquals(2, noEq.line());
        assertEquals(26, noEq.column());
        assertTrue(noEq.message().contains("expected key=value"), noEq.message());

        Problem port = problem("[web]\nh1 ansible_host=10.0.0.1 ansible_port=ssh\n");
        assertEquals(2, port.line());
        assertEquals(39, port.column(), "points at the value");
        assertTrue(port.message().contains("ansible_port must be a whole number, not 'ssh'"), port.message());

        Problem range = problem("[web]\nweb[3:1] ansible_host=10.0.0.1\n");
        assertEquals(2, range.line());
        assertTrue(range.message().contains("runs backwards"), range.message());

        Problem quote = problem("[web]\nh1 ansible_host=10.0.0.1 motd=\"hello\n");
        assertEquals(2, quote.line());
        assertEquals(31, quote.column());
        assertTrue(quote.message().contains("unclosed double quote"), quote.message());

        Problem header = problem("[web\nh1\n");
        assertTrue(header.message().contains("no closing ']'"), header.message());

        Problem varFirst = problem("[web]\nansible_host=10.0.0.1\n");
        assertTrue(varFirst.message().contains("starts with the host name"), varFirst.message());
        assertTrue(varFirst.fix().contains("[web:vars]"), varFirst.fix());

        Problem badHost = problem("[web]\n'web1;reboot' ansible_host=10.0.0.1\n");
        assertTrue(badHost.message().contains("not a valid name"), badHost.message());

        Problem hostile = problem("[web]\nh1 ansible_host='10.0.0.1; reboot'\n");
        assertEquals(2, hostile.line());
        assertEquals(17, hostile.column());
        assertTrue(hostile.message().contains("is not a hostname or IP address"), hostile.message());

        Problem jinja = problem("[web:vars]\nx=/home/{{ user }}\n[web]\n");
        assertTrue(jinja.message().contains("Jinja"), jinja.message());
    }

    @Test
    void tsyncNtpAndOtherStructuresPointToGroupVars() {
        Problem ntp = problem("[tokyo]\ndb1 ansible_host=10.0.0.3 tsync_ntp={'servers':['ntp.nict.jp']}\n");
        assertEquals(2, ntp.line());
        assertEquals(37, ntp.column());
        assertTrue(ntp.message().contains("tsync_ntp is a mapping, which an INI inventory cannot hold"), ntp.message());
        assertTrue(ntp.fix().contains("group_vars/GROUP.yaml"), ntp.fix());

        Problem ntpVars = problem("[tokyo:vars]\ntsync_ntp=chrony\n[tokyo]\n");
        assertTrue(ntpVars.message().contains("tsync_ntp"), ntpVars.message());

        Problem list = problem("[g:vars]\nservers=[1, 2]\n[g]\n");
        assertTrue(list.message().contains("mapping or list"), list.message());
        assertTrue(list.fix().contains("group_vars/"), list.fix());
    }

    @Test
    void controlCharactersAreRefusedAndAByteOrderMarkIsSkipped() throws Exception {
        Problem p = problem("[web]\nh1 ansible_host=10.0.0.1 motd=hi\u001b[2Jthere\n");
        assertEquals(2, p.line());
        assertEquals(33, p.column());
        assertTrue(p.message().contains("control character U+001B"), p.message());
        assertEquals(List.of("h1"), ini("\uFEFF[web]\nh1 ansible_host=10.0.0.1\r\n").groups().get("web"));
        assertTrue(InventoryLoader.looksIni("\uFEFF[web]\n"));
    }

    @Test
    void everyProblemIsReportedNotJustTheFirst() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ini("""
                [web]
                h1 ansible_host=10.0.0.1 ansible_port=0
                h2 ansible_host=10.0.0.2 ansible_user='$(reboot)'
                [x:oops]
                """));
        assertEquals(3, e.problems().size(), e.getMessage());
    }

    @Test
    void tsyncTimezoneErrorsPointIntoTheIniFile() throws Exception {
        Host h = ini("[g]\nh1 ansible_host=10.0.0.1 tsync_timezone=Asia/Tokio\n").host("h1");
        Host.Var tz = h.vars().get("tsync_timezone");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PlaybookLoader.overrideTimezone(tz.node(), tz.location()));
        Problem p = e.problems().get(0);
        assertEquals("hosts.ini", p.file());
        assertEquals(2, p.line());
        assertEquals(41, p.column());
        assertTrue(p.message().contains("Asia/Tokyo") || p.fix().contains("Asia/Tokyo"), p.render());
    }

    @Test
    void formatIsDetectedByExtensionThenContent() {
        assertTrue(InventoryLoader.isIni(Path.of("inv.ini"), "all:\n  hosts:\n"));
        assertFalse(InventoryLoader.isIni(Path.of("inv.yaml"), "[web]\nh1\n"));
        assertFalse(InventoryLoader.isIni(Path.of("inv.yml"), "h1\n"));
        assertTrue(InventoryLoader.isIni(Path.of("hosts"), "# comment\n\n[web]\nh1\n"));
        assertTrue(InventoryLoader.isIni(Path.of("production"), "h1 ansible_host=10.0.0.1\n"));
        assertTrue(InventoryLoader.isIni(Path.of("hosts"), "web1:2222\n"));
        assertTrue(InventoryLoader.isIni(Path.of("hosts"), "h1\n"));
        assertFalse(InventoryLoader.isIni(Path.of("hosts"), "# comment\nall:\n  hosts:\n"));
        assertFalse(InventoryLoader.isIni(Path.of("hosts"), "---\nall:\n"));
        assertFalse(InventoryLoader.isIni(Path.of("hosts"), "all: { hosts: { h1: } }\n"));
        assertFalse(InventoryLoader.isIni(Path.of("hosts"), "\"all\":\n"));
    }

    @Test
    void iniInAYamlFileGetsAHint(@TempDir Path dir) throws Exception {
        Path scalar = Files.writeString(dir.resolve("one.yaml"), "web1\n");
        Problem s = assertThrows(InvalidInputException.class, () -> InventoryLoader.load(scalar)).problems().get(0);
        assertTrue(s.message().contains("the inventory must be a mapping") && s.fix().contains("INI format"), s.render());
        Path f = Files.writeString(dir.resolve("inventory.yaml"), "[web]\nh1 ansible_host=10.0.0.1\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> InventoryLoader.load(f));
        Problem p = e.problems().get(0);
        assertTrue(p.fix().contains("INI format") && p.fix().contains(".ini"), p.render());
        Path ini = Files.writeString(dir.resolve("inventory.ini"), "[web]\nh1 ansible_host=10.0.0.1\n");
        assertEquals(List.of("h1"), InventoryLoader.load(ini).groups().get("web"));
    }
}
