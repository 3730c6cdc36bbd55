package io.tsync.facts;

import io.tsync.exec.Commands;
import io.tsync.exec.RemoteElapsed;
import io.tsync.transport.Bounds;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Gathers every fact tsync needs in ONE remote exec (a POSIX sh script with fixed content, no
 * interpolated values), and parses its output into {@link Facts}. Sections start with "@name".
 */
public final class FactsProbe {
    private FactsProbe() {}

    /** Units probed, in the order systemctl prints them. */
    public static final List<String> UNITS = List.of("chrony.service", "chronyd.service", "ntp.service", "ntpd.service",
            "ntpsec.service", "systemd-timesyncd.service", "openntpd.service");

    /** Config files tsync may manage on any platform. */
    public static final List<String> FILES = List.of("/etc/chrony/chrony.conf", "/etc/chrony.conf", "/etc/ntpsec/ntp.conf", "/etc/ntp.conf",
            "/etc/systemd/timesyncd.conf.d/tsync.conf");

    /** Key files tsync may manage on any platform (platform/Platforms): only owner, mode and SHA-256 are probed. */
    public static final List<String> KEY_FILES = List.of("/etc/chrony/chrony.keys", "/etc/chrony.keys", "/etc/ntpsec/ntp.keys", "/etc/ntp.keys",
            "/etc/ntp/keys");

    /** NTS trusted certificate files tsync may manage (nts_trusted_certs), probed like the key files. */
    public static final List<String> CERT_FILES = List.of("/etc/chrony/tsync-nts-ca.pem", "/etc/pki/chrony/tsync-nts-ca.pem");

    /**
     * Prints one "@keyfile PATH OWNER:GROUP MODE SHA256" line per existing key or certificate file ("-" when unreadable).
     * Two forks per file, one when it cannot be read (the probe runs without sudo): the hash is cut by the shell.
     */
    public static String keyFilesCommand() {
        return "echo @keyfiles; for f in " + String.join(" ", KEY_FILES) + " " + String.join(" ", CERT_FILES) + "; do if [ -f \"$f\" ]; then "
                + "h=; if [ -r \"$f\" ]; then h=$(sha256sum 2>/dev/null < \"$f\"); h=${h%% *}; fi; "
                + "echo \"$f $(stat -c '%U:%G %a' \"$f\") ${h:--}\"; fi; done";
    }

    /** The script; it ends by saying how long it ran on the host ({@link RemoteElapsed}, label "facts"). */
    public static String command() {
        return RemoteElapsed.wrap("facts", script());
    }

