package io.tsync.transport;

import com.jcraft.jsch.ConfigRepository;
import io.tsync.load.Grammar;
import io.tsync.load.Problem;
import io.tsync.model.Host;
import io.tsync.model.Location;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What tsync does with the ssh options an inventory and an OpenSSH config give, said before any
 * host is contacted: an option it does not honour is a warning naming the option, the hosts and
 * where it was set (never silence: a host may then be reached another way than with ssh); a
 * ProxyCommand that cannot be built for a host (an unknown token, a host or user name that would
 * be shell in the command) is an error located where the value was set.
 */
public final class SshReachCheck {
    private SshReachCheck() {}

    /** What the check found: errors (nothing is contacted) and warnings. */
    public record Result(List<Problem> problems, List<Problem> warnings) {}

    /** Options tsync honours from the ssh config (the inventory's values come first). */
    private static final Set<String> HONOURED_IN_CONFIG = lower("Host", "HostName", "User", "Port", "IdentityFile", "ProxyJump",
            "ProxyCommand", "ConnectTimeout", "ServerAliveInterval");

    /**
     * Options that do not change which host is reached or whether it is: multiplexing (tsync keeps one
     * connection per host itself), forwardings, logging, terminal and agent settings, the way a person
     * is asked for a password.
     */
    private static final Set<String> HARMLESS = lower("ControlMaster", "ControlPath", "ControlPersist", "ControlCommand", "LogLevel",
            "LogFile", "Compression", "CompressionLevel", "ForwardAgent", "ForwardX11", "ForwardX11Trusted", "ForwardX11Timeout",
            "RequestTTY", "ServerAliveCountMax", "TCPKeepAlive", "VisualHostKey", "HashKnownHosts", "PermitLocalCommand", "LocalCommand",
            "LocalForward", "RemoteForward", "DynamicForward", "ExitOnForwardFailure", "ClearAllForwardings", "GatewayPorts",
            "SendEnv", "SetEnv", "AddKeysToAgent", "UseKeychain", "IdentitiesOnly", "UpdateHostKeys", "CheckHostIP",
            "GSSAPIAuthentication", "GSSAPIDelegateCredentials", "PasswordAuthentication", "KbdInteractiveAuthentication",
            "ChallengeResponseAuthentication", "PubkeyAuthentication", "PreferredAuthentications", "BatchMode",
            "NumberOfPasswordPrompts", "EscapeChar", "ConnectionAttempts", "IPQoS", "StreamLocalBindUnlink", "StreamLocalBindMask",
            "ForkAfterAuthentication", "SessionType", "StdinNull", "EnableEscapeCommandline", "ObscureKeystrokeTiming",
            "Protocol", "UseRoaming", "StdioForward", "Query", "WarnWeakCrypto");

    /** Values that leave ssh as it is without the option (nothing to warn about). */
    private static final Map<String, Set<String>> NO_EFFECT = Map.of(
            "stricthostkeychecking", Set.of("yes"), "proxyusefdpass", Set.of("no"), "tunnel", Set.of("no"),
            "canonicalizehostname", Set.of("no"), "addressfamily", Set.of("any"), "bindaddress", Set.of("none"),
            "bindinterface", Set.of("none"));

    /** The fix for an option tsync does not honour, where tsync has its own way to say it. */
    private static final Map<String, String> FIX = Map.ofEntries(
            Map.entry("port", "set ansible_port"), Map.entry("user", "set ansible_user"),
            Map.entry("hostname", "set ansible_host"), Map.entry("identityfile", "set ansible_ssh_private_key_file"),
            Map.entry("configfile", "pass the file with --ssh-config FILE"),
            Map.entry("connecttimeout", "use tsync's --connect-timeout"), Map.entry("serveraliveinterval", "use tsync's --keepalive"),
            Map.entry("stricthostkeychecking", "tsync checks host keys strictly; --accept-new-hostkeys accepts unknown hosts (a changed key is always refused)"),
            Map.entry("userknownhostsfile", "name the file with --known-hosts FILE or tsync_known_hosts"),
            Map.entry("globalknownhostsfile", "name the file with --known-hosts FILE or tsync_known_hosts"),
            Map.entry("proxyusefdpass", "write a ProxyCommand that relays the connection on its stdin/stdout (tsync reads the command's stdout)"));

