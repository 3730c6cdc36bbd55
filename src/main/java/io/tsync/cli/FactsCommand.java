package io.tsync.cli;

import io.tsync.exec.Executor;
import io.tsync.exec.TimedConnector;
import io.tsync.report.Json;
import io.tsync.report.Timings;
import io.tsync.facts.FactsJson;
import io.tsync.facts.FactsProbe;
import io.tsync.facts.FactsTable;
import io.tsync.facts.HostFacts;
import io.tsync.load.InvalidInputException;
import io.tsync.model.Host;
import io.tsync.model.Inventory;
import io.tsync.run.Fleet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tsync facts}: what tsync sees on each host, read-only. One connection and ONE exec per host
 * (the same {@link FactsProbe} script apply uses, run without sudo), hosts in parallel bounded by
 * {@code --forks}. Config files are summarised by size and SHA-256, never printed.
 */
@Command(name = "facts", mixinStandardHelpOptions = true,
        description = "What tsync sees on each host: OS, platform, timezone, packages, units, files.",
        footerHeading = "%nExamples:%n", footer = {"  tsync facts -i inventory.yaml",
                "  tsync facts -i inventory.yaml --limit web1 --json | jq '.hosts[0].packages'", "",
                "Exit: 0 all hosts answered, 3 invalid input, 4 probe failed, 5 unreachable."})
final class FactsCommand implements Callable<Integer> {
    @Mixin
    FleetOptions fleet;

    @Option(names = "--json", description = "JSON output, schema " + FactsJson.SCHEMA + " (docs/cli.md)")
    boolean json;

    @Override
    public Integer call() {
        Fleet run = fleet.get();
        Timings timings = Timings.sinceJvmStart(run.forks());
        timings.segment("load");
        List<Host> hosts;
        Executor.Connector connector;
        try {
            Inventory inv = run.loadInventory();
            hosts = run.limit(inv, inv.hosts());
            connector = new TimedConnector(run.connector(inv, hosts), timings, Timings.Phase.FACTS);
        } catch (InvalidInputException e) {
            System.err.println(e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        timings.segment("hosts");
        List<HostFacts> rows = run.facts(hosts, connector);
        timings.segment("report");
        timings.finish();
        if (json) {
            Map<String, Object> doc = FactsJson.document(rows);
            doc.put("slice", run.sliceJson());
            doc.put("timings", Timings.json(timings.snapshot()));
            System.out.print(Json.write(doc, true) + "\n");
        } else {
            System.out.print(FactsTable.render(rows));
        }
        if (fleet.timings) {
            (json ? System.err : System.out).print(Timings.summary(timings.snapshot()));
        }
        System.out.flush();
        return ExitCodes.ofFacts(rows);
    }
}
