package io.tsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tsync.cli.InProcess.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code tsync inventory} prints, byte for byte, what the jar printed when {@code out/} was recorded
 * (src/test/resources/inventory/golden/record): every inventory in the test resources (valid ones and
 * ones refused with their error) with {@code --json}, {@code --graph}, the text view and host patterns.
 * It pins the loader's behaviour (formats, precedence, group graph, patterns) while its parts move.
 */
class InventoryJsonGoldenTest {
    static final Path GOLDEN = Path.of("src/test/resources/inventory/golden");

    @TestFactory
    Stream<DynamicTest> everyInventoryPrintsWhatWasRecorded() throws IOException {
        List<String> inventories = lines(GOLDEN.resolve("inventories"));
        List<String> variants = lines(GOLDEN.resolve("variants"));
        assertTrue(inventories.size() >= 60, "inventories: " + inventories.size());
        String root = Path.of("").toAbsolutePath().toString();
        return inventories.stream().map(spec -> DynamicTest.dynamicTest(spec, () -> {
            Path file = GOLDEN.resolve("out").resolve(slug(spec));
            String expected = Files.readString(file, StandardCharsets.UTF_8);
            String recordedAs = expected.lines().findFirst().orElse("");
            // a host without ansible_user logs in as the user running tsync (and ~ is their home)
            assumeTrue(recordedAs.equals("# recorded as user " + System.getProperty("user.name")),
                    file + " was " + recordedAs.substring(2) + ", not " + System.getProperty("user.name"));
            StringBuilder actual = new StringBuilder(recordedAs).append('\n');
            for (String variant : variants) {
                List<String> args = new ArrayList<>(List.of(variant.split(" ")));
                args.addAll(List.of(spec.split(" ")));
                Run r = InProcess.run(args.toArray(String[]::new));
                actual.append("$ tsync ").append(variant).append(' ').append(spec).append('\n')
                        .append("--- exit ").append(r.exit()).append('\n')
                        .append("--- stdout\n").append(r.out().replace(root, "$ROOT"))
                        .append("--- stderr\n").append(r.err().replace(root, "$ROOT"));
            }
            assertEquals(expected, actual.toString(), file + " (after a deliberate change: bash " + GOLDEN.resolve("record") + ")");
        }));
    }

    /** The golden file of one line of 'inventories', named as the record script names it. */
    static String slug(String spec) {
        return spec.replace("src/test/resources/", "").replaceFirst("^-i ", "").replaceAll("[^A-Za-z0-9._-]+", "_") + ".txt";
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }
}
