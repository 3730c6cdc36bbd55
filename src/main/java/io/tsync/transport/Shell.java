package io.tsync.transport;

/** POSIX shell quoting. Every value that reaches a remote shell goes through here or on stdin. */
public final class Shell {
    private Shell() {}

    /** Single-quotes a value: {@code it's} becomes {@code 'it'\''s'}. Safe for any byte sequence but NUL. */
    public static String quote(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("NUL byte in shell value");
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
