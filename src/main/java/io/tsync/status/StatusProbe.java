package io.tsync.status;

import io.tsync.model.Daemon;
import io.tsync.transport.Bounds;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The probe behind {@code tsync status}: {@link #command()} is one POSIX sh script that gathers everything about a
 * host's time synchronisation in a single remote exec, and {@link #parse} turns its output into a {@link HostStatus}.
 * Nothing here talks to the network.
 *
 * <p>Output format: a first line {@code @tsync-status 1}, then sections, each {@code @section NAME}, the command's
 * output (stdout and stderr merged), and {@code @exit NAME CODE}; a last line {@code @end}. Sections, in order:
 * {@code date}, {@code tz}, {@code systemctl}, {@code chronyc-sources}, {@code chronyc-tracking}, {@code chronyc-authdata} and
 * {@code nts-log} ({@link NtsStatus}), and, only when
 * {@code chronyc sources} did not succeed, {@code ntpq-peers} and {@code ntpq-rv}, and then, only when
 * systemd-timesyncd is active, {@code timesync-show} ({@code timedatectl show-timesync}), {@code timesync-status}
 * ({@code timedatectl timesync-status}) and {@code timesync-kernel} (the kernel's NTPSynchronized). Exit code 127
 * means the tool is not installed, 124 that it ran longer than 10 seconds, -1 that it printed more than
 * {@link Bounds#STATUS_COMMAND} (cut on the host; the output is dropped).
 */
public final class StatusProbe {
    /** First line of the probe output; the number is the format version. */
    public static final String HEADER = "@tsync-status 1";

    /** The systemd units asked about, in the order systemctl prints them. */
    public static final List<String> UNITS = List.of("chrony.service", "chronyd.service", "ntp.service", "ntpd.service",
            "ntpsec.service", "systemd-timesyncd.service");

    private static final List<String> CHRONY_UNITS = List.of("chrony.service", "chronyd.service");
    private static final List<String> NTPD_UNITS = List.of("ntpsec.service", "ntp.service", "ntpd.service");
    private static final String TIMESYNCD = "systemd-timesyncd.service";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxx");

    private StatusProbe() {}

    /**
     * The probe script: fixed content, nothing interpolated. Run it with {@code sh -c} as root (or through sudo);
     * no part of it fails the whole script, and it always ends with {@code @end}.
     */
    public static String command() {
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

    /**
     * Splits probe output into its sections, by name in output order. A section cut off before its end marker has a
     * {@code null} exit code. Output without the {@link #HEADER} line yields an empty map.
     */
    public static Map<String, ProbeSection> sections(String output) {
        Map<String, ProbeSection> out = new LinkedHashMap<>();
        List<String> lines = output.lines().toList();
        int start = lines.indexOf(HEADER);
        if (start < 0) {
            return out;
        }
        String name = null;
        StringBuilder body = new StringBuilder();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("@section ") || line.equals("@end")) {
                if (name != null) {
                    out.put(name, new ProbeSection(name, strip(body), null));
                }
                name = line.equals("@end") ? null : line.substring("@section ".length()).strip();
                body.setLength(0);
                if (line.equals("@end")) {
                    break;
                }
            } else if (name != null && line.startsWith("@exit " + name + " ")) {
                Integer code;
                try {
                    code = Integer.valueOf(line.substring(("@exit " + name + " ").length()).strip());
                } catch (NumberFormatException e) {
                    code = null;
                }
                out.put(name, new ProbeSection(name, strip(body), code));
                name = null;
                body.setLength(0);
            } else if (name != null) {
                body.append(line).append('\n');
            }
        }
        if (name != null) {
            out.put(name, new ProbeSection(name, strip(body), null));
        }
        return out;
    }

    /**
     * Parses the blocks of {@code systemctl show -p ...} for {@link #UNITS} (one blank-line separated block per unit
     * asked for, in that order). Output that is no such block (no systemd) yields an empty list.
     */
    public static List<UnitState> units(String systemctlShow) {
        List<Map<String, String>> blocks = new ArrayList<>();
        Map<String, String> cur = new LinkedHashMap<>();
        for (String line : systemctlShow.split("\\R")) {
            if (line.isBlank()) {
                if (!cur.isEmpty()) {
                    blocks.add(cur);
                    cur = new LinkedHashMap<>();
                }
                continue;
            }
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).matches("[A-Za-z]+")) {
                cur.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        if (!cur.isEmpty()) {
            blocks.add(cur);
        }
        List<UnitState> out = new ArrayList<>();
        for (int i = 0; i < blocks.size() && i < UNITS.size(); i++) {
            Map<String, String> b = blocks.get(i);
            if (!b.containsKey("Id") && !b.containsKey("LoadState")) {
                continue;
            }
            out.add(new UnitState(UNITS.get(i), b.getOrDefault("Id", UNITS.get(i)), b.getOrDefault("LoadState", ""),
                    b.getOrDefault("ActiveState", ""), b.getOrDefault("SubState", ""),
                    b.getOrDefault("UnitFileState", ""), b.getOrDefault("ConditionResult", "")));
        }
        return out;
    }

    /**
     * The IANA zone name from the {@code /etc/localtime} link target (everything after {@code zoneinfo/}, without
     * a {@code posix/} or {@code right/} prefix), else the first line of {@code /etc/timezone}, else {@code null}.
     */
    public static String timezone(String localtimeLink, String timezoneFile) {
        String link = localtimeLink == null ? "" : localtimeLink.strip();
        int i = link.indexOf("zoneinfo/");
        if (i >= 0 && i + 9 < link.length()) {
            String z = link.substring(i + 9);
            for (String prefix : List.of("posix/", "right/")) {
                if (z.startsWith(prefix)) {
                    z = z.substring(prefix.length());
                }
            }
            return z;
        }
        String file = timezoneFile == null ? "" : timezoneFile.strip();
        return file.isEmpty() ? null : file;
    }

    /** The status of a host that could not be probed, e.g. because ssh failed. */
    public static HostStatus unreachable(String host, String error) {
        String detail = error == null || error.isBlank() ? "ssh failed" : oneLine(error);
        return new HostStatus(host, null, null, null, null, null, null, null, null, null, null, null, null, List.of(),
                Verdict.UNREACHABLE, detail);
    }

    /** Parses the output of {@link #command()} run on {@code hostName}. */
    public static HostStatus parse(String hostName, String output) {
        Map<String, ProbeSection> s = sections(output);
        if (s.isEmpty()) {
            String first = output.strip().lines().findFirst().orElse("");
            return unreachable(hostName, first.isEmpty() ? "probe printed nothing"
                    : "probe output not recognised: " + first);
        }
        List<String> notes = new ArrayList<>();
        if (!output.lines().anyMatch("@end"::equals)) {
            notes.add("probe output truncated");
        }
        OffsetDateTime time = date(body(s, "date"));
        Map<String, String> tzVars = keyValues(body(s, "tz"));
        String tz = timezone(tzVars.get("link"), tzVars.get("file"));
        ProbeSection sc = s.get("systemctl");
        List<UnitState> units = sc == null ? List.of() : units(sc.body());

        UnitState chronyUnit = pick(units, CHRONY_UNITS);
        UnitState ntpUnit = pick(units, NTPD_UNITS);
        ProbeSection cs = s.get("chronyc-sources");
        ProbeSection np = s.get("ntpq-peers");
        boolean chronycTalks = cs != null && cs.ok() && ChronyParsers.error(cs.body()).isEmpty();
        boolean ntpqTalks = np != null && np.exitCode() != null && !np.notInstalled()
                && np.exitCode() != ProbeSection.TIMED_OUT && NtpqParsers.error(np.body()).isEmpty()
                && (np.ok() || !np.body().isBlank());

        UnitState timesyncdUnit = pick(units, List.of(TIMESYNCD));
        Daemon daemon;
        if (chronyUnit != null && chronyUnit.active()) {
            daemon = Daemon.CHRONY;
        } else if (ntpUnit != null && ntpUnit.active()) {
            daemon = Daemon.NTPD;
        } else if (timesyncdUnit != null && timesyncdUnit.active()) {
            daemon = Daemon.TIMESYNCD;
        } else if (chronycTalks) {
            daemon = Daemon.CHRONY;
        } else if (ntpqTalks) {
            daemon = Daemon.NTPD;
        } else if (chronyUnit != null) {
            daemon = Daemon.CHRONY;
        } else if (ntpUnit != null) {
            daemon = Daemon.NTPD;
        } else if (cs != null && !cs.notInstalled()) {
            daemon = Daemon.CHRONY;
        } else if (np != null && !np.notInstalled()) {
            daemon = Daemon.NTPD;
        } else {
            daemon = null;
        }

        Row row = new Row(hostName, time, tz);
        UnitState unit = daemon == Daemon.CHRONY ? chronyUnit : daemon == Daemon.NTPD ? ntpUnit : daemon == Daemon.TIMESYNCD ? timesyncdUnit : null;
        row.daemon = daemon;
        if (unit != null) {
            row.active = unit.active();
            row.enabled = unit.enabled();
        }
        if (daemon == null) {
            row.verdict = Verdict.DAEMON_DOWN;
            notes.add(0, "neither chrony nor ntpd is installed");
            units.stream().filter(u -> u.requested().equals(TIMESYNCD) && u.active()).findFirst()
                    .ifPresent(u -> notes.add("systemd-timesyncd is active"));
        } else if (daemon == Daemon.CHRONY) {
            chrony(row, unit, chronycTalks, cs, s.get("chronyc-tracking"), notes);
            notes.addAll(NtsStatus.notes(s.get("chronyc-authdata"), s.get("nts-log")));
        } else if (daemon == Daemon.TIMESYNCD) {
            timesyncd(row, s.get("timesync-show"), s.get("timesync-status"), s.get("timesync-kernel"), notes);
        } else {
            ntpd(row, unit, ntpqTalks, np, s.get("ntpq-rv"), notes);
        }
        List<String> tooLong = s.values().stream().filter(ProbeSection::tooLong).map(ProbeSection::name).toList();
        if (!tooLong.isEmpty()) {
            notes.add(0, String.join(", ", tooLong) + " printed more than " + Bounds.size(Bounds.STATUS_COMMAND) + "; tsync reads up to "
                    + Bounds.size(Bounds.STATUS_COMMAND) + " of a status command's output and ignored "
                    + (tooLong.size() == 1 ? "it" : "theirs") + " (the real tools print a few KiB: look on the host for a wrapper first on root's PATH)");
        }
        return row.build(notes);
    }

    private static void chrony(Row row, UnitState unit, boolean talks, ProbeSection cs, ProbeSection ct,
            List<String> notes) {
        if (!talks) {
            row.verdict = Verdict.DAEMON_DOWN;
            down(notes, unit, "chronyc", cs, cs == null ? Optional.empty() : ChronyParsers.error(cs.body()));
            return;
        }
        if (unit != null && !unit.active()) {
            notes.add(unit.describe() + " but chronyd answers");
        }
        try {
            row.sources = ChronyParsers.sources(cs.body());
        } catch (IllegalArgumentException e) {
            row.verdict = Verdict.UNSYNCED;
            row.summarize = false;
            notes.add(0, "cannot parse chronyc sources: " + e.getMessage());
            return;
        }
        ChronyTracking t = null;
        if (ct != null && ct.ok() && ChronyParsers.error(ct.body()).isEmpty()) {
            try {
                t = ChronyParsers.tracking(ct.body());
            } catch (IllegalArgumentException e) {
                notes.add("cannot parse chronyc tracking: " + e.getMessage());
            }
        } else {
            notes.add(ct == null ? "no chronyc tracking output" : "chronyc tracking failed");
        }
        Source star = selected(row.sources);
        if (star != null) {
            row.selectedSource = star.address();
            row.reach = star.reach();
        }
        if (t != null) {
            row.leap = t.leapStatus();
            boolean everSynced = !"00000000".equals(t.referenceId());
            if (everSynced) {
                row.stratum = t.stratum();
                row.lastOffset = t.lastOffsetSeconds();
                row.rmsOffset = t.rmsOffsetSeconds();
            }
            if (star == null && t.localMode()) {
                row.selectedSource = "LOCAL";
            }
        } else if (star != null) {
            row.stratum = star.stratum() + 1;
        }
        if (star != null && (t == null || t.synchronised())) {
            row.verdict = Verdict.SYNCED;
        } else if (row.sources.stream().anyMatch(x -> !x.poolPlaceholder() && x.reachable())) {
            row.verdict = Verdict.SYNCING;
        } else {
            row.verdict = Verdict.UNSYNCED;
        }
        if (t != null && t.localMode()) {
            notes.add("local mode (reference ID " + ChronyTracking.LOCAL_REFERENCE_ID + ", stratum " + t.stratum()
                    + ")");
        }
        if (star != null && t != null && !t.synchronised()) {
            notes.add("leap status " + t.leapStatus());
        }
    }

    private static void ntpd(Row row, UnitState unit, boolean talks, ProbeSection np, ProbeSection nr,
            List<String> notes) {
        if (!talks) {
            row.verdict = Verdict.DAEMON_DOWN;
            down(notes, unit, "ntpq", np, np == null ? Optional.empty() : NtpqParsers.error(np.body()));
            return;
        }
        if (unit != null && !unit.active()) {
            notes.add(unit.describe() + " but ntpd answers");
        }
        try {
            row.sources = NtpqParsers.peers(np.body());
        } catch (IllegalArgumentException e) {
            row.verdict = Verdict.UNSYNCED;
            row.summarize = false;
            notes.add(0, "cannot parse ntpq peers: " + e.getMessage());
            return;
        }
        NtpSystemVars vars = null;
        if (nr != null && nr.ok() && NtpqParsers.error(nr.body()).isEmpty()) {
            try {
                vars = NtpqParsers.systemVars(nr.body());
            } catch (IllegalArgumentException e) {
                notes.add("cannot parse ntpq rv: " + e.getMessage());
            }
        }
        Source star = selected(row.sources);
        if (star != null) {
            row.selectedSource = star.address();
            row.reach = star.reach();
        }
        if (vars != null) {
            row.leap = vars.leap();
            row.stratum = vars.stratum();
            row.lastOffset = vars.offsetSeconds();
            row.rmsOffset = vars.sysJitterSeconds();
        }
        if (star != null) {
            if (row.stratum == null) {
                row.stratum = star.stratum() + 1;
            }
            if (row.lastOffset == null) {
                row.lastOffset = star.offsetSeconds();
            }
        }
        boolean local = star != null && (".LOCL.".equals(star.refid()) || star.address().startsWith("127.127.1."));
        if (star != null && !local) {
            row.verdict = Verdict.SYNCED;
        } else if (local) {
            row.verdict = Verdict.UNSYNCED;
            notes.add("only the local clock is selected (.LOCL.)");
        } else if (row.sources.stream().anyMatch(x -> !x.poolPlaceholder() && x.reachable())) {
            row.verdict = Verdict.SYNCING;
        } else {
            row.verdict = Verdict.UNSYNCED;
        }
        long pools = row.sources.stream().filter(Source::poolPlaceholder).count();
        if (pools > 0) {
            notes.add(pools + (pools == 1 ? " pool entry" : " pool entries"));
        }
        if (vars != null && star != null && ChronyParsers.LEAP_UNSYNCHRONISED.equals(vars.leap())) {
            notes.add("leap status " + vars.leap());
        }
    }

    /**
     * systemd-timesyncd is an SNTP client with one server at a time. "synced" here means: a server is
     * selected and its last reply was usable (a stratum from 1 to 15, no alarm leap indicator, not
     * ignored). The kernel's NTPSynchronized flag is not required: it stays "no" where timesyncd may not
     * adjust the clock (a container without CAP_SYS_TIME), which the detail then says.
     */
    private static void timesyncd(Row row, ProbeSection show, ProbeSection status, ProbeSection kernel, List<String> notes) {
        if (show == null || !show.ok()) {
            row.verdict = Verdict.DAEMON_DOWN;
            notes.add(0, show == null ? "timedatectl show-timesync did not run"
                    : show.notInstalled() ? "timedatectl is not installed" : "timedatectl show-timesync: "
                    + show.body().lines().findFirst().orElse("exit code " + show.exitCode()));
            return;
        }
        Map<String, String> v = keyValues(show.body());
        Map<String, String> msg = TimesyncdParsers.ntpMessage(v.getOrDefault("NTPMessage", ""));
        String name = v.getOrDefault("ServerName", "");
        String address = v.getOrDefault("ServerAddress", "");
        Integer stratum = TimesyncdParsers.integer(msg.get("Stratum"));
        Integer packets = TimesyncdParsers.integer(msg.get("PacketCount"));
        Integer leap = TimesyncdParsers.integer(msg.get("Leap"));
        Integer poll = TimesyncdParsers.pollLog2(v.get("PollIntervalUSec"));
        boolean replied = packets != null && packets > 0 && stratum != null;
        boolean usable = replied && stratum > 0 && stratum < 16 && leap != null && leap != 3 && !"yes".equals(msg.get("Ignored"));
        Double offset = status != null && status.ok() ? TimesyncdParsers.offsetSeconds(status.body()) : null;
        if (!address.isEmpty()) {
            row.sources = List.of(new Source(usable ? '*' : '?', usable ? '*' : '?', "server", address, null,
                    stratum == null ? 0 : stratum, poll == null ? 0 : poll, replied ? 1 : 0, null, offset, null, null,
                    status != null && status.ok() ? TimesyncdParsers.seconds(status.body(), "Delay") : null, null));
        }
        if (usable) {
            row.verdict = Verdict.SYNCED;
            row.selectedSource = address;
            row.stratum = stratum + 1;
            row.lastOffset = offset;
            row.leap = TimesyncdParsers.leap(leap);
        } else {
            row.verdict = address.isEmpty() && name.isEmpty() ? Verdict.UNSYNCED : Verdict.SYNCING;
        }
        row.summarize = false;
        String server = name.isEmpty() ? address : address.isEmpty() ? name : name + " (" + address + ")";
        notes.add(0, server.isEmpty() ? "systemd-timesyncd: no server selected"
                : "systemd-timesyncd: server " + server + (replied ? ", " + packets + (packets == 1 ? " reply" : " replies")
                + (poll == null ? "" : ", poll " + v.get("PollIntervalUSec")) : ", no reply yet"));
        if (replied && !usable) {
            notes.add("its reply is not usable (stratum " + stratum + ", leap " + leap + ")");
        }
        if (kernel != null && kernel.ok() && "no".equals(kernel.body().strip())) {
            notes.add("kernel clock not marked synchronised (NTPSynchronized=no: timesyncd could not adjust it, e.g. no CAP_SYS_TIME)");
        }
    }

    private static void down(List<String> notes, UnitState unit, String tool, ProbeSection section,
            Optional<String> error) {
        List<String> why = new ArrayList<>();
        if (unit != null && !unit.active()) {
            why.add(unit.describe());
        }
        if (section == null) {
            why.add(tool + " did not run");
        } else if (section.notInstalled()) {
            why.add(tool + " is not installed");
        } else if (section.exitCode() != null && section.exitCode() == ProbeSection.TIMED_OUT) {
            why.add(tool + " timed out");
        } else {
            String msg = error.orElseGet(() -> section.body().lines().map(String::strip).filter(l -> !l.isEmpty())
                    .findFirst().orElse("exit code " + section.exitCode()));
            why.add(msg.startsWith(tool + ":") ? msg : tool + ": " + msg);
        }
        notes.addAll(0, why);
    }

    private static Source selected(List<Source> sources) {
        return sources.stream().filter(x -> x.state() == '*').findFirst().orElse(null);
    }

    private static UnitState pick(List<UnitState> units, List<String> names) {
        UnitState loaded = null;
        for (String name : names) {
            for (UnitState u : units) {
                if (u.requested().equals(name) && u.loaded()) {
                    if (u.active()) {
                        return u;
                    }
                    if (loaded == null) {
                        loaded = u;
                    }
                }
            }
        }
        return loaded;
    }

    /** A short summary like {@code 3 sources, all ? (unreachable)} or {@code 4 sources: 1 *, 2 +, 1 ?}. */
    static String summarize(List<Source> sources) {
        Map<Character, Integer> counts = HostStatus.countStates(sources);
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        if (total == 0) {
            return "no sources";
        }
        String noun = total == 1 ? " source" : " sources";
        List<Character> present = HostStatus.STATES.stream().filter(c -> counts.get(c) > 0).toList();
        if (present.size() == 1) {
            char c = present.get(0);
            return total + noun + ", " + (total == 1 ? "" : "all ") + c + " (" + meaning(c, sources) + ")";
        }
        StringJoiner j = new StringJoiner(", ", total + noun + ": ", "");
        present.forEach(c -> j.add(counts.get(c) + " " + c));
        return j.toString();
    }

    private static String meaning(char state, List<Source> sources) {
        return switch (state) {
            case '*' -> "selected";
            case '+' -> "combined";
            case '-' -> "not combined";
            case 'x' -> "falseticker";
            case '~' -> "too variable";
            default -> sources.stream().filter(s -> s.state() == '?' && !s.poolPlaceholder())
                    .allMatch(s -> !s.reachable()) ? "unreachable" : "not selectable yet";
        };
    }

    private static OffsetDateTime date(String s) {
        try {
            return s.isBlank() ? null : OffsetDateTime.parse(s.strip(), DATE);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String body(Map<String, ProbeSection> s, String name) {
        ProbeSection p = s.get(name);
        return p == null ? "" : p.body();
    }

    private static Map<String, String> keyValues(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : body.split("\\R")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return out;
    }

    private static String strip(StringBuilder body) {
        return body.toString().stripTrailing();
    }

    private static String oneLine(String s) {
        return String.join(" ", s.strip().split("\\s*\\R\\s*"));
    }

    /** Mutable accumulator for one host, turned into an immutable {@link HostStatus} at the end. */
    private static final class Row {
        final String host;
        final OffsetDateTime time;
        final String tz;
        Daemon daemon;
        Boolean active;
        Boolean enabled;
        String selectedSource;
        Integer stratum;
        Double lastOffset;
        Double rmsOffset;
        Integer reach;
        String leap;
        List<Source> sources = List.of();
        Verdict verdict;
        boolean summarize = true;

        Row(String host, OffsetDateTime time, String tz) {
            this.host = host;
            this.time = time;
            this.tz = tz;
        }

        HostStatus build(List<String> notes) {
            List<String> parts = new ArrayList<>();
            if (summarize && verdict != Verdict.DAEMON_DOWN) {
                parts.add(summarize(sources));
            }
            parts.addAll(notes);
            return new HostStatus(host, time, tz, daemon, active, enabled, selectedSource, stratum, lastOffset,
                    rmsOffset, reach, leap, HostStatus.countStates(sources), sources, verdict, String.join("; ", parts));
        }
    }
}
