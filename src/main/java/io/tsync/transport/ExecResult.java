package io.tsync.transport;

/** Exit status and output of one remote command. */
public record ExecResult(int exit, String stdout, String stderr) {
    public boolean ok() {
        return exit == 0;
    }

    /** stderr if there is any, else stdout: what to show when the command failed. */
    public String errorText() {
        String e = stderr.strip();
        return e.isEmpty() ? stdout.strip() : e;
    }
}
