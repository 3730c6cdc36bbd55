package io.tsync.cli;

import static io.tsync.cli.InProcess.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.cli.InProcess.Run;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.TestAbortedException;
import picocli.CommandLine;

/**
 * Every {@code --help} fits one screen (at most {@value #MAX_LINES} lines of at most
 * {@value #MAX_COLUMNS} columns) and shows an example. Runs the real CLI in-process.
 *
 * <p>{@link #PENDING}: commands whose help is known to be too long; they still run, and are
 * reported as skipped (not failed) while they do not pass, like {@code pending:} in BadInputTest.
 * Delete the entry once the command's help fits.
 */
class HelpTest {
    static final int MAX_LINES = 40;
    static final int MAX_COLUMNS = 100;

    /**
     * Command name to why its help is still too long, at picocli's default 80-column width: the
     * shared FleetOptions plus the command's own options, descriptions wrapped onto second lines.
     * Fix in the command (shorter descriptions, footer lines under 80 columns) or for all commands
     * in Main ({@code setUsageHelpWidth(100)} brings both under 40 lines).
     */
    static final Map<String, String> PENDING = Map.of();

    /**
     * The top level, then every subcommand registered in Main (new ones are picked up
     * automatically), except {@code help} and the hidden {@code generate-completion}.
     */
    static Stream<String> commands() {
        List<String> names = new ArrayList<>();
        names.add("");
        new CommandLine(new Main()).getSubcommands().forEach((name, cl) -> {
            if (!name.equals("generate-completion") && !cl.getCommandSpec().helpCommand()) {
                names.add(name);
            }
        });
        return names.stream();
    }


    @ParameterizedTest(name = "tsync {0} --help")
    @MethodSource("commands")
    void helpFitsOneScreenAndShowsAnExample(String command) {
        Run r = command.isEmpty() ? run("--help") : run(command, "--help");
        String label = "tsync " + (command.isEmpty() ? "" : command + " ") + "--help";
        assertEquals(0, r.exit(), label + " exit code; stderr: " + r.err());
        List<String> lines = r.out().lines().toList();
        StringBuilder problems = new StringBuilder();
        if (lines.size() > MAX_LINES) {
            problems.append(String.format("%d lines, %d over the %d-line limit%n", lines.size(), lines.size() - MAX_LINES, MAX_LINES));
        }
        for (int i = 0; i < lines.size(); i++) {
            int cols = lines.get(i).codePointCount(0, lines.get(i).length());
            if (cols > MAX_COLUMNS) {
                problems.append(String.format("line %d has %d columns (limit %d): %s%n", i + 1, cols, MAX_COLUMNS, lines.get(i)));
            }
        }
        if (lines.stream().noneMatch(l -> l.strip().startsWith("Example"))) {
            problems.append("no 'Example' / 'Examples:' section\n");
        }
        if (!problems.isEmpty() && PENDING.containsKey(command)) {
            throw new TestAbortedException("known, pending (" + PENDING.get(command) + "):\n" + label + ":\n" + problems);
        }
        assertTrue(problems.isEmpty(), label + ":\n" + problems + "---\n" + r.out());
    }

    @Test
    void everyDocumentedCommandIsChecked() {
        List<String> names = commands().toList();
        for (String c : List.of("apply", "status", "validate", "timezones", "facts")) {
            assertTrue(names.contains(c), c + " missing from " + names);
        }
    }

    @ParameterizedTest(name = "tsync help {0}")
    @MethodSource("commands")
    void helpSubcommandMatchesDashDashHelp(String command) {
        if (command.isEmpty()) {
            return;
        }
        assertEquals(run(command, "--help").out(), run("help", command).out());
    }

    @Test
    void generateCompletionIsHiddenAndPrintsABashZshScript() {
        assertFalse(run("--help").out().contains("generate-completion"), "hidden from tsync --help");
        Run r = run("generate-completion");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("#!/usr/bin/env bash"), r.out().lines().findFirst().orElse(""));
        assertTrue(r.out().contains("complete -F _complete_tsync"), "registers the completion function");
        for (String sub : List.of("apply", "status", "validate", "timezones", "facts")) {
            assertTrue(r.out().contains(sub), "completes " + sub);
        }
        assertTrue(r.out().contains("--known-hosts"), "completes options of subcommands");
    }
}
