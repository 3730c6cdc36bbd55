package io.tsync.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Key material. Its {@link #toString()} never shows the value, so a record holding it (a step, a
 * spec, an exception message built with string concatenation) cannot leak it into output; the value
 * is read only where it is written to a host ({@link #reveal()}).
 */
public final class Secret {
    private final String value;

    public Secret(String value) {
        this.value = value;
    }

    /** The value itself: only for writing the key file's bytes. */
    public String reveal() {
        return value;
    }

    /** SHA-256 of the value (hex), to compare with what a host holds without reading the key back. */
    public String sha256() {
        return Sha256.hex(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8),
                s.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sha256().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "<secret>";
    }
}
