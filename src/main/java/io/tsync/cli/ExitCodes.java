package io.tsync.cli;

/** Process exit codes, documented in README "Exit codes". */
public final class ExitCodes {
    private ExitCodes() {}

    public static final int OK = 0;
    public static final int INTERNAL = 1;
    /** --check found changes pending (drift), like terraform plan -detailed-exitcode */
    public static final int CHANGES_PENDING = 2;
    /** invalid playbook, inventory or command line; no host was contacted */
    public static final int INVALID_INPUT = 3;
    /** at least one host failed */
    public static final int HOST_FAILED = 4;
    /** at least one host unreachable (and none failed) */
    public static final int HOST_UNREACHABLE = 5;
    /** hosts reachable and converged, but not all are in sync (status, apply --wait) */
    public static final int NOT_SYNCED = 6;
    /** interrupted (SIGINT/SIGTERM) */
    public static final int INTERRUPTED = 130;
}
