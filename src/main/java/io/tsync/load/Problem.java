package io.tsync.load;

/**
 * One thing wrong with an input file, located precisely, with the fix spelled out.
 * Rendered as {@code file:line:column: message (fix: ...)}, the format editors and CI annotate.
 */
public record Problem(String file, int line, int column, String message, String fix) {
    public String render() {
        String where = line > 0 ? file + ":" + line + ":" + column : file;
        return where + ": " + message + (fix == null || fix.isBlank() ? "" : "\n  fix: " + fix);
    }
}
