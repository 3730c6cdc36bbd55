package io.tsync.load;

/**
 * One thing wrong with an input file, located precisely, with the fix spelled out.
 * Rendered as {@code file:line:column: message (fix: ...)}, the format editors and CI annotate.
 */
public record Problem(String file, int line, int column, String message, String fix) {
    public String render() {
        return where() + ": " + message + (fix == null || fix.isBlank() ? "" : "\n  fix: " + fix);
    }

    /** The same, as a warning: {@code file:line:column: warning: message (fix: ...)}. */
    public String renderWarning() {
        return where() + ": warning: " + message + (fix == null || fix.isBlank() ? "" : "\n  fix: " + fix);
    }

    private String where() {
        return line > 0 ? file + ":" + line + ":" + column : file;
    }
}
