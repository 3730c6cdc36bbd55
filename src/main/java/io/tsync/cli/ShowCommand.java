package io.tsync.cli;

import io.tsync.load.InvalidInputException;
import io.tsync.load.SavedPlanCodec;
import io.tsync.plan.SavedPlan;
import io.tsync.report.ConsoleReporter;
import io.tsync.report.Json;
import io.tsync.report.PlanPrinter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Print a plan saved by 'apply --check --out' as the check printed it; contacts no host.",
        footerHeading = "%nExamples:%n", footer = {"  tsync apply -i inventory.yaml playbooks/kr.yaml --check --diff --out plan.json",
                "  tsync show plan.json", "  tsync show plan.json --json", "  tsync apply plan.json"})
final class ShowCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PLAN", description = "A plan file (JSON, schema tsync.plan/v1)")
    Path plan;

    @Option(names = "--json", description = "Print it as apply --check --json did (schema tsync.apply/v1)")
    boolean json;

    @Override
    public Integer call() {
        SavedPlan p;
        try {
            p = SavedPlanCodec.read(plan);
        } catch (InvalidInputException e) {
            System.err.println(e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        if (json) {
            System.out.println(Json.write(PlanPrinter.json(p)));
        } else {
            System.out.print(PlanPrinter.text(p, ConsoleReporter.colorWanted()));
            System.out.println("plan made " + p.created() + " by tsync " + p.tsyncVersion() + " from " + p.playbook().path()
                    + (p.inventory().path() == null ? " (local mode)" : " and " + p.inventory().path()) + "; apply it with: tsync apply " + plan);
        }
        return ExitCodes.OK;
    }
}
