package io.tsync.exec;

import static io.tsync.transport.Shell.quote;

import io.tsync.plan.Step;
import java.util.List;

/**
 * The remote command for each plan step. Every value from a playbook or inventory is single-quoted
 * here (and was already validated against a strict grammar); file contents travel on stdin.
 */
public final class Commands {
    private Commands() {}

    public static RemoteCommand of(Step step) {
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
            return RemoteCommand.of(s.installCommand().replace("$PKG", quote(s.pkg())));
        } else if (step instanceof Step.WriteConfig s) {
            return RemoteCommand.withInput(writeFile(s.path(), s.checkCommand()), s.content());
        } else if (step instanceof Step.WriteKeys s) {
            if (s.content() == null) {
                throw new IllegalStateException("the values of the keys for " + s.path() + " were not read");
            }
            // the keys travel on stdin only: never in the script, which -v prints
            return RemoteCommand.withInput(writeKeys(s.path(), s.owner(), s.group(), s.mode()), s.content().reveal());
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
            return RemoteCommand.of(STEP_CLOCK);
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
     * Like {@link #writeFile} for a key file: the temporary file is 0600 before any byte is written, the
     * content is checked to be key lines without ever printing it, then the platform's owner and mode are
     * set (a missing group fails here, naming the group only), and it is renamed into place.
     */
    static String writeKeys(String path, String owner, String group, String mode) {
        return "set -eu\n"
                + "f=" + quote(path) + "\n"
                + "mkdir -p \"$(dirname \"$f\")\"\n"
                + "umask 077\n"
                + "t=$(mktemp \"$f.tsync.XXXXXX\")\n"
                + "trap 'rm -f \"$t\"' EXIT INT TERM HUP\n"
                + "cat > \"$t\"\n"
                + "if grep -qvE '^(#.*|[0-9]+ [A-Z0-9]+ [0-9A-Fa-fHEX:]+)$' \"$t\"; then echo \"the key file tsync built has a line that is no key (content not shown)\" >&2; exit 65; fi\n"
                + "chown " + quote(owner + ":" + group) + " \"$t\"\n"
                + "chmod " + quote(mode) + " \"$t\"\n"
                + "if [ -e \"$f\" ]; then cp -p \"$f\" \"$f.tsync-bak\"; else rm -f \"$f.tsync-bak\"; fi\n"
                + "sync \"$t\" 2>/dev/null || true\n"
                + "mv -f \"$t\" \"$f\"\n"
                + "trap - EXIT INT TERM HUP\n";
    }

    /**
     * step_now: a step right after a restart steps by nothing (chronyd has no measurement yet), so wait
     * until chronyd is synchronised (at most 30 tries, 1 s apart), then step by the offset it measured
     * and print it. chronyd's "System time" offset (tracking field 5) is what makestep corrects.
     */
    static final String STEP_CLOCK = "if ! w=$(chronyc waitsync 30 0 0 1 2>&1); then\n"
            + "  echo \"chronyd had no usable measurement within 30 s, so the clock was not stepped: $(printf '%s\\n' \"$w\" | tail -n 1)\" >&2; exit 1\n"
            + "fi\n"
            + "off=$(chronyc -c tracking 2>/dev/null | cut -d, -f5)\n"
            + "if ! m=$(chronyc -a makestep 2>&1); then echo \"chronyc makestep: $m\" >&2; exit 1; fi\n"
            + "echo \"stepped the clock: offset ${off:-?} s corrected (chronyc tracking, System time)\"\n";

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
        return rollback(List.of(path), unit);
    }

    /** Puts back the files (config, key file) kept by this run's writes and restarts the unit on them. */
    public static RemoteCommand rollback(List<String> paths, String unit) {
        StringBuilder restore = new StringBuilder();
        for (String path : paths) {
            restore.append("f=").append(quote(path)).append("\n")
                    .append("if [ -f \"$f.tsync-bak\" ]; then mv -f \"$f.tsync-bak\" \"$f\"; else rm -f \"$f\"; fi\n");
        }
        return RemoteCommand.of(restore
                // the failed start counts against the unit's start limit (5 in 10 s): clear it, or
                // the rollback itself can be refused with 'start-limit-hit'
                + "systemctl reset-failed " + quote(unit) + " 2>/dev/null || true\n"
                + "systemctl restart " + quote(unit) + " 2>&1 || true\n"
                + "systemctl is-active " + quote(unit) + " || true\n");
    }
}
