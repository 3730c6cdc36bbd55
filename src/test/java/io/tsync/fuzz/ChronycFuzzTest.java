package io.tsync.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tsync.status.ChronyParsers;
import java.nio.charset.StandardCharsets;

/**
 * What {@code chronyc -c sources} / {@code -c tracking} print, as a host may send it: each parser
 * answers or refuses with its IllegalArgumentException (which the status probe reports), nothing else. Seeds: src/test/resources/io/tsync/fuzz/ChronycFuzzTestInputs/fuzz.
 */
class ChronycFuzzTest {
    @FuzzTest
    void fuzz(byte[] input) {
        String s = new String(input, StandardCharsets.UTF_8);
        ChronyParsers.error(s);
        parsed(() -> ChronyParsers.sources(s));
        parsed(() -> ChronyParsers.tracking(s));
    }

    /** A parser's answer to output it does not recognise is an IllegalArgumentException of its own, with a message. */
    private static void parsed(Runnable parser) {
        try {
            parser.run();
        } catch (IllegalArgumentException e) {
            if (e.getClass() != IllegalArgumentException.class || e.getMessage() == null || e.getMessage().isBlank()) {
                throw e;
            }
        }
    }
}
