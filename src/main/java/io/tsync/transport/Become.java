package io.tsync.transport;

import java.nio.charset.StandardCharsets;

/**
 * Privilege escalation, the same on every transport: {@code sudo -n} without a password, or
 * {@code sudo -k -S} with the password written first on stdin (never on a command line).
 */
final class Become {
    private Become() {}

    /** A command and its stdin, ready to run as root. */
    record Wrapped(String command, byte[] stdin) {}

    static Wrapped wrap(String command, byte[] stdin, String password) {
        if (password == null) {
            return new Wrapped("sudo -n -- sh -c " + Shell.quote(command), stdin);
        }
        byte[] pw = (password + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] input = new byte[pw.length + stdin.length];
        System.arraycopy(pw, 0, input, 0, pw.length);
        System.arraycopy(stdin, 0, input, pw.length, stdin.length);
        return new Wrapped("sudo -k -S -p '' -- sh -c " + Shell.quote(command), input);
    }

    /** Why {@code sudo true} failed on a host, and the fix: a wrong password must be found before any step runs. */
    static String failure(String host, String password, String errorText) {
        return "sudo failed on " + host + ": "
                + (password == null ? "a password is required; set TSYNC_BECOME_PASSWORD or use --ask-become-pass"
                : "the become password was rejected") + " (" + firstLine(errorText) + ")";
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.strip().lines().findFirst().orElse("");
    }
}
