package io.tsync.cli;

import io.tsync.load.InvalidInputException;
import io.tsync.load.Problem;
import io.tsync.report.Json;
import io.tsync.report.ReportMerge;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tsync report merge}: the --json reports of a run's slices as one fleet report. */
@Command(name = "report", mixinStandardHelpOptions = true, subcommands = ReportCommand.Merge.class,
        description = "Work with --json reports.",
        footerHeading = "%nExample:%n", footer = {"  tsync report merge slice-*.json > fleet.json   # the slices of one run as one report"})
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return ExitCodes.INVALID_INPUT;
    }

    @Command(name = "merge", mixinStandardHelpOptions = true,
            description = {"Combine the --json reports of the slices of one run (--slice K/N) into the report of the whole fleet.",
                "Refuses reports of different commands or runs, a host twice, a slice twice or missing."},
            footerHeading = "%nExamples:%n", footer = {"  tsync report merge apply-1.json apply-2.json apply-3.json apply-4.json > fleet.json",
                "  tsync report merge status-*.json | jq -r '.hosts[] | select(.verdict != \"synced\") | .host'", "",
                "Exit: the code one run over the whole fleet would give (0, 2, 4, 5, 6); 3 when the reports cannot be merged."})
    static final class Merge implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "REPORT", description = "Output of tsync apply, status or facts --json, one per slice")
        List<Path> reports;

        @Override
        public Integer call() {
            try {
                ReportMerge.Merged m = ReportMerge.merge(read(reports));
                System.out.println(Json.write(m.document()));
                return m.exitCode();
            } catch (InvalidInputException e) {
                System.err.println(e.getMessage());
                return ExitCodes.INVALID_INPUT;
            }
        }

        static List<ReportMerge.Input> read(List<Path> files) throws InvalidInputException {
            List<ReportMerge.Input> out = new ArrayList<>();
            List<Problem> problems = new ArrayList<>();
            for (Path f : files) {
                try {
                    out.add(new ReportMerge.Input(f.toString(), Json.parse(Files.readString(f, StandardCharsets.UTF_8))));
                } catch (IOException e) {
                    problems.add(new Problem(f.toString(), 0, 0, "cannot read: " + e.getMessage(), "name a file written by tsync ... --json > FILE"));
                } catch (IllegalArgumentException e) {
                    problems.add(new Problem(f.toString(), 0, 0, "is not JSON: " + e.getMessage(),
                            "keep stderr out of the report: tsync ... --json > FILE (progress goes to stderr)"));
                }
            }
            if (!problems.isEmpty()) {
                throw new InvalidInputException(problems);
            }
            return out;
        }
    }
}
