package io.tsync.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tsync.status.NtpqParsers;
import java.nio.charset.StandardCharsets;

/**
 * What {@code ntpq -pn} and {@code ntpq -c rv} print (ntp 4.2.8, NTPsec), as a host may send it: each
 * parser answers or refuses with its IllegalArgumentException (which the status probe reports), nothing else. Seeds: src/test/resources/io/tsync/fuzz/NtpqFuzzTestInputs/fuzz.
 */
class NtpqFuzzTest {
    @FuzzTest
    void fuzz(byte[] input) {
        String s = new String(input, StandardCharsets.UTF_8);
        NtpqParsers.error(s);
        parsed(() -> NtpqParsers.peers(s));
        parsed(() -> NtpqParsers.systemVars(s));
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
