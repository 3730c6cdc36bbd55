package io.tsync.exec;

import static io.tsync.transport.Shell.quote;

import io.tsync.plan.Step;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

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
                            // timedated may not answer in time (a D-Bus timeout on a loaded host), and it skips a
                            // zone equal to the one it cached, even when the link changed behind its back (tzdata's
                            // postinst relinks Etc/UTC): check the link, and set the one it would have set
                            + "if command -v timedatectl >/dev/null 2>&1; then timedatectl set-timezone \"$tz\" || true\n"
                            + "  case \"$(readlink /etc/localtime)\" in */zoneinfo/\"$tz\") ;; *) ln -sf \"../usr/share/zoneinfo/$tz\" /etc/localtime ;; esac\n"
                            + "else ln -sf \"/usr/share/zoneinfo/$tz\" /etc/localtime && echo \"$tz\" > /etc/timezone; fi");
        } else if (step instanceof Step.StopService s) {
            return RemoteCommand.of("systemctl disable --now " + quote(s.unit()) + " 2>&1");
        } else if (step instanceof Step.InstallPackage s) {
            return RemoteCommand.of(PackageLockWait.script(s.packages().lock(), lockTimeout)
                    + s.packages().install().replace("$PKG", quote(s.pkg())));
        } else if (step instanceof Step.WriteConfig s) {
            return RemoteCommand.withInput(writeFile(s.path(), s.unit(), s.checkCommand(), s.content().getBytes(StandardCharsets.UTF_8).length),
                    s.content());
        } else if (step instanceof Step.WriteKeys s) {
            if (s.content() == null) {
                throw new IllegalStateException("the values of the keys for " + s.path() + " were not read");
            }
            // the keys travel on stdin only: never in the script, which -v prints
            String keys = s.content().reveal();
            return RemoteCommand.withInput(writeKeys(s.path(), s.unit(), s.owner(), s.group(), s.mode(), keys.getBytes(StandardCharsets.UTF_8).length),
                    keys);
        } else if (step instanceof Step.WriteTrustedCerts s) {
            return RemoteCommand.withInput(writeTrustedCerts(s.path(), s.unit(), s.owner(), s.group(), s.mode(),
                    s.content().getBytes(StandardCharsets.UTF_8).length), s.content());
        } else if (step instanceof Step.EnableService s) {
            // guarded: Debian's and Ubuntu's packages enable their service on install, and a second
            // `systemctl enable` there still runs systemd-sysv-install (about 0.4 s of CPU per host)
            return RemoteCommand.of("u=" + quote(s.unit()) + "\n"
                    + "[ \"$(systemctl is-enabled \"$u\" 2>/dev/null)\" = enabled ] || systemctl enable \"$u\" 2>&1");
        } else if (step instanceof Step.StartService s) {
            return RemoteCommand.of(startAndVerify("start", s.unit()));
        } else if (step instanceof Step.RestartService s && s.forgetNtsIn() != null) {
            // chronyd dumps its NTS cookies when it stops: delete them after the stop, before the start
            return RemoteCommand.of("systemctl stop " + quote(s.unit()) + " 2>&1 || true\n"
                    + "rm -f -- " + quote(s.forgetNtsIn()) + "/*.nts\n" + startAndVerify("start", s.unit()));
        } else if (step instanceof Step.RestartService s) {
            return RemoteCommand.of(startAndVerify("restart", s.unit()));
        } else if (step instanceof Step.StepClock) {
            return RemoteCommand.of(STEP_CLOCK);
        }
        throw new IllegalArgumentException("unknown step " + step);
    }

    /**
     * Where the host notes "UNIT.restart-pending": its config was replaced and it was not restarted
     * on it yet. A tmpfs: a reboot starts the daemon on the file on disk, and forgets the note with it.
     * (TSYNC_RUN_DIR is for the tests that run these scripts on the build machine.)
     */
    public static final String PENDING_DIR = "${TSYNC_RUN_DIR:-/run/tsync}";

    /**
     * Atomic replace: write stdin to a temporary file beside the target, check it with the daemon's
     * own parser (when it has one), keep the previous file as PATH.tsync-bak, copy owner and mode,
     * note that {@code unit} has to be restarted on it, then rename into place. A failure at any point
     * leaves the target untouched and no temp file. The content must arrive whole ({@code size}
     * bytes): a session that dies before its stdin is delivered leaves an empty file, which
     * chronyd's check accepts.
     */
    static String writeFile(String path, String unit, String check, int size) {
        return replaceFile(path, unit, size, "",
                check == null ? "" : "if ! out=$(set -- \"$t\"; " + check + "); then echo \"the daemon rejects the new config: $out\" >&2; exit 65; fi\n",
                "if [ -e \"$f\" ]; then chown --reference=\"$f\" \"$t\"; chmod --reference=\"$f\" \"$t\"; cp -p \"$f\" \"$f.tsync-bak\"; "
                        + "else chmod 0644 \"$t\"; rm -f \"$f.tsync-bak\"; fi\n");
    }

    /**
     * The atomic replacement both file writes share: receive {@code size} bytes on stdin into a temporary
     * file beside {@code path} (created after {@code before}), run {@code check} and {@code settle}
     * (owner, mode, backup) on it, note {@code unit}'s restart as pending, rename it into place.
     */
    private static String replaceFile(String path, String unit, int size, String before, String check, String settle) {
        return "set -eu\n"
                + "f=" + quote(path) + "\n"
                + "u=" + quote(unit) + "\n"
                + "mkdir -p \"$(dirname \"$f\")\"\n"
                + before
                + "t=$(mktemp \"$f.tsync.XXXXXX\")\n"
                + "trap 'rm -f \"$t\"' EXIT INT TERM HUP\n"
                // a full file system (or quota) fails here: say so in the operator's words, with the path
                + "if ! err=$(cat 2>&1 > \"$t\"); then echo \"cannot write the new $f (${err#cat: }); the file in place is unchanged\" >&2; exit 74; fi\n"
                + "n=$(wc -c < \"$t\")\n"
                + "if [ \"$n\" -ne " + size + " ]; then echo \"received $n of " + size + " bytes of the new $f (the connection broke); the file in place is unchanged\" >&2; exit 75; fi\n"
                + check
                + settle
                + "sync \"$t\" 2>/dev/null || true\n"
                // before the rename: a connection lost right after it must not leave the restart forgotten
                + "mkdir -p \"" + PENDING_DIR + "\" && : > \"" + PENDING_DIR + "/$u.restart-pending\"\n"
                + "mv -f \"$t\" \"$f\"\n"
                + "trap - EXIT INT TERM HUP\n";
    }

    /**
     * Exit status of a (re)start that failed because the host began shutting down (a reboot): the
     * daemon did not fail on its config, so there is nothing to roll back.
     */
    public static final int HOST_STOPPING = 76;

    /** How long a freshly (re)started daemon is watched, in polls of 0.5 s: it must stay up this long. */
    static final int SETTLE_POLLS = 4;

    /**
     * Like {@link #writeFile} for a key file: the temporary file is 0600 before any byte is written, the
     * content must arrive whole ({@code size} bytes) and is checked to be key lines without ever being
     * printed, then the platform's owner and mode are set (a missing group fails here, naming the group
     * only), {@code unit}'s restart is noted as pending, and the file is renamed into place.
     */
    static String writeKeys(String path, String unit, String owner, String group, String mode, int size) {
        return replaceFile(path, unit, size, "umask 077\n",
                "if grep -qvE '^(#.*|[0-9]+ [A-Z0-9]+ [0-9A-Fa-fHEX:]+)$' \"$t\"; then echo \"the key file tsync built has a line that is no key (content not shown)\" >&2; exit 65; fi\n",
                "chown " + quote(owner + ":" + group) + " \"$t\"\n"
                        + "chmod " + quote(mode) + " \"$t\"\n"
                        + "if [ -e \"$f\" ]; then cp -p \"$f\" \"$f.tsync-bak\"; else rm -f \"$f.tsync-bak\"; fi\n");
    }

    /** Like {@link #writeKeys} for public certificates: the file must hold PEM certificate lines only. */
    static String writeTrustedCerts(String path, String unit, String owner, String group, String mode, int size) {
        return replaceFile(path, unit, size, "",
                "if ! grep -q '^-----BEGIN CERTIFICATE-----$' \"$t\" || grep -qvE '^(-----(BEGIN|END) CERTIFICATE-----|[A-Za-z0-9+/=]+)$' \"$t\"; then "
                        + "echo \"the certificate file tsync built is not PEM certificates only\" >&2; exit 65; fi\n",
                "chown " + quote(owner + ":" + group) + " \"$t\"\n"
                        + "chmod " + quote(mode) + " \"$t\"\n"
                        + "if [ -e \"$f\" ]; then cp -p \"$f\" \"$f.tsync-bak\"; else rm -f \"$f.tsync-bak\"; fi\n");
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
     * prints the unit's journal when it did not come up, and then watches it for
     * {@link #SETTLE_POLLS} polls: a daemon that dies (or is restarted by systemd) a moment after
     * its start, on a config its own check accepted, fails the step too. A unit stopped because the
     * host is shutting down is no failure of its config: that exits {@link #HOST_STOPPING}.
     */
    static String startAndVerify(String verb, String unit) {
        String stopping = "  if [ \"$(systemctl is-system-running 2>/dev/null)\" = stopping ]; then echo \"the host is shutting down: $u was stopped with it\" >&2; exit "
                + HOST_STOPPING + "; fi\n";
        return "u=" + quote(unit) + "\n"
                + "systemctl " + verb + " \"$u\" 2>&1 || rc=$?\n"
                + "i=0\n"
                + "while [ \"$(systemctl show -p ActiveState --value \"$u\")\" = activating ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done\n"
                + "if [ \"$(systemctl show -p ConditionResult --value \"$u\")\" = no ]; then\n"
                + "  echo \"$u did not start: a start condition failed: $(systemctl status \"$u\" --no-pager 2>&1 | grep -i 'condition' | head -n 3 | tr -s ' ')\" >&2; exit 3\n"
                + "fi\n"
                + "if [ \"$(systemctl show -p ActiveState --value \"$u\")\" != active ]; then\n"
                + stopping
                + "  echo \"$u is not running after " + verb + "; its journal says:\" >&2\n"
                + "  journalctl -u \"$u\" -n 12 --no-pager -o cat 2>&1 | sed 's/^/  /' >&2\n"
                + "  exit 1\n"
                + "fi\n"
                + "s0=$(systemctl show -p ActiveState,MainPID,NRestarts \"$u\")\n"
                + "i=0\n"
                + "while [ $i -lt " + SETTLE_POLLS + " ]; do\n"
                + "  sleep 0.5; i=$((i+1))\n"
                + "  if [ \"$(systemctl show -p ActiveState,MainPID,NRestarts \"$u\")\" != \"$s0\" ]; then\n"
                + stopping
                + "    echo \"$u died within $((i*5/10)).$((i*5%10)) s of its " + verb + " (now $(systemctl is-active \"$u\")); its journal says:\" >&2\n"
                + "    journalctl -u \"$u\" -n 12 --no-pager -o cat 2>&1 | sed 's/^/  /' >&2\n"
                + "    exit 1\n"
                + "  fi\n"
                + "done\n"
                + "rm -f \"" + PENDING_DIR + "/$u.restart-pending\"\n";
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
                + "rm -f \"" + PENDING_DIR + "/\"" + quote(unit) + "\".restart-pending\"\n"
                + "systemctl is-active " + quote(unit) + " || true\n");
    }
}
