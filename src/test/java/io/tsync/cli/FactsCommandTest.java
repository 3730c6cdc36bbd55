package io.tsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.facts.Facts;
import io.tsync.facts.FactsJson;
import io.tsync.facts.FactsProbe;
import io.tsync.facts.FactsTable;
import io.tsync.facts.HostFacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rendering of {@code tsync facts} (table and {@code tsync.facts/v1} JSON) from facts parsed by
 * {@link FactsProbe#parse} out of outputs captured on real lab hosts. No SSH.
 */
class FactsCommandTest {
    static final String CHRONY_CONF_SHA = "333d2367e490d76d0e4d6ec40625cd947550ca8fe8ac1cbe184e5c1f6700f934";
    static final String NTPSEC_CONF_SHA = "824a1ec135ecc2b0526fe9474d4594c637cb8dd1e2b38fd0349b5ff3d1dc6784";

    static String raw(String name) throws Exception {
        return Files.readString(Path.of("src/test/resources/facts", name));
    }

    static HostFacts parsed(String host, String name) throws Exception {
        return HostFacts.of(host, FactsProbe.parse(raw(name)));
    }

    @Test
    void pristineHost() throws Exception {
        HostFacts h = parsed("h1", "debian12-pristine.txt");
        assertEquals(HostFacts.State.OK, h.state());
        assertEquals("debian12", h.platform(), "the row of io.tsync.platform.Platforms");
        assertTrue(h.files().isEmpty());
        assertTrue(HostFacts.loadedUnits(h.facts()).stream().noneMatch(u -> u.id().startsWith("chrony")));
        String table = FactsTable.render(List.of(h));
        String[] lines = table.split("\n");
        assertEquals(2, lines.length, table);
        assertTrue(lines[0].startsWith("HOST  STATE  OS "), lines[0]);
        assertTrue(lines[1].matches("h1 +ok +debian 12 +debian12 +systemd-nspawn +Etc/UTC +apt-get +- .*"), lines[1]);
    }

    @Test
    void convergedChronyHostTableShowsVersionsUnitsAndFileHashesNotContent() throws Exception {
        HostFacts h = parsed("h2", "debian12-chrony-converged.txt");
        assertEquals(new HostFacts.FileInfo(408, CHRONY_CONF_SHA), h.files().get("/etc/chrony/chrony.conf"));
        List<Facts.Unit> units = HostFacts.loadedUnits(h.facts());
        assertEquals(1, units.stream().filter(u -> u.id().equals("chrony.service")).count(), "chronyd alias folded into chrony");
        String row = FactsTable.render(List.of(h)).split("\n")[1];
        assertTrue(row.contains("Asia/Seoul"), row);
        assertTrue(row.contains("chrony 4.3-2+deb12u3"), row);
        assertTrue(row.contains("chrony active/enabled"), row);
        assertTrue(row.contains("/etc/chrony/chrony.conf 408B " + CHRONY_CONF_SHA.substring(0, 12)), row);
        assertFalse(row.contains("pool.ntp.org"), "config content is never shown");
    }

    @Test
    void exactHashesFromRawOutputEqualThoseFromParsedText() throws Exception {
        HostFacts fromRaw = HostFacts.parse("h3", raw("debian12-ntpsec.txt"));
        HostFacts fromParsed = parsed("h3", "debian12-ntpsec.txt");
        assertEquals(fromParsed.files(), fromRaw.files());
        assertEquals(new HostFacts.FileInfo(383, NTPSEC_CONF_SHA), fromRaw.files().get("/etc/ntpsec/ntp.conf"));
        assertEquals(List.of("/etc/chrony/chrony.conf", "/etc/ntpsec/ntp.conf"), List.copyOf(fromRaw.files().keySet()),
                "in the order of FactsProbe.FILES");
    }

    @Test
    void unreachableHostsAreRowsAndDoNotStopTheTable() throws Exception {
        List<HostFacts> rows = List.of(parsed("h1", "debian12-chrony-converged.txt"),
                HostFacts.unreachable("h2", "connect timed out\nafter 10 s"), parsed("h3", "debian12-ntpsec.txt"));
        String[] lines = FactsTable.render(rows).split("\n");
        assertEquals(4, lines.length);
        assertTrue(lines[2].matches("h2 +unreachable +- +- .* connect timed out \\| after 10 s"), lines[2]);
        assertTrue(lines[3].contains("ntpsec 1.2.2+dfsg1-1+deb12u1"), lines[3]);
        assertFalse(lines[3].contains("chrony 4.3"), "chrony removed with its config left ('rc') is not installed");
        int width = lines[0].indexOf("STATE");
        for (String l : lines) {
            assertEquals(' ', l.charAt(width - 1), "columns aligned: " + l);
        }
        assertEquals(ExitCodes.HOST_UNREACHABLE, ExitCodes.ofFacts(rows));
        assertEquals(ExitCodes.OK, ExitCodes.ofFacts(List.of(rows.get(0), rows.get(2))));
        assertEquals(ExitCodes.HOST_FAILED, ExitCodes.ofFacts(List.of(rows.get(1), HostFacts.parse("h4", "garbage"))));
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonDocumentFollowsSchemaV1() throws Exception {
        List<HostFacts> rows = List.of(parsed("h1", "debian12-ntpsec.txt"), HostFacts.unreachable("h2", "refused"));
        Map<String, Object> doc = FactsJson.document(rows);
        assertEquals(List.of("schema", "hosts"), List.copyOf(doc.keySet()));
        assertEquals("tsync.facts/v1", doc.get("schema"));
        List<Map<String, Object>> hosts = (List<Map<String, Object>>) doc.get("hosts");
        List<String> keys = List.of("host", "state", "error", "os", "platform", "virtualization", "timezone", "packageManagers",
                "packages", "units", "files");
        assertEquals(keys, List.copyOf(hosts.get(0).keySet()));
        assertEquals(keys, List.copyOf(hosts.get(1).keySet()), "every key always present");

        Map<String, Object> h1 = hosts.get(0);
        assertEquals("ok", h1.get("state"));
        assertNull(h1.get("error"));
        assertEquals(Map.of("id", "debian", "idLike", "", "versionId", "12", "prettyName", "Debian GNU/Linux 12 (bookworm)"), h1.get("os"));
        assertEquals("debian12", h1.get("platform"));
        assertEquals("systemd-nspawn", h1.get("virtualization"));
        assertEquals(List.of("apt-get"), h1.get("packageManagers"));
        Map<String, Object> pkgs = (Map<String, Object>) h1.get("packages");
        assertEquals(List.of("chrony", "ntp", "ntpsec", "systemd-timesyncd"), List.copyOf(pkgs.keySet()));
        assertNull(pkgs.get("chrony"));
        assertEquals("1.2.2+dfsg1-1+deb12u1", pkgs.get("ntpsec"));
        List<Map<String, Object>> units = (List<Map<String, Object>>) h1.get("units");
        assertEquals(FactsProbe.UNITS, units.stream().map(u -> u.get("unit")).toList());
        Map<String, Object> ntp = units.get(FactsProbe.UNITS.indexOf("ntp.service"));
        assertEquals("ntpsec.service", ntp.get("id"));
        assertEquals(true, ntp.get("active"));
        assertEquals(true, ntp.get("enabled"));
        List<Map<String, Object>> files = (List<Map<String, Object>>) h1.get("files");
        assertEquals(FactsProbe.FILES, files.stream().map(f -> f.get("path")).toList());
        Map<String, Object> ntpConf = files.get(FactsProbe.FILES.indexOf("/etc/ntpsec/ntp.conf"));
        assertEquals(true, ntpConf.get("exists"));
        assertEquals(383L, ntpConf.get("size"));
        assertEquals(NTPSEC_CONF_SHA, ntpConf.get("sha256"));
        Map<String, Object> absent = files.get(FactsProbe.FILES.indexOf("/etc/ntp.conf"));
        assertEquals(false, absent.get("exists"));
        assertNull(absent.get("sha256"));

        Map<String, Object> h2 = hosts.get(1);
        assertEquals("unreachable", h2.get("state"));
        assertEquals("refused", h2.get("error"));
        assertNull(h2.get("os"));

        String text = FactsJson.write(rows);
        assertTrue(text.startsWith("{\n  \"schema\": \"tsync.facts/v1\",\n  \"hosts\": ["), text);
        assertTrue(text.endsWith("}\n"));
        assertFalse(text.contains("pool.ntp.org"), "config content is never in the JSON");
    }

    @Test
    void invalidInventoryExitsThreeWithoutContactingHosts() {
        assertEquals(ExitCodes.INVALID_INPUT, Main.run("facts", "-i", "src/test/resources/facts/does-not-exist.yaml"));
    }
}
