package io.tsync.pull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes the pull's service and timer where they differ from what is asked, reloads systemd when a
 * file changed, and enables and starts the timer. Asked twice the same, it changes nothing the
 * second time and says so.
 */
public final class TimerInstaller {
    private TimerInstaller() {}

    /** What was done, one line each; {@code changed} false when everything already was as asked. */
    public record Result(boolean changed, List<String> lines) {}

    public static Result install(Path dir, String service, String timer) throws PullException {
        if (!Files.isDirectory(Path.of("/run/systemd/system"))) {
            throw new PullException(PullException.Kind.FAILED, "this machine does not run systemd, so there is no timer to install"
                    + "\n  fix: run tsync pull from cron instead (docs/pull.md)");
        }
        List<String> lines = new ArrayList<>();
        boolean written;
        try {
            written = write(dir.resolve(TimerUnits.SERVICE), service, lines) | write(dir.resolve(TimerUnits.TIMER), timer, lines);
        } catch (IOException e) {
            throw new PullException(PullException.Kind.FAILED, "cannot write the units into " + dir + ": " + e.getMessage()
                    + "\n  fix: run tsync pull --install-timer as root");
        }
        if (written) {
            systemctl(lines, "daemon-reload");
        }
        boolean enabled = quiet("is-enabled", TimerUnits.TIMER);
        boolean active = quiet("is-active", TimerUnits.TIMER);
        if (!enabled) {
            systemctl(lines, "enable", TimerUnits.TIMER);
        }
        if (!active) {
            systemctl(lines, "start", TimerUnits.TIMER);
        } else if (written) {
            // a changed interval or delay counts from the timer's restart
            systemctl(lines, "restart", TimerUnits.TIMER);
        }
        boolean changed = written || !enabled || !active;
        if (!changed) {
            lines.add(TimerUnits.SERVICE + " and " + TimerUnits.TIMER + " are already installed as asked, the timer enabled and active: nothing changed");
        }
        return new Result(changed, List.copyOf(lines));
    }

    private static boolean write(Path file, String text, List<String> lines) throws IOException {
        if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
            return false;
        }
        boolean existed = Files.exists(file);
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tsync-new");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        lines.add((existed ? "updated " : "wrote ") + file);
        return true;
    }

    private static boolean quiet(String verb, String unit) throws PullException {
        return run(List.of("systemctl", verb, "--quiet", unit)).exit() == 0;
    }

    private static void systemctl(List<String> lines, String... args) throws PullException {
        List<String> cmd = new ArrayList<>(List.of("systemctl"));
        cmd.addAll(List.of(args));
        Processes.Ran r = run(cmd);
        if (r.exit() != 0) {
            throw new PullException(PullException.Kind.FAILED, String.join(" ", cmd) + " failed (exit " + r.exit() + "): " + r.outAndErr().strip());
        }
        lines.add("ran " + String.join(" ", cmd));
    }

    private static Processes.Ran run(List<String> cmd) throws PullException {
        return Processes.run(cmd, Map.of(), Duration.ofMinutes(2));
    }
}
