package io.tsync.status;

import io.tsync.transport.Bounds;
import java.util.List;

/**
 * The text of the status probe: one POSIX sh script that gathers everything about a host's time synchronisation in a
 * single remote exec. Fixed content, nothing interpolated: the same bytes go to every host, whatever its daemon.
 *
 * <p>Output format: a first line {@link #HEADER}, then sections, each {@code @section NAME}, the command's output
 * (stdout and stderr merged), and {@code @exit NAME CODE}; a last line {@code @end}. Sections, in order:
 * {@code date}, {@code tz}, {@code systemctl}, {@code chronyc-sources}, {@code chronyc-tracking},
 * {@code chronyc-authdata} and {@code nts-log} ({@link NtsStatus}), and, only when {@code chronyc sources} did not
 * succeed, {@code ntpq-peers} and {@code ntpq-rv}, and then, only when systemd-timesyncd is active,
 * {@code timesync-show} ({@code timedatectl show-timesync}), {@code timesync-status} ({@code timedatectl
 * timesync-status}) and {@code timesync-kernel} (the kernel's NTPSynchronized). Exit code 127 means the tool is not
 * installed, 124 that it ran longer than 10 seconds, -1 that it printed more than {@link Bounds#STATUS_COMMAND} (cut
 * on the host; the output is dropped). {@link ProbeOutput} splits it back into sections.
 */
public final class StatusScript {
    /** First line of the probe output; the number is the format version. */
    public static final String HEADER = "@tsync-status 1";

    /** The systemd units asked about, in the order systemctl prints them. */
    public static final List<String> UNITS = List.of("chrony.service", "chronyd.service", "ntp.service", "ntpd.service",
            "ntpsec.service", "systemd-timesyncd.service");

    private StatusScript() {}

    /**
     * The script. Run it with {@code sh -c} as root (or through sudo); no part of it fails the whole script, and it
     * always ends with {@code @end}.
     */
    public static String text() {
        return String.join("\n",
                "export LC_ALL=C",
                "PATH=\"$PATH:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"; export PATH",
                "T=; if timeout 5 true >/dev/null 2>&1; then T=\"timeout 10\"; fi",
                "r=0; nl=\"\n\"",
                // each command's output is cut at Bounds.STATUS_COMMAND on the host (head -c), its exit code on a
                // last line of its own: a cut output has none and is reported as too long (exit -1), not shown. No
                // ${o##*...} on the output: dash takes quadratic time for it on a long string without a match
                "run() { n=\"$1\"; shift; echo \"@section $n\"; if command -v \"$1\" >/dev/null 2>&1; then"
                        + " o=$( { $T \"$@\" 2>&1; printf \"\\n@rc %s\\n\" \"$?\"; } | head -c " + Bounds.STATUS_COMMAND + " );"
                        + " l=$(printf %s \"$o\" | tail -n 1); r=${l#@rc };"
                        + " case \"$l\" in \"@rc \"*) o=${o%\"$l\"}; o=${o%\"$nl\"}; o=${o%\"$nl\"};; *) r=;; esac;"
                        + " case \"$r\" in \"\"|*[!0-9]*) r=" + ProbeSection.TOO_LONG + "; o=;; esac;"
                        + " if [ -n \"$o\" ]; then printf \"%s\\n\" \"$o\"; fi;"
                        + " else r=127; fi; echo \"@exit $n $r\"; }",
                "echo \"" + HEADER + "\"",
                "run date date +%Y-%m-%dT%H:%M:%S%z",
                "echo \"@section tz\"",
                "echo \"link=$(readlink /etc/localtime 2>/dev/null)\"",
                "echo \"file=$(head -n 1 /etc/timezone 2>/dev/null)\"",
                "echo \"@exit tz 0\"",
                "run systemctl systemctl show -p Id,LoadState,ActiveState,SubState,UnitFileState,ConditionResult "
                        + String.join(" ", UNITS),
                "run chronyc-sources chronyc -c -n sources",
                "c=$r",
                "run chronyc-tracking chronyc -c -n tracking",
                NtsStatus.SCRIPT,
                "if [ \"$c\" != 0 ]; then run ntpq-peers ntpq -pn; run ntpq-rv ntpq -n -c rv; fi",
                "if [ \"$c\" != 0 ] && systemctl is-active -q systemd-timesyncd 2>/dev/null; then"
                        + " run timesync-show timedatectl show-timesync; run timesync-status timedatectl timesync-status;"
                        + " run timesync-kernel timedatectl show -p NTPSynchronized --value; fi",
                "echo @end",
                "");
    }
}
