package io.tsync.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tsync.facts.FactsJson;
import io.tsync.facts.HostFacts;
import io.tsync.load.InventoryLoader;
import io.tsync.load.LoadedInventory;
import io.tsync.load.Slice;
import io.tsync.model.Host;
import io.tsync.platform.PlatformFixturesTest;
import io.tsync.pull.LastRun;
import io.tsync.status.HostStatus;
import io.tsync.status.StatusJson;
import io.tsync.status.StatusProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The JSON documents of status, facts, inventory and report merge, written by the production code
 * from outputs captured on real hosts (src/test/resources/status, facts, platforms) and from the
 * example inventories, validate against docs/schemas/; a renamed documented field does not. apply:
 * io.tsync.exec.ApplyJsonSchemaTest.
 */
class JsonSchemasTest {
    /** Every captured status probe output, parsed as tsync status parses a host's answer, and an unreachable host. */
    static List<HostStatus> probed() throws Exception {
        List<HostStatus> hosts = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/status"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("probe-")).sorted().toList()) {
                hosts.add(StatusProbe.parse(f.getFileName().toString(), Files.readString(f)));
            }
        }
        hosts.add(StatusProbe.unreachable("db2", "ssh: connect to host db2 port 22: Connection timed out"));
        return hosts;
    }

    /** Facts of the lab captures and of the platform fixtures (CentOS 7, Rocky 9, Ubuntu 22.04, 24.04), an unreachable and a failed host. */
    static List<HostFacts> facts() throws Exception {
        List<HostFacts> rows = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/facts"))) {
            for (Path f : files.sorted().toList()) {
                rows.add(HostFacts.parse(f.getFileName().toString(), Files.readString(f)));
            }
        }
        for (String dir : List.of("centos7", "rocky9", "ubuntu2204", "ubuntu2404")) {
            rows.add(HostFacts.of(dir, PlatformFixturesTest.facts(dir)));
        }
        rows.add(HostFacts.unreachable("h-gone", "ssh: connect to host h-gone port 22: No route to host"));
        rows.add(HostFacts.parse("h-garbage", "not the probe's output"));
        return rows;
    }

    static Map<String, Object> slice(int k, int n, int selected) {
        return ReportMergeTest.sliceOf(new Slice(k, n), selected);
    }

    @Test
    void statusDocumentsAreValid() throws Exception {
        List<HostStatus> hosts = probed();
        SchemaCheck.assertValid("status", Json.write(StatusJson.document(hosts, null, null)));
        List<StatusJson.PlaybookMatch> matches = hosts.stream().map(h -> h.host().contains("synced")
                ? new StatusJson.PlaybookMatch(true, "matches") : new StatusJson.PlaybookMatch(false, "drift: restart chrony")).toList();
        SchemaCheck.assertValid("status", Json.write(StatusJson.document(hosts, matches, slice(1, 3, 30))));
        // status --local on a host that pulls: the last pull's record, as tsync pull writes it
        Map<String, Object> local = StatusJson.document(hosts.subList(0, 1), null, null);
        LastRun ok = new LastRun("git://10.213.0.1/fleet", "main", "b167ddbcc7cb0f0e5a4c8f6b1b0a3cb1e2d4f6a8", "local.yaml",
                Instant.parse("2026-11-30T22:37:40Z"), Instant.parse("2026-11-30T22:37:43Z"), "ok", 0, 0, null);
        local.put("lastPull", Json.parse(ok.toJson()));
        SchemaCheck.assertValid("status", Json.write(local));
        LastRun broken = new LastRun("git://10.213.0.1/fleet", "main", null, null, Instant.parse("2026-11-30T22:37:40Z"),
                Instant.parse("2026-11-30T22:37:41Z"), "unreachable", 0, 5, "cannot fetch git://10.213.0.1/fleet");
        local.put("lastPull", Json.parse(broken.toJson()));
        SchemaCheck.assertValid("status", Json.write(local));
        SchemaCheck.assertInvalid("status", Json.write(local).replace("\"commit\":", "\"sha\":"), "commit");
    }

    @Test
    void factsDocumentsAreValid() throws Exception {
        List<HostFacts> rows = facts();
        assertEquals(List.of(HostFacts.State.OK, HostFacts.State.UNREACHABLE, HostFacts.State.FAILED),
                rows.stream().map(HostFacts::state).distinct().toList(), "every state is written");
        SchemaCheck.assertValid("facts", FactsJson.write(rows));
        SchemaCheck.assertValid("facts", FactsJson.write(rows, slice(3, 3, rows.size())));
    }

    @Test
    void inventoryDocumentsAreValid() throws Exception {
        for (Path file : List.of(Path.of("inventory.example.yaml"), Path.of("src/test/resources/inventory/layout/hosts"),
                Path.of("src/test/resources/inventory/same/inventory.ini"))) {
            LoadedInventory li = InventoryLoader.loadDetailed(file);
            List<Host> hosts = li.inventory().hosts();
            SchemaCheck.assertValid("inventory", Json.write(InventoryJson.list(li, hosts)));
            SchemaCheck.assertValid("inventory", Json.write(InventoryJson.list(li, hosts.subList(0, 1))));
            for (Host h : hosts) {
                SchemaCheck.assertValid("inventory", Json.write(InventoryJson.host(h, true)));
            }
        }
    }

    @Test
    void mergedReportsAreValid() throws Exception {
        List<ReportMerge.Input> apply = ReportMergeTest.applySlices(4, false, ReportMergeTest::changed);
        SchemaCheck.assertValid("apply", Json.write(ReportMerge.merge(apply).document()));
        List<HostStatus> hosts = probed();
        List<ReportMerge.Input> status = new ArrayList<>();
        List<ReportMerge.Input> facts = new ArrayList<>();
        List<HostFacts> rows = facts();
        for (int k = 1; k <= 2; k++) {
            Slice s = new Slice(k, 2);
            status.add(ReportMergeTest.json("status-" + k, StatusJson.document(s.select(hosts, HostStatus::host), null, slice(k, 2, hosts.size()))));
            List<HostFacts> part = s.select(rows, HostFacts::host);
            facts.add(new ReportMerge.Input("facts-" + k, Json.parse(FactsJson.write(part, slice(k, 2, rows.size())))));
        }
        SchemaCheck.assertValid("status", Json.write(ReportMerge.merge(status).document()));
        SchemaCheck.assertValid("facts", Json.write(ReportMerge.merge(facts).document()));
    }

    /** The schemas catch a field renamed in the writer: the documented name goes missing and an unknown one appears. */
    @Test
    void aRenamedFieldFailsValidation() throws Exception {
        String status = Json.write(StatusJson.document(probed(), null, null));
        SchemaCheck.assertInvalid("status", status.replace("\"verdict\":", "\"state\":"), "verdict");
        SchemaCheck.assertInvalid("status", status.replace("\"offsetSeconds\":", "\"offset\":"), "offsetSeconds");
        String facts = FactsJson.write(facts());
        SchemaCheck.assertInvalid("facts", facts.replace("\"packageManagers\":", "\"packageManager\":"), "packageManagers");
        LoadedInventory li = InventoryLoader.loadDetailed(Path.of("inventory.example.yaml"));
        String inventory = Json.write(InventoryJson.list(li, li.inventory().hosts()));
        SchemaCheck.assertInvalid("inventory", inventory.replace("\"key_file\":", "\"keyFile\":"), "key_file");
        String merged = Json.write(ReportMerge.merge(ReportMergeTest.applySlices(2, true, ReportMergeTest::changed)).document());
        SchemaCheck.assertValid("apply", merged);
        SchemaCheck.assertInvalid("apply", merged.replace("\"pending\":", "\"drift\":"), "drift");
    }
}