    /**
     * Checks every host's ssh args, the ssh config options that apply to it and its ProxyCommand.
     *
     * @param cfg the parsed OpenSSH config, or null
     * @param cfgFile its path, for messages (null without a config)
     * @param cfgText its text: the keywords it uses and their lines (JSch exposes neither)
     */
    public static Result check(List<Host> hosts, ConfigRepository cfg, String cfgPath, String cfgText) {
        String cfgFile = cfgPath == null ? "ssh config" : cfgPath;
        List<Problem> problems = new ArrayList<>();
        Map<String, Pending> warnings = new LinkedHashMap<>();
        List<String> cfgLines = cfgText == null ? List.of() : cfgText.lines().toList();
        Set<String> cfgKeywords = keywords(cfgLines);
        for (Host h : hosts) {
            if (h.local()) {
                continue;
            }
            args(h, problems, warnings);
            ConfigRepository.Config c = cfg == null ? null : cfg.getConfig(h.address());
            if (c != null) {
                config(h, c, cfgFile, cfgLines, cfgKeywords, warnings);
            }
            try {
                proxyCommand(h, cfg, cfgFile, cfgLines, problems);
            } catch (IllegalArgumentException e) {
                // a ProxyJump hop that cannot be read (found by fuzzing: it used to end tsync with a NumberFormatException)
                Host.Var v = jumpVar(h);
                Location at = v != null ? v.location() : new Location(cfgFile, lineOf(cfgLines, "ProxyJump", null), 1);
                problems.add(new Problem(at.file(), at.line(), at.column(), "host '" + h.name() + "': " + e.getMessage(),
                        "write each ProxyJump hop as [user@]host[:port]"));
            }
        }
        if (cfg != null) {
            for (String kw : List.of("Match", "Include")) {
                if (cfgKeywords.contains(lower(kw))) {
                    int line = lineOf(cfgLines, kw, null);
                    warnings.put("cfg " + kw, new Pending(new Location(cfgFile, line, 1), kw.equals("Match")
                            ? "the ssh config has a Match block: tsync does not evaluate Match, it reads the options under it as part of the Host block above"
                            : "the ssh config has an Include: tsync does not read included files",
                            "write the options that reach these hosts in Host blocks of " + cfgFile + " or pass another file with --ssh-config"));
                }
            }
        }
        List<Problem> out = new ArrayList<>();
        for (Pending p : warnings.values()) {
            out.add(p.problem());
        }
        return new Result(problems, out);
    }

    /** A warning shared by hosts (one per option and place, naming the hosts it applies to). */
    private static final class Pending {
        final Location at;
        final String message;
        final String fix;
        final Set<String> hosts = new LinkedHashSet<>();

        Pending(Location at, String message, String fix) {
            this.at = at;
            this.message = message;
            this.fix = fix;
        }

        Problem problem() {
            String who = "";
            if (!hosts.isEmpty()) {
                List<String> names = new ArrayList<>(hosts);
                who = " (host" + (names.size() > 1 ? "s " : " ") + String.join(", ", names.subList(0, Math.min(5, names.size())))
                        + (names.size() > 5 ? " and " + (names.size() - 5) + " more" : "") + ")";
            }
            return new Problem(at == null ? "ssh" : at.file(), at == null ? 0 : at.line(), at == null ? 0 : at.column(), message + who, fix);
        }
    }

