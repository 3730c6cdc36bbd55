package io.tsync.cli;

import io.tsync.exec.HostResult;
import io.tsync.exec.Outcome;
import io.tsync.exec.StatusGatherer;
import io.tsync.facts.HostFacts;
import io.tsync.status.Verdict;
import java.util.List;

/** Process exit codes, documented in README "Exit codes", and how each command's results map to them. */
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

    /** apply: a failed host outranks an unreachable one; with --check, pending changes are drift. */
    static int ofApply(List<HostResult> results, boolean check) {
        if (results.stream().anyMatch(r -> r.outcome() == Outcome.FAILED)) {
            return HOST_FAILED;
        }
        if (results.stream().anyMatch(r -> r.outcome() == Outcome.UNREACHABLE)) {
            return HOST_UNREACHABLE;
        }
        if (check && results.stream().anyMatch(r -> r.outcome() == Outcome.PENDING)) {
            return CHANGES_PENDING;
        }
        return OK;
    }

    /** status: unreachable, then not in sync, then (with a playbook) changes pending. */
    static int ofStatus(List<StatusGatherer.Row> rows) {
        if (rows.stream().anyMatch(r -> r.status().verdict() == Verdict.UNREACHABLE)) {
            return HOST_UNREACHABLE;
        }
        if (rows.stream().anyMatch(r -> !r.synced())) {
            return NOT_SYNCED;
        }
        if (rows.stream().anyMatch(r -> r.pendingChanges() > 0)) {
            return CHANGES_PENDING;
        }
        return OK;
    }

    /** facts: a host whose facts cannot be parsed is failed; one that cannot be reached is unreachable. */
    static int ofFacts(List<HostFacts> rows) {
        if (rows.stream().anyMatch(r -> r.state() == HostFacts.State.FAILED)) {
            return HOST_FAILED;
        }
        if (rows.stream().anyMatch(r -> r.state() == HostFacts.State.UNREACHABLE)) {
            return HOST_UNREACHABLE;
        }
        return OK;
    }
}
