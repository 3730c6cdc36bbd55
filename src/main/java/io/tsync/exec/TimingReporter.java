package io.tsync.exec;

import io.tsync.plan.Step;
import io.tsync.report.Timings;
import io.tsync.transport.ConnectTimes;
import io.tsync.transport.ExecResult;

/** Passes every event on to {@code next} and keeps each host's clock in {@code timings} from the same events. */
public final class TimingReporter implements Reporter {
    private final Reporter next;
    private final Timings timings;

    public TimingReporter(Reporter next, Timings timings) {
        this.next = next;
        this.timings = timings;
    }

    @Override
    public void phase(String host, Timings.Phase phase) {
        timings.host(host).enter(phase);
        next.phase(host, phase);
    }

    @Override
    public void connected(String host, ConnectTimes times) {
        if (times != null) {
            timings.host(host).connected(times);
        }
        next.connected(host, times);
    }

    @Override
    public void stepDone(String host, Step step, boolean ok, String detail) {
        timings.host(host).stepDone(step.title());
        next.stepDone(host, step, ok, detail);
    }

    @Override
    public void hostDone(HostResult result) {
        timings.host(result.host()).leave();
        next.hostDone(result);
    }

    @Override
    public void warning(String host, String text) {
        next.warning(host, text);
    }

    @Override
    public void waiting(String host, String what) {
        next.waiting(host, what);
    }

    @Override
    public void command(String host, String script, ExecResult result) {
        // the facts probe says how long it ran on the host (RemoteElapsed)
        RemoteElapsed.nanos(result.stdout(), Timings.Phase.FACTS.label).ifPresent(n -> timings.host(host).remote(Timings.Phase.FACTS, n));
        next.command(host, script, result);
    }
}
