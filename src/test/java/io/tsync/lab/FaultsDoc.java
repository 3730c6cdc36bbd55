package io.tsync.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

/**
 * Keeps docs/faults.md true: each fault test hands over what it saw, and the row of docs/faults.md
 * with the same id must state the same exit codes. What was seen (with the time taken) is also
 * appended to target/faults-observed.md, from which the table's other columns are written.
 *
 * <p>Table layout (columns in this order): {@code | id | fault | what tsync did | exit | host after | time | next run |};
 * the {@code exit} cell starts with the run's exit code, the {@code next run} cell with {@code exit N}.
 */
public final class FaultsDoc {
    public static final Path DOC = Lab.ROOT.resolve("docs/faults.md");
    private static final Path OBSERVED = Lab.ROOT.resolve("target/faults-observed.md");

    private FaultsDoc() {}

    /** What one fault test saw. */
    public record Observed(String id, int exit, String did, String hostAfter, double seconds, int nextExit, String nextRun) {}

    /** Records the observation and checks that docs/faults.md says the same about this fault. */
    public static void check(Observed o) {
        try {
            Files.createDirectories(OBSERVED.getParent());
            Files.writeString(OBSERVED, String.format("| %s | | %s | %d | %s | %.1f s | exit %d: %s |%n", o.id(), o.did(), o.exit(),
                    o.hostAfter(), o.seconds(), o.nextExit(), o.nextRun()), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            List<String> row = row(o.id());
            assertEquals(String.valueOf(o.exit()), row.get(3).split("\\s+")[0], "docs/faults.md row " + o.id() + ": exit column");
            assertEquals("exit " + o.nextExit(), String.join(" ", Arrays.asList(row.get(6).split("\\s+")).subList(0, 2)).replace(":", ""),
                    "docs/faults.md row " + o.id() + ": next run column");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The cells of the row whose first cell is {@code id} (without the id's backquotes). */
    static List<String> row(String id) throws IOException {
        for (String line : Files.readAllLines(DOC)) {
            if (!line.startsWith("|")) {
                continue;
            }
            String[] cells = line.substring(1).split("(?<!\\\\)\\|", -1);
            List<String> c = Arrays.stream(cells).map(String::strip).toList();
            if (c.size() >= 7 && c.get(0).replace("`", "").equals(id)) {
                return c;
            }
        }
        return fail("docs/faults.md has no row for fault '" + id + "': add it (observed rows: target/faults-observed.md)");
    }
}
