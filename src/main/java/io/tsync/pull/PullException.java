package io.tsync.pull;

/** A pull that could not apply its playbook: why, and which of apply's exit codes that is. */
public class PullException extends Exception {
    /**
     * Mapped to apply's exit codes by the command: invalid input 3, failed 4, unreachable 5, and
     * UNVERIFIED (--verify-commit refused the branch's head) 3 with outcome "unverified".
     */
    public enum Kind { INVALID, FAILED, UNREACHABLE, UNVERIFIED }

    private final Kind kind;

    public PullException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
