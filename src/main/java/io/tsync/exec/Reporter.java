package io.tsync.exec;

import io.tsync.report.Timings;
import io.tsync.transport.ConnectTimes;
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

    /** The host enters a phase of its run (--timings; {@link Timings.Phase}); ignored by default. */
    default void phase(String host, Timings.Phase phase) {}

    /** The host's connection is open; {@code times} (null when unknown) says how long its parts took. */
    default void connected(String host, ConnectTimes times) {}

    /** Every remote command and its result, for -v; ignored by default. */
    default void command(String host, String script, ExecResult result) {}
}
