package io.tsync.status;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Loads the captured command outputs under src/test/resources/status/. */
final class Samples {
    private Samples() {}

    static String read(String name) {
        try (InputStream in = Samples.class.getResourceAsStream("/status/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
