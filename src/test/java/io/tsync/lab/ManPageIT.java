package io.tsync.lab;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The man pages the package phase generates (target/man): one per command, troff, with the
 * options. Runs after packaging (failsafe, with the lab tests), not when the build skipped them.
 */
@Tag("lab")
class ManPageIT {
    @Test
    void oneTroffPagePerCommandWithItsOptions() throws Exception {
        assumeFalse(Boolean.getBoolean("man.skip"), "built with -Dman.skip");
        Path dir = Lab.ROOT.resolve("target/man");
        for (String page : List.of("tsync", "tsync-apply", "tsync-status", "tsync-validate", "tsync-facts", "tsync-inventory", "tsync-timezones")) {
            Path p = dir.resolve(page + ".1");
            assertTrue(Files.isRegularFile(p), "missing " + p);
            String troff = Files.readString(p);
            assertTrue(troff.contains(".TH \"" + page.toUpperCase(java.util.Locale.ROOT).replace("-", "\\-") + "\" \"1\""), page + ": no troff title:\n" + troff.lines().limit(20).toList());
        }
        String apply = Files.readString(dir.resolve("tsync-apply.1"));
        for (String option : List.of("\\-\\-check", "\\-\\-diff", "\\-\\-wait", "\\-\\-junit", "\\-\\-limit")) {
            assertTrue(apply.contains(option), "tsync-apply.1 documents " + option);
        }
        assertTrue(apply.contains(".SH \"EXAMPLES:\"") && apply.contains("tsync apply \\-i inventory.yaml playbooks/kr.yaml \\-\\-check \\-\\-diff"),
                "tsync-apply.1 has the examples of --help:\n" + apply);
    }
}
