package io.tsync.exec;

import io.tsync.plan.Step;
import io.tsync.transport.ExecResult;

/** Receives progress from hosts running in parallel; implementations must be thread-safe. */
public interface Reporter {
    void stepDone(String host, Step step, boolean ok, String detail);

    void hostDone(HostResult result);

    /** Something the operator should know that is no step (a step skipped, a setting overridden). */
    default void warning(String host, String text) {}

    /** The host waits for something another process holds (a package manager's lock, another run's run lock). */
    default void waiting(String host, String what) {}

    /** Every remote command and its result, for -v; ignored by default. */
    default void command(String host, String script, ExecResult result) {}
}
