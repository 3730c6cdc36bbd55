package io.tsync.model;

/** Where a value came from: file, line and column (1-based). */
public record Location(String file, int line, int column) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
