package io.tsync.exec;

/** How a host ended a run. */
public enum Outcome {
    /** already in the desired state */
    OK,
    /** steps were applied and all succeeded */
    CHANGED,
    /** --check: steps would be applied */
    PENDING,
    /** a step failed, or the host cannot be managed (unknown platform, refused plan) */
    FAILED,
    /** no SSH connection (network, authentication, host key), or it was lost mid-run (steps applied before stay counted) */
    UNREACHABLE
}
