package io.tsync.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 as lowercase hex: what tsync compares a host's files, keys and facts by. */
public final class Sha256 {
    private Sha256() {}

    public static String hex(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** Of {@code s}'s UTF-8 bytes. */
    public static String hex(String s) {
        return hex(s.getBytes(StandardCharsets.UTF_8));
    }
}
