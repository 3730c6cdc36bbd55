package io.tsync.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tsync.load.InvalidInputException;
import io.tsync.load.PlaybookLoader;

/** The playbook loader, from the file's bytes. Seeds: src/test/resources/io/tsync/fuzz/PlaybookFuzzTestInputs/fuzz. */
class PlaybookFuzzTest {
    private static final FuzzFiles FILES = new FuzzFiles("playbook");

    @FuzzTest
    void fuzz(byte[] input) {
        try {
            PlaybookLoader.load(FILES.write(input, "playbook.yaml"));
        } catch (InvalidInputException e) {
            if (e.problems().isEmpty()) {
                throw new AssertionError("invalid input without a problem", e);
            }
        }
    }
}