    private static void args(Host h, List<Problem> problems, Map<String, Pending> warnings) {
        for (String var : List.of("ansible_ssh_common_args", "ansible_ssh_extra_args")) {
            Host.Var v = h.vars().get(var);
            if (v == null || v.value() == null) {
                continue;
            }
            Location at = v.location() != null ? v.location() : new Location("inventory", 0, 0);
            List<SshArgs.Option> options;
            try {
                options = SshArgs.parse(String.valueOf(v.value()));
            } catch (IllegalArgumentException e) {
                addOnce(problems, new Problem(at.file(), at.line(), at.column(), var + " of host '" + h.name() + "' cannot be read as ssh reads it: " + e.getMessage(),
                        "close the quote; the value is split as a shell would split it"));
                continue;
            }
            for (SshArgs.Option o : options) {
                String k = lower(o.keyword());
                if (k.equals("proxyjump") || k.equals("proxycommand") || HARMLESS.contains(k) || noEffect(k, o.value())) {
                    continue;
                }
                String key = at + " " + o.written();
                warnings.computeIfAbsent(key, x -> new Pending(at, var + " has '" + o.written() + "' (" + o.keyword()
                        + "): tsync does not honour it and connects without it", FIX.getOrDefault(k, defaultFix()))).hosts.add(h.name());
            }
        }
    }

    private static void config(Host h, ConfigRepository.Config c, String cfgFile, List<String> lines, Set<String> keywords,
                               Map<String, Pending> warnings) {
        for (String k : keywords) {
            if (HONOURED_IN_CONFIG.contains(k) || HARMLESS.contains(k) || k.equals("match") || k.equals("include")) {
                continue;
            }
            String value = c.getValue(k);
            if (value == null || noEffect(k, value)) {
                continue;
            }
            String written = written(lines, k);
            Location at = new Location(cfgFile, lineOf(lines, written, value), 1);
            warnings.computeIfAbsent("cfg " + k + " " + value, x -> new Pending(at, "the ssh config sets " + written + " " + value
                    + ": tsync does not honour it and connects without it", FIX.getOrDefault(k, defaultFix()))).hosts.add(h.name());
        }
        String jump = c.getValue("ProxyJump");
        String command = c.getValue("ProxyCommand");
        if (!ProxyCommand.isNone(jump) && !ProxyCommand.isNone(command) && !fromArgs(h)) {
            warnings.computeIfAbsent("cfg both " + jump + " " + command, x -> new Pending(new Location(cfgFile, lineOf(lines, "ProxyCommand", command), 1),
                    "the ssh config gives both ProxyJump " + jump + " and ProxyCommand " + command + ": tsync uses the ProxyJump",
                    "keep one of them for these hosts (ssh uses the one written first)")).hosts.add(h.name());
        }
    }

