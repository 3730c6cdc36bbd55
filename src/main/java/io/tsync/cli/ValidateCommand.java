package io.tsync.cli;

import io.tsync.exec.HostJob;
import io.tsync.load.InvalidInputException;
import io.tsync.load.Problem;
import io.tsync.run.Prepared;
import io.tsync.run.Targets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check a playbook and inventory without connecting to any host (for pre-commit and pull-request CI).",
                "Needs no secret: private key and known_hosts files the inventory names may be missing (a note says so)."},
        footerHeading = "%nExample:%n", footer = {"  tsync validate -i inventory.yaml playbooks/kr.yaml"})
final class ValidateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PLAYBOOK")
    Path playbook;

    @Mixin
    FleetOptions fleet;

    @Option(names = "--templates", paramLabel = "DIR")
    Path templates;

    @Override
    public Integer call() {
        try {
            Prepared prepared = Targets.prepare(fleet.get(), playbook, templates);
            ApplyCommand.printWarnings(prepared.warnings());
            List<HostJob> jobs = prepared.jobs();
            // a pull-request check has no secrets: a key or known_hosts file missing here is for apply to refuse
            for (Problem p : fleet.get().missingConnectionFiles(prepared.inventory(), jobs.stream().map(HostJob::host).toList())) {
                System.err.println("note: " + new Problem(p.file(), p.line(), p.column(), p.message(), null).render());
                System.err.println("  validate does not need this file; apply, status and facts refuse to start without it");
            }
            System.out.println(playbook + ": valid; " + jobs.size() + " host(s) selected");
            return ExitCodes.OK;
        } catch (InvalidInputException e) {
            System.err.println(e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
    }
}
