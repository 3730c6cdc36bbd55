package io.tsync.cli;

import io.tsync.exec.Executor;
import io.tsync.exec.HostJob;
import io.tsync.exec.HostResult;
import io.tsync.model.Rollout;
import io.tsync.render.Renderer;
import io.tsync.report.ConsoleReporter;
import io.tsync.report.Json;
import io.tsync.report.RunReport;
import io.tsync.report.Timings;
import io.tsync.run.Fleet;
import io.tsync.run.WaveReport;
import io.tsync.run.WaveRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** apply with serial: the rollout's waves run and reported (terminal, -v, --json, --junit); --check only announces them. */
final class WaveApply {
    private WaveApply() {}

    record Output(PrintStream progress, boolean json, Path junit, boolean verbose, int width, String playbook, Timings timings, boolean printTimings) {}

    static ApplyCommand.Ran run(Fleet fleet, Rollout rollout, Duration waveTimeout, Executor executor, Executor.Connector connector, Renderer renderer,
                                ConsoleReporter reporter, List<HostJob> jobs, boolean check, Output o) {
        long started = System.nanoTime();
        WaveRunner runner = new WaveRunner(fleet, rollout, waveTimeout, renderer, connector, o.progress(), o.verbose());
        if (check) {
            List<WaveRunner.Wave> waves = runner.plan(jobs);
            Fleet.Applied applied = fleet.execute(executor, jobs, a -> reporter.recap(a.results()));
            int code = applied.shuttingDown() ? ExitCodes.INTERRUPTED : ExitCodes.ofApply(applied.results(), true);
            report(o, true, applied.results(), waves, code, fleet, started);
            return new ApplyCommand.Ran(code, applied.results());
        }
        WaveRunner.Result r;
        try {
            r = runner.run(executor, jobs, soFar -> {
                reporter.recap(soFar);
                System.out.println("interrupted: hosts stopped after their current step");
                System.out.flush();
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ApplyCommand.Ran(ExitCodes.INTERRUPTED, List.of());
        }
        if (r.shuttingDown() || r.cancelled()) {
            return new ApplyCommand.Ran(ExitCodes.INTERRUPTED, r.results());
        }
        reporter.recap(r.results());
        WaveReport.recap(o.progress(), r.waves(), o.width());
        int code = ExitCodes.ofApply(r.results(), false);
        if (code == ExitCodes.OK && r.notSynced()) {
            code = ExitCodes.NOT_SYNCED;
        }
        report(o, false, r.results(), r.waves(), code, fleet, started);
        return new ApplyCommand.Ran(code, r.results());
    }

    private static void report(Output o, boolean check, List<HostResult> results, List<WaveRunner.Wave> waves, int code, Fleet fleet, long started) {
        if (o.junit() != null) {
            try {
                Files.writeString(o.junit(), WaveReport.junit(RunReport.junit(o.playbook(), check, results, (System.nanoTime() - started) / 1e9), waves));
            } catch (IOException e) {
                System.err.println("tsync: cannot write " + o.junit() + ": " + e.getMessage());
            }
        }
        o.timings().segment("report");
        o.timings().finish();
        Timings.RunTimes times = o.timings().snapshot();
        if (o.json()) {
            Map<String, Object> doc = RunReport.document(o.playbook(), check, results, code, fleet.sliceJson());
            doc.put("waves", WaveReport.json(waves));
            doc.put("timings", Timings.json(times));
            System.out.println(Json.write(doc));
        }
        if (o.printTimings()) {
            (o.json() ? System.err : System.out).print(Timings.summary(times));
        }
    }
}