    /**
     * POSIX sh, and as few forks as it can (each costs a host a few ms of CPU per run, on every host, every run):
     * files are read, globs listed and lines picked by the shell's builtins ({@code tsync_lines}: the lines of the
     * readable files among its arguments that match a case pattern); what remains is a program per fact
     * (readlink, systemd-detect-virt, dpkg-query, one systemctl for every unit, and per file present wc and base64
     * or stat and sha256sum).
     */
    private static String script() {
        return String.join("\n",
                "export LC_ALL=C",
                "tsync_lines() { p=$1; shift; for f in \"$@\"; do if [ -r \"$f\" ]; then while IFS= read -r l || [ -n \"$l\" ]; do "
                        + "case $l in $p) printf '%s\\n' \"$l\";; esac; done < \"$f\"; fi; done; }",
                "echo @os; tsync_lines '*' /etc/os-release",
                "echo @tz; readlink /etc/localtime 2>/dev/null || true",
                "echo @tzfile; tsync_lines '*' /etc/timezone",
                "echo @tzdb; if [ -d /usr/share/zoneinfo ]; then echo present; else echo absent; fi",
                "echo @pending; for f in " + Commands.PENDING_DIR + "/*.restart-pending; do if [ -e \"$f\" ] || [ -L \"$f\" ]; then "
                        + "f=${f##*/}; echo \"${f%.restart-pending}\"; fi; done",
                "echo @virt; systemd-detect-virt 2>/dev/null || true",
                "echo @pm; for p in apt-get dnf yum; do command -v $p >/dev/null 2>&1 && echo $p; done",
                "echo @pkgs",
                "if command -v dpkg-query >/dev/null 2>&1; then dpkg-query -W -f='${Package}\\t${db:Status-Abbrev}\\t${Version}\\n' chrony ntp ntpsec systemd-timesyncd 2>/dev/null; fi",
                "if command -v rpm >/dev/null 2>&1; then for p in chrony ntp; do rpm -q --qf '%{NAME}\\tii \\t%{VERSION}-%{RELEASE}\\n' $p 2>/dev/null | grep -v 'not installed'; done; fi",
                // ExecStart too: chronyd's arguments for @clock, from the same systemctl
                "echo @units; systemctl show -p Id,LoadState,ActiveState,UnitFileState,ConditionResult,ExecStart " + String.join(" ", UNITS) + " 2>/dev/null",
                // the size first: a file past the bound is named, not sent (the controller checks again what it gets)
                "for f in " + String.join(" ", FILES) + "; do if [ -f \"$f\" ]; then s=$(wc -c < \"$f\" 2>/dev/null); "
                        + "if [ \"${s:-0}\" -gt " + Bounds.CONFIG_FILE + " ]; then echo \"" + TOO_LARGE + " $s $f\"; "
                        + "else echo \"@file $f\"; base64 -w0 < \"$f\"; echo; fi; fi; done",
                // can chronyd set the clock? (containers: no CAP_SYS_TIME; lab and LXC units: chronyd -x). /proc/self is the shell.
                "echo @clock; tsync_lines 'CapBnd:*' /proc/self/status; "
                        + "for f in /etc/default/chrony /etc/sysconfig/chronyd; do if [ -r \"$f\" ]; then while IFS= read -r l || [ -n \"$l\" ]; do "
                        + "case ${l#\"${l%%[! ]*}\"} in DAEMON_OPTS=*|OPTIONS=*) printf '%s\\n' \"$l\";; esac; done < \"$f\"; fi; done",
                "echo @ptp; for f in /dev/ptp*; do if [ -e \"$f\" ] || [ -L \"$f\" ]; then echo \"$f\"; fi; done",
                keyFilesCommand(),
                "echo @tsdropins; for d in /etc/systemd/timesyncd.conf.d /run/systemd/timesyncd.conf.d /usr/lib/systemd/timesyncd.conf.d; do "
                        + "for f in \"$d\"/*.conf; do if [ -e \"$f\" ] || [ -L \"$f\" ]; then echo \"${f##*/}\"; fi; done; done",
                // Debian masks a removed package's unit and records it here; reinstalling lifts that mask
                "echo @dshmasked; for f in /var/lib/systemd/deb-systemd-helper-masked/*; do if [ -e \"$f\" ] || [ -L \"$f\" ]; then "
                        + "echo \"${f##*/}\"; fi; done",
                "echo @end",
                "");
    }

    /** What the probe prints instead of a config file past {@link Bounds#CONFIG_FILE}: "@toolarge BYTES PATH". */
    static final String TOO_LARGE = "@toolarge";

