package io.tsync.exec;

import static io.tsync.transport.Shell.quote;

import io.tsync.plan.Step;
import java.time.Duration;

/**
 * The remote command for each plan step. Every value from a playbook or inventory is single-quoted
 * here (and was already validated against a strict grammar); file contents travel on stdin.
 */
public final class Commands {
    private Commands() {}

    /** The bound of a package lock wait when none is given: apply's --lock-timeout default. */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(120);

    public static RemoteCommand of(Step step) {
        return of(step, DEFAULT_LOCK_TIMEOUT);
    }

    /**
     * @param lockTimeout how long an install waits for the package manager's lock (its holder is
     *                    named on stdout, {@link PackageLockWait}); other steps take no lock
     */
    public static RemoteCommand of(Step step, Duration lockTimeout) {
        // Java 17 has no pattern switch; Step is sealed, so this chain is exhaustive by construction.
        if (step instanceof Step.SetTimezone s) {
            return RemoteCommand.of(
                    "tz=" + quote(s.to()) + "\n"
                            + "test -e \"/usr/share/zoneinfo/$tz\" || { echo \"timezone $tz is not in this host's tz database (install tzdata)\" >&2; exit 1; }\n"
                            + "if command -v timedatectl >/dev/null 2>&1; then timedatectl set-timezone \"$tz\"; "
                            + "else ln -sf \"/usr/share/zoneinfo/$tz\" /etc/localtime && echo \"$tz\" > /etc/timezone; fi");
        } else if (step instanceof Step.StopService s) {
            return RemoteCommand.of("systemctl disable --now " + quote(s.unit()) + " 2>&1");
        } else if (step instanceof Step.InstallPackage s) {
            return RemoteCommand.of(PackageLockWait.script(s.packages().lock(), lockTimeout)
                    + s.packages().install().replace("$PKG", quote(s.pkg())));
        } else if (step instanceof Step.WriteConfig s) {
            return RemoteCommand.withInput(writeFile(s.path(), s.checkCommand()), s.content());
        } else if (step instanceof Step.EnableService s) {
            // guarded: Debian's and Ubuntu's packages enable their service on install, and a second
            // `systemctl enable` there still runs systemd-sysv-install (about 0.4 s of CPU per host)
            return RemoteCommand.of("u=" + quote(s.unit()) + "\n"
                    + "[ \"$(systemctl is-enabled \"$u\" 2>/dev/null)\" = enabled ] || systemctl enable \"$u\" 2>&1");
        } else if (step instanceof Step.StartService s) {
            return RemoteCommand.of(startAndVerify("start", s.unit()));
        } else if (step instanceof Step.RestartService s) {
            return RemoteCommand.of(startAndVerify("restart", s.unit()));
        } else if (step instanceof Step.StepClock) {
            return RemoteCommand.of("chronyc -a makestep");
        }
        throw new IllegalArgumentException("unknown step " + step);
    }

    /**
     * Atomic replace: write stdin to a temporary file beside the target, check it with the daemon's
     * own parser (when it has one), keep the previous file as PATH.tsync-bak, copy owner and mode,
     * then rename into place. A failure at any point leaves the target untouched and no temp file.
     */
    static String writeFile(String path, String check) {
        return "set -eu\n"
                + "f=" + quote(path) + "\n"
                + "mkdir -p \"$(dirname \"$f\")\"\n"
                + "t=$(mktemp \"$f.tsync.XXXXXX\")\n"
                + "trap 'rm -f \"$t\"' EXIT INT TERM HUP\n"
                + "cat > \"$t\"\n"
                + (check == null ? "" : "if ! out=$(set -- \"$t\"; " + check + "); then echo \"the daemon rejects the new config: $out\" >&2; exit 65; fi\n")
                + "if [ -e \"$f\" ]; then chown --reference=\"$f\" \"$t\"; chmod --reference=\"$f\" \"$t\"; cp -p \"$f\" \"$f.tsync-bak\"; "
                + "else chmod 0644 \"$t\"; rm -f \"$f.tsync-bak\"; fi\n"
                + "sync \"$t\" 2>/dev/null || true\n"
                + "mv -f \"$t\" \"$f\"\n"
                + "trap - EXIT INT TERM HUP\n";
    }

    /**
     * (Re)starts a unit and proves it is running: waits (bounded) while it is activating, reports a
     * failed start condition (e.g. ConditionCapability=CAP_SYS_TIME in a container) as a failure,
     * and prints the unit's journal when it did not come up.
     */
    static String startAndVerify(String verb, String unit) {
        return "u=" + quote(unit) + "\n"
                + "systemctl " + verb + " \"$u\" 2>&1 || rc=$?\n"
                + "i=0\n"
                + "while [ \"$(systemctl show -p ActiveState --value \"$u\")\" = activating ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done\n"
                + "if [ \"$(systemctl show -p ConditionResult --value \"$u\")\" = no ]; then\n"
                + "  echo \"$u did not start: a start condition failed: $(systemctl status \"$u\" --no-pager 2>&1 | grep -i 'condition' | head -n 3 | tr -s ' ')\" >&2; exit 3\n"
                + "fi\n"
                + "if [ \"$(systemctl show -p ActiveState --value \"$u\")\" != active ]; then\n"
                + "  echo \"$u is not running after " + verb + "; its journal says:\" >&2\n"
                + "  journalctl -u \"$u\" -n 12 --no-pager -o cat 2>&1 | sed 's/^/  /' >&2\n"
                + "  exit 1\n"
                + "fi\n";
    }

    /** Puts back the config kept by the last write and restarts the unit on it. */
    public static RemoteCommand rollback(String path, String unit) {
        return RemoteCommand.of("f=" + quote(path) + "\n"
                + "if [ -f \"$f.tsync-bak\" ]; then mv -f \"$f.tsync-bak\" \"$f\"; else rm -f \"$f\"; fi\n"
                // the failed start counts against the unit's start limit (5 in 10 s): clear it, or
                // the rollback itself can be refused with 'start-limit-hit'
                + "systemctl reset-failed " + quote(unit) + " 2>/dev/null || true\n"
                + "systemctl restart " + quote(unit) + " 2>&1 || true\n"
                + "systemctl is-active " + quote(unit) + " || true\n");
    }
}
