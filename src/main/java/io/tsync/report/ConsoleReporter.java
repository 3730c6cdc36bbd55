package io.tsync.report;

import io.tsync.exec.HostResult;
import io.tsync.exec.Outcome;
import io.tsync.exec.Reporter;
import io.tsync.plan.Step;
import io.tsync.transport.Bounds;
import io.tsync.transport.ExecResult;
import java.io.PrintStream;
import java.util.List;

/**
 * Human output: one line per step as it finishes, the plan per host in --check, then a recap like
 * Ansible's. Colour only on a terminal and without NO_COLOR.
 */
public final class ConsoleReporter implements Reporter {
    private final PrintStream out;
    private final boolean color;
    private final boolean check;
    private final boolean verbose;
    private final int width;
    private final int total;
    private final boolean progress;
    private final long started = System.nanoTime();
    private int done;
    private boolean progressShown;
    private final Thread ticker;

    /**
     * @param progress keep a "[done/total hosts done, elapsed]" line at the bottom while hosts run,
     *                 redrawn every second and after each host (callers pass
     *                 {@link #progressWanted(int)}: a terminal and more than a handful of hosts)
     */
    public ConsoleReporter(PrintStream out, boolean color, boolean check, boolean verbose, int hostWidth, int totalHosts, boolean progress) {
        this.out = out;
        this.color = color;
        this.check = check;
        this.verbose = verbose;
        this.width = Math.max(4, hostWidth);
        this.total = totalHosts;
        this.progress = progress;
        if (progress) {
            ticker = new Thread(this::tick, "tsync-progress");
            ticker.setDaemon(true);
            ticker.start();
        } else {
            ticker = null;
        }
    }

    private void tick() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                synchronized (this) {
                    if (done >= total) {
                        return;
                    }
                    clearProgress();
                    drawProgress();
                    out.flush();
                }
                Thread.sleep(1000);
            }
        } catch (InterruptedException e) {
            // recap: the run is over
        }
    }

    /** Erases the progress line, so that a normal line can take its place. */
    private void clearProgress() {
        if (progressShown) {
            out.print("\r\u001b[2K");
            progressShown = false;
        }
    }

    private void drawProgress() {
        if (progress && done < total) {
            out.printf("[%d/%d hosts done, %.1f s]", done, total, (System.nanoTime() - started) / 1e9);
            progressShown = true;
        }
    }

    /** Progress only on a terminal (quiet when piped) and for runs over more than five hosts. */
    public static boolean progressWanted(int totalHosts) {
        return System.console() != null && totalHosts > 5;
    }

    @Override
    public synchronized void command(String host, String script, ExecResult r) {
        if (!verbose) {
            return;
        }
        clearProgress();
        out.println(pad(host) + "  $ " + script.strip().replace("\n", "\n" + pad("") + "    "));
        out.println(pad(host) + "  exit " + r.exit());
        List<String> lines = (r.stdout() + r.stderr()).strip().lines().filter(l -> !l.isEmpty()).toList();
        // bounded (Bounds.VERBOSE_*): one base64 line of a config file in the facts is up to a third of a MiB
        for (String l : lines.subList(0, Math.min(lines.size(), Bounds.VERBOSE_LINES))) {
            out.println(pad(host) + "  | " + (l.length() <= Bounds.VERBOSE_LINE_CHARS ? l
                    : l.substring(0, Bounds.VERBOSE_LINE_CHARS) + " ... (" + (l.length() - Bounds.VERBOSE_LINE_CHARS) + " more characters)"));
        }
        if (lines.size() > Bounds.VERBOSE_LINES) {
            out.println(pad(host) + "  | ... (" + (lines.size() - Bounds.VERBOSE_LINES) + " more lines)");
        }
        drawProgress();
    }

    public static boolean colorWanted() {
        return System.console() != null && System.getenv("NO_COLOR") == null && !"dumb".equals(System.getenv("TERM"));
    }

    private String paint(String code, String s) {
        return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }

    private String pad(String s) {
        return String.format("%-" + width + "s", s);
    }

    @Override
    public synchronized void warning(String host, String text) {
        clearProgress();
        out.println(pad(host) + "  " + paint("35", "warning") + "  " + text);
        drawProgress();
        out.flush();
    }

    @Override
    public synchronized void stepDone(String host, Step step, boolean ok, String detail) {
        clearProgress();
        if (ok) {
            out.println(pad(host) + "  " + paint("33", "changed") + "  " + step.title() + "  (" + detail + ")");
        } else {
            out.println(pad(host) + "  " + paint("31;1", "FAILED ") + "  " + step.title());
        }
        drawProgress();
        out.flush();
    }

    @Override
    public synchronized void waiting(String host, String what) {
        clearProgress();
        out.println(pad(host) + "  " + paint("36", "waiting") + "  " + what);
        drawProgress();
        out.flush();
    }

    @Override
    public synchronized void hostDone(HostResult r) {
        done++;
        clearProgress();
        switch (r.outcome()) {
            case UNREACHABLE -> out.println(pad(r.host()) + "  " + paint("35;1", "UNREACHABLE") + "  " + indent(r.message()));
            case FAILED -> out.println(pad(r.host()) + "  " + paint("31;1", "FAILED ") + "  " + indent(r.message()));
            case PENDING -> {
                out.println(pad(r.host()) + "  " + paint("33", "pending") + "  " + r.plan().size() + " change(s) would be made:");
                for (Step s : r.plan()) {
                    out.println(pad("") + "    ~ " + s.title() + "  (" + s.reason() + ")");
                }
            }
            case OK -> {
                if (check || verbose) {
                    out.println(pad(r.host()) + "  " + paint("32", "ok     ") + "  in the desired state");
                } else {
                    out.println(pad(r.host()) + "  " + paint("32", "ok     ") + "  nothing to change");
                }
            }
            case CHANGED -> out.println(pad(r.host()) + "  " + paint("33", "done   ") + "  " + r.changed() + " change(s) applied");
        }
        if (r.diff() != null) {
            for (String line : r.diff().split("\n")) {
                String c = line.startsWith("+") && !line.startsWith("+++") ? "32" : line.startsWith("-") && !line.startsWith("---") ? "31"
                        : line.startsWith("@@") ? "36" : null;
                out.println(c == null ? line : paint(c, line));
            }
        }
        drawProgress();
        out.flush();
    }

    private static String indent(String s) {
        return s == null ? "" : s.replace("\n", "\n      ");
    }

    public synchronized void recap(List<HostResult> results) {
        if (ticker != null) {
            ticker.interrupt();
        }
        clearProgress();
        out.println();
        out.println("RECAP " + (check ? "(check mode: nothing was changed)" : ""));
        for (HostResult r : results) {
            int failed = r.outcome() == Outcome.FAILED ? 1 : 0;
            int unreachable = r.outcome() == Outcome.UNREACHABLE ? 1 : 0;
            String changedLabel = check ? "pending" : "changed";
            int changed = check ? r.plan().size() : r.changed();
            String line = pad(r.host()) + " : ok=" + r.ok() + "  " + changedLabel + "=" + changed + "  failed=" + failed + "  unreachable=" + unreachable;
            String c = failed + unreachable > 0 ? "31" : changed > 0 ? "33" : "32";
            out.println(paint(c, line));
        }
        out.flush();
    }
}