    /**
     * The exact bytes of each config file in the probe's output ("@file PATH" then one base64 line), by path.
     * A file past {@link Bounds#CONFIG_FILE}, named by the host or found in what it sent, fails the host.
     */
    public static Map<String, byte[]> fileBytes(String output) throws FactsException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        String[] lines = output.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith(TOO_LARGE + " ")) {
                String[] f = lines[i].split(" ", 3);
                long size = f.length == 3 && f[1].matches("[0-9]{1,18}") ? Long.parseLong(f[1]) : -1;
                throw tooLarge(f.length == 3 ? f[2] : "a config file", size);
            }
            if (lines[i].startsWith("@file ") && i + 1 < lines.length) {
                String name = lines[i].substring(6);
                String b64 = lines[++i].strip();
                // 4 base64 characters per 3 bytes: check before decoding, the host may have ignored the bound
                long decoded = b64.length() / 4L * 3 - (b64.endsWith("==") ? 2 : b64.endsWith("=") ? 1 : 0);
                if (decoded > Bounds.CONFIG_FILE) {
                    throw tooLarge(name, decoded);
                }
                try {
                    files.put(name, Base64.getDecoder().decode(b64));
                } catch (IllegalArgumentException e) {
                    throw new FactsException("cannot decode content of " + name);
                }
            }
        }
        return files;
    }

    /** "/etc/chrony/chrony.conf is 300 MiB; tsync reads config files up to 256 KiB: ..." */
    static FactsException tooLarge(String path, long size) {
        return new FactsException(path + " is " + (size < 0 ? "too large" : Bounds.size(size)) + "; tsync reads config files up to "
                + Bounds.size(Bounds.CONFIG_FILE) + " (a time daemon's config is a few KiB), so nothing was changed on this host:"
                + " look at what wrote it, then move it away (tsync writes it anew) and apply again");
    }

    public static Facts parse(String output) throws FactsException {
        if (!output.contains("\n@end")) {
            throw new FactsException("facts output is incomplete (no @end marker): " + abbreviate(output));
        }
        Map<String, List<String>> sections = new LinkedHashMap<>();
        Map<String, String> files = new LinkedHashMap<>();
        fileBytes(output).forEach((name, bytes) -> files.put(name, new String(bytes, StandardCharsets.UTF_8)));
        List<String> current = null;
        boolean fileContent = false;
        for (String line : output.split("\n", -1)) {
            if (fileContent) {
                fileContent = false;
                continue;
            }
            if (line.startsWith("@file ")) {
                fileContent = true;
                current = null;
                continue;
            }
            if (line.startsWith("@")) {
                current = new ArrayList<>();
                sections.put(line.substring(1).strip(), current);
                continue;
            }
            if (current != null) {
                current.add(line);
            }
        }
        Map<String, String> os = new LinkedHashMap<>();
        for (String l : sections.getOrDefault("os", List.of())) {
            int eq = l.indexOf('=');
            if (eq > 0) {
                os.put(l.substring(0, eq), unquote(l.substring(eq + 1)));
            }
        }
        String tz = timezone(first(sections.get("tz")), first(sections.get("tzfile")));
        Map<String, String> packages = new LinkedHashMap<>();
        for (String l : sections.getOrDefault("pkgs", List.of())) {
            String[] f = l.split("\t");
            if (f.length >= 2 && f[1].startsWith("ii")) {
                packages.put(f[0].strip(), f.length > 2 ? f[2].strip() : "");
            }
        }
        Map<String, Facts.Unit> units = units(sections.getOrDefault("units", List.of()));
        List<String> pms = sections.getOrDefault("pm", List.of()).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        return new Facts(os.getOrDefault("ID", ""), os.getOrDefault("ID_LIKE", ""), os.getOrDefault("VERSION_ID", ""),
                os.getOrDefault("PRETTY_NAME", ""), first(sections.get("virt")), tz, pms, packages, units, files,
                !"absent".equals(first(sections.get("tzdb"))),
                sections.getOrDefault("pending", List.of()).stream().map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet()),
                nonBlank(sections.get("ptp")), clock(clockLines(sections)),
                keyFiles(sections.getOrDefault("keyfiles", List.of())), nonBlank(sections.get("tsdropins")),
                Set.copyOf(nonBlank(sections.get("dshmasked"))));
    }

    private static List<String> nonBlank(List<String> lines) {
        return lines == null ? List.of() : lines.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /**
     * The @clock section's lines and chronyd's argv[]= lines: in @clock as older probes printed them (a systemctl
     * and a grep of their own), or cut here from the ExecStart= lines of chrony's units in @units.
     */
    static List<String> clockLines(Map<String, List<String>> sections) {
        List<String> lines = new ArrayList<>(sections.getOrDefault("clock", List.of()));
        int block = 0;
        boolean inBlock = false;
        // blocks as units() counts them: blank lines end a block that has lines
        for (String l : sections.getOrDefault("units", List.of())) {
            if (l.isBlank()) {
                block += inBlock ? 1 : 0;
                inBlock = false;
                continue;
            }
            inBlock = true;
            if (l.startsWith("ExecStart=") && block < UNITS.size() && UNITS.get(block).startsWith("chrony")) {
                Matcher m = ARGV.matcher(l);
                while (m.find()) {
                    lines.add(m.group());
                }
            }
        }
        return lines;
    }

    /** What {@code grep -o 'argv\[\]=[^;]*'} took from systemctl's ExecStart= lines. */
    private static final Pattern ARGV = Pattern.compile("argv\\[\\]=[^;]*");

    /** The @clock section: "CapBnd: HEX", argv[]= lines of chronyd's units, DAEMON_OPTS= / OPTIONS= lines. */
    static Facts.ClockControl clock(List<String> lines) {
        Boolean cap = null;
        boolean x = false;
        for (String l : lines) {
            String t = l.strip();
            if (t.startsWith("CapBnd:")) {
                try {
                    // CAP_SYS_TIME is capability 25
                    cap = (Long.parseUnsignedLong(t.substring(7).strip(), 16) >> 25 & 1) == 1;
                } catch (NumberFormatException e) {
                    cap = null;
                }
            } else if (t.startsWith("argv[]=") || t.matches("(DAEMON_OPTS|OPTIONS)=.*")) {
                String args = t.substring(t.indexOf('=') + 1).replace("\"", " ").replace("'", " ");
                if (t.startsWith("argv[]=") && !args.contains("chronyd")) {
                    continue;
                }
                for (String w : args.strip().split("\\s+")) {
                    if (w.equals("-x")) {
                        x = true;
                    }
                }
            }
        }
        return new Facts.ClockControl(cap, x);
    }

    /** Parses "@keyfiles" lines (see {@link #keyFilesCommand()}), by path. */
    public static Map<String, Facts.KeyFileState> keyFiles(List<String> lines) {
        Map<String, Facts.KeyFileState> out = new LinkedHashMap<>();
        for (String l : lines) {
            String[] f = l.strip().split("\\s+");
            if (f.length == 4 && f[1].contains(":")) {
                String[] og = f[1].split(":", 2);
                out.put(f[0], new Facts.KeyFileState(og[0], og[1], f[2], f[3].equals("-") ? null : f[3]));
            }
        }
        return out;
    }

    /** The key-file lines of any output holding a "@keyfiles" section (the privileged re-read). */
    public static Map<String, Facts.KeyFileState> keyFiles(String output) {
        List<String> lines = new ArrayList<>();
        boolean in = false;
        for (String l : output.split("\n")) {
            if (l.startsWith("@")) {
                in = l.strip().equals("@keyfiles");
                continue;
            }
            if (in) {
                lines.add(l);
            }
        }
        return keyFiles(lines);
    }

    /** Parses {@code systemctl show} blocks (blank-line separated, in the order of {@link #UNITS}). */
    static Map<String, Facts.Unit> units(List<String> lines) {
        Map<String, Facts.Unit> out = new LinkedHashMap<>();
        List<Map<String, String>> blocks = new ArrayList<>();
        Map<String, String> cur = new LinkedHashMap<>();
        for (String l : lines) {
            if (l.isBlank()) {
                if (!cur.isEmpty()) {
                    blocks.add(cur);
                    cur = new LinkedHashMap<>();
                }
                continue;
            }
            int eq = l.indexOf('=');
            if (eq > 0) {
                cur.put(l.substring(0, eq), l.substring(eq + 1).strip());
            }
        }
        if (!cur.isEmpty()) {
            blocks.add(cur);
        }
        for (int i = 0; i < blocks.size() && i < UNITS.size(); i++) {
            Map<String, String> b = blocks.get(i);
            String name = UNITS.get(i);
            out.put(name, new Facts.Unit(name, b.getOrDefault("Id", name), b.getOrDefault("LoadState", ""),
                    b.getOrDefault("ActiveState", ""), b.getOrDefault("UnitFileState", ""), b.getOrDefault("ConditionResult", "")));
        }
        return out;
    }

    static String timezone(String link, String file) {
        if (link != null && !link.isBlank()) {
            int i = link.indexOf("zoneinfo/");
            if (i >= 0) {
                String tz = link.substring(i + "zoneinfo/".length()).strip();
                if (tz.startsWith("posix/")) {
                    tz = tz.substring(6);
                }
                return tz;
            }
        }
        return file == null || file.isBlank() ? "Etc/UTC" : file.strip();
    }

    private static String first(List<String> lines) {
        if (lines == null) {
            return "";
        }
        return lines.stream().map(String::strip).filter(s -> !s.isEmpty()).findFirst().orElse("");
    }

    private static String unquote(String v) {
        String s = v.strip();
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }

    /** The facts output could not be understood. */
    public static final class FactsException extends Exception {
        public FactsException(String message) {
            super(message);
        }
    }
}