    /** Whether the ssh args already chose how to reach the host (then the config's ProxyJump/ProxyCommand do not count). */
    private static boolean fromArgs(Host h) {
        for (String var : List.of("ansible_ssh_common_args", "ansible_ssh_extra_args")) {
            for (SshArgs.Option o : SshEndpoint.argsOf(h, var)) {
                String k = lower(o.keyword());
                if (k.equals("proxyjump") || k.equals("proxycommand")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The inventory variable that gives the host a ProxyJump (-J or -o ProxyJump), if one does. */
    private static Host.Var jumpVar(Host h) {
        for (String name : List.of("ansible_ssh_common_args", "ansible_ssh_extra_args")) {
            Host.Var v = h.vars().get(name);
            try {
                if (v != null && v.value() != null && SshArgs.parse(String.valueOf(v.value())).stream().anyMatch(o -> o.keyword().equalsIgnoreCase("ProxyJump"))) {
                    return v;
                }
            } catch (IllegalArgumentException e) {
                // unbalanced quotes: reported by args()
            }
        }
        return null;
    }

    /** The host's ProxyCommand (or its first bastion's) must expand to a command with plain names in it. */
    private static void proxyCommand(Host h, ConfigRepository cfg, String cfgFile, List<String> lines, List<Problem> problems) {
        SshEndpoint ep = SshEndpoint.resolve(h, cfg);
        SshEndpoint target = ep.proxyCommand() != null ? ep : !ep.jumps().isEmpty() && ep.jumps().get(0).proxyCommand() != null ? ep.jumps().get(0) : null;
        if (target == null) {
            return;
        }
        String original = target == ep ? h.address() : target.name();
        try {
            target.proxyCommandLine(original);
        } catch (IllegalArgumentException e) {
            ProxyCommand pc = target.proxyCommand();
            Location at;
            String fix;
            if (!Grammar.isHostOrAddress(target.host()) || !Grammar.isHostOrAddress(original)) {
                at = target == ep && h.vars().get("ansible_host") != null && !Grammar.isHostOrAddress(h.address()) ? h.vars().get("ansible_host").location()
                        : new Location(cfgFile, lineOf(lines, "HostName", target.host()), 1);
                fix = "give the host as a DNS name or an IP address";
            } else if (!Grammar.isUserName(target.user())) {
                at = target == ep && h.vars().get("ansible_user") != null ? h.vars().get("ansible_user").location()
                        : new Location(cfgFile, lineOf(lines, "User", target.user()), 1);
                fix = "give a plain user name";
            } else {
                Host.Var v = h.vars().get(pc.source());
                at = v != null && v.location() != null ? v.location() : new Location(cfgFile, lineOf(lines, "ProxyCommand", null), 1);
                fix = "use the tokens %h, %n, %p, %r and %% only";
            }
            if (at == null) {
                at = new Location("inventory", 0, 0);
            }
            addOnce(problems, new Problem(at.file(), at.line(), at.column(), (target == ep ? "host '" + h.name() + "'" : "bastion '" + target.name() + "' of host '" + h.name() + "'")
                    + ": " + e.getMessage() + " (ProxyCommand from " + pc.source() + ": " + pc.command() + ")", fix));
        }
    }

    private static boolean noEffect(String keyword, String value) {
        Set<String> none = NO_EFFECT.get(keyword);
        return none != null && value != null && none.contains(lower(value.strip()));
    }

    private static String defaultFix() {
        return "remove it, or reach the host in a way tsync honours (ansible_host/ansible_port/ansible_user, ProxyJump, ProxyCommand: README, SSH)";
    }

    /** The keywords an ssh config uses, lower case. */
    private static Set<String> keywords(List<String> lines) {
        Set<String> out = new LinkedHashSet<>();
        for (String l : lines) {
            String t = l.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            out.add(lower(t.split("[= \t]", 2)[0]));
        }
        return out;
    }

    /** The keyword as the file spells it. */
    private static String written(List<String> lines, String keyword) {
        for (String l : lines) {
            String k = l.strip().split("[= \t]", 2)[0];
            if (lower(k).equals(keyword)) {
                return k;
            }
        }
        return keyword;
    }

    /**
     * The line (from 1) setting {@code keyword} (to {@code value}, if given) when exactly one line does;
     * 0 when none or several do (the file is named without a line rather than with a wrong one).
     */
    static int lineOf(List<String> lines, String keyword, String value) {
        int found = 0;
        for (int i = 0; i < lines.size(); i++) {
            String[] kv = lines.get(i).strip().split("[= \t]", 2);
            if (lower(kv[0]).equals(lower(keyword)) && (value == null || kv.length > 1 && kv[1].strip().replaceFirst("^=\\s*", "").equals(value))) {
                if (found > 0) {
                    return 0;
                }
                found = i + 1;
            }
        }
        return found;
    }

    private static void addOnce(List<Problem> to, Problem p) {
        if (!to.contains(p)) {
            to.add(p);
        }
    }

    private static Set<String> lower(String... words) {
        Set<String> out = new LinkedHashSet<>();
        for (String w : words) {
            out.add(lower(w));
        }
        return out;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
