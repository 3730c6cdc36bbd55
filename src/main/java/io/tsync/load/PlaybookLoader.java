package io.tsync.load;

import io.tsync.model.Daemon;
import io.tsync.model.Location;
import io.tsync.model.MakeStep;
import io.tsync.model.NtpSpec;
import io.tsync.model.Play;
import io.tsync.model.Playbook;
import io.tsync.model.Rollout;
import io.tsync.model.Server;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Loads a playbook: one play (a mapping) or a list of plays. See README "Playbook" for the keys.
 * Every value is checked against {@link Grammar} here, before any host is contacted.
 */
public final class PlaybookLoader {
    static final Set<String> PLAY_KEYS = union(Set.of("name", "hosts", "timezone", "ntp"), RolloutKeys.KEYS);
    static final Set<String> NTP_KEYS = union(Set.of("daemon", "servers", "makestep", "step_now", "allow", "driftfile", "rtcsync", "stop"),
            AdvancedOptions.KEYS);
    static final Set<String> SERVER_KEYS = Set.of("host", "pool", "peer", "iburst", "prefer", "minpoll", "maxpoll", "nts",
            "trust", "require", "xleave", "key", "maxsources");
    static final Set<String> MAKESTEP_KEYS = Set.of("threshold", "limit");
    static final Set<String> KNOWN_SERVICES = Set.of("chrony", "chronyd", "ntp", "ntpd", "ntpsec", "systemd-timesyncd", "openntpd");
    public static final MakeStep DEFAULT_MAKESTEP = new MakeStep(1.0, 3);

    private PlaybookLoader() {}

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.addAll(b);
        return Collections.unmodifiableSet(out);
    }

    /** The playbook's serial, max_fail_percentage and on_unsynced, each from the first play declaring it. */
    public static Rollout rollout(Playbook pb) {
        return RolloutKeys.of(pb.plays());
    }

    public static Playbook load(Path file) throws InvalidInputException {
        String text = SafeYaml.readFile(file, "a playbook file", "name the playbook file itself, e.g. playbooks/site.yaml");
        return parse(file.toString(), SafeYaml.read(file.toString(), text));
    }

    public static Playbook parse(String file, Node root) throws InvalidInputException {
        Nodes n = new Nodes(file);
        List<Play> plays = new ArrayList<>();
        if (root instanceof SequenceNode seq) {
            if (seq.getValue().isEmpty()) {
                n.problem(root, "playbook has no plays", "add at least one play with 'hosts:' and 'timezone:' or 'ntp:'");
            }
            for (Node p : seq.getValue()) {
                Play play = play(n, p);
                if (play != null) {
                    plays.add(play);
                }
            }
        } else if (root instanceof MappingNode) {
            Play play = play(n, root);
            if (play != null) {
                plays.add(play);
            }
        } else {
            n.problem(root, "a playbook must be a play (mapping) or a list of plays, not " + Nodes.describe(root),
                    "start with 'hosts: all' and add 'timezone:' and/or 'ntp:'");
        }
        RolloutKeys.agree(n, plays);
        if (!n.problems.isEmpty()) {
            throw new InvalidInputException(n.problems);
        }
        return new Playbook(file, plays);
    }

    private static Play play(Nodes n, Node node) {
        Map<String, Node> m = n.map(node, "a play", PLAY_KEYS);
        if (m == null) {
            return null;
        }
        String name = m.containsKey("name") ? n.string(m.get("name"), "name") : null;
        String hosts = "all";
        if (m.containsKey("hosts")) {
            List<String> patterns = n.strings(m.get("hosts"), "hosts");
            if (patterns != null) {
                for (String p : patterns) {
                    if (!p.matches("[!&]?[A-Za-z0-9_.*?\\[\\]:-]+")) {
                        n.problem(m.get("hosts"), "hosts pattern '" + p + "' has characters outside names, globs and '!'",
                                "use host or group names, globs like web*, and !exclusions");
                    }
                }
                hosts = String.join(",", patterns);
            }
        } else {
            n.problem(node, "play has no 'hosts'", "add 'hosts: all' (or a group name) to the play");
        }
        String tz = null;
        if (m.containsKey("timezone")) {
            tz = timezone(n, m.get("timezone"));
        }
        NtpSpec ntp = m.containsKey("ntp") ? ntp(n, m.get("ntp"), null) : null;
        if (!m.containsKey("timezone") && !m.containsKey("ntp") && n.problems.isEmpty()) {
            n.problem(node, "play declares neither 'timezone' nor 'ntp': it would do nothing",
                    "add 'timezone: Area/City' and/or an 'ntp:' section");
        }
        return new Play(name == null ? hosts : name, hosts, tz, ntp, n.where(node), RolloutKeys.parse(n, m));
    }

    static String timezone(Nodes n, Node node) {
        String tz = n.string(node, "timezone");
        if (tz != null && !Grammar.isTimezone(tz)) {
            n.problem(node, "unknown timezone '" + tz.replace("\n", "\\n") + "'",
                    "did you mean '" + Grammar.suggestTimezone(tz) + "'? (`tsync timezones` lists them)");
            return null;
        }
        return tz;
    }

    /**
     * Parses an {@code ntp:} mapping. With a base, keys not given keep the base's values (used for
     * per-host {@code tsync_ntp} overrides); without one, defaults apply.
     */
    static NtpSpec ntp(Nodes n, Node node, NtpSpec base) {
        Map<String, Node> m = n.map(node, "ntp", NTP_KEYS);
        if (m == null) {
            return null;
        }
        Daemon daemon = base == null ? Daemon.CHRONY : base.daemon();
        if (m.containsKey("daemon")) {
            String d = n.string(m.get("daemon"), "daemon");
            if (d != null) {
                daemon = Daemon.fromKey(d);
                if (daemon == null) {
                    n.problem(m.get("daemon"), "unknown daemon '" + d + "'", "use 'chrony', 'ntpd' or 'timesyncd'");
                }
            }
        }
        List<Server> servers = base == null ? List.of() : base.servers();
        if (m.containsKey("servers")) {
            servers = servers(n, m.get("servers"), daemon);
        } else if (base == null) {
            n.problem(node, "ntp has no 'servers'", "add 'servers:' with at least one '- { host: NAME, iburst: true }'");
        }
        MakeStep makestep = base == null ? DEFAULT_MAKESTEP : base.makestep();
        if (m.containsKey("makestep")) {
            Map<String, Node> ms = n.map(m.get("makestep"), "makestep", MAKESTEP_KEYS);
            if (ms != null) {
                Double th = ms.containsKey("threshold") ? n.number(ms.get("threshold"), "makestep.threshold", 0.001, 1e9) : Double.valueOf(makestep.threshold());
                Integer lim = ms.containsKey("limit") ? n.integer(ms.get("limit"), "makestep.limit", -1, 1_000_000) : Integer.valueOf(makestep.limit());
                if (th != null && lim != null) {
                    makestep = new MakeStep(th, lim);
                }
            }
        }
        boolean stepNow = base != null && base.stepNow();
        if (m.containsKey("step_now")) {
            Boolean b = n.bool(m.get("step_now"), "step_now");
            stepNow = b != null && b;
        }
        List<String> allow = base == null ? List.of() : base.allow();
        if (m.containsKey("allow")) {
            allow = AdvancedOptions.networks(n, m.get("allow"), "allow");
        }
        String driftfile = base == null ? null : base.driftfile();
        if (m.containsKey("driftfile")) {
            String d = n.string(m.get("driftfile"), "driftfile");
            if (d != null && !Grammar.isAbsolutePath(d)) {
                n.problem(m.get("driftfile"), "driftfile '" + d.replace("\n", "\\n") + "' is not a plain absolute path",
                        "use a path like /var/lib/chrony/chrony.drift (letters, digits, . _ - /)");
            }
            driftfile = d;
        }
        boolean rtcsync = base != null && base.rtcsync();
        if (m.containsKey("rtcsync")) {
            Boolean b = n.bool(m.get("rtcsync"), "rtcsync");
            rtcsync = b != null && b;
        }
        List<String> stop = base == null ? null : base.stop();
        if (m.containsKey("stop")) {
            List<String> st = new ArrayList<>();
            for (Node item : items(m.get("stop"))) {
                String unit = n.string(item, "stop entry");
                if (unit != null && !KNOWN_SERVICES.contains(unit)) {
                    n.problem(item, "'" + unit.replace("\n", "\\n") + "' is not a time service tsync knows",
                            "list only: " + String.join(", ", new TreeSet<>(KNOWN_SERVICES)));
                } else if (unit != null) {
                    st.add(unit);
                }
            }
            stop = st;
        }
        NtpSpec.Advanced advanced = AdvancedOptions.parse(n, m, base == null ? NtpSpec.Advanced.NONE : base.advanced());
        if (daemon == null) {
            return null;
        }
        NtpSpec spec = new NtpSpec(daemon, servers, makestep, stepNow, allow, driftfile, rtcsync, stop, advanced);
        if (n.problems.isEmpty()) {
            n.problems.addAll(NtpChecks.problems(spec));
        }
        return spec;
    }

    /** The items of a list, or the node itself for a single scalar (so "stop: chrony" works). */
    private static List<Node> items(Node node) {
        return AdvancedOptions.items(node);
    }

    private static List<Server> servers(Nodes n, Node node, Daemon daemon) {
        List<Node> items = n.list(node, "servers");
        if (items == null) {
            return List.of();
        }
        if (items.isEmpty()) {
            n.problem(node, "servers is empty", "list at least one NTP server");
        }
        List<Server> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Node item : items) {
            Server s = server(n, item, daemon);
            if (s != null) {
                if (!seen.add(s.host())) {
                    n.problem(item, "server '" + s.host() + "' is listed twice", "remove the duplicate entry");
                }
                out.add(s);
            }
        }
        return out;
    }

    private static Server server(Nodes n, Node item, Daemon daemon) {
        if (item instanceof ScalarNode) {
            String h = n.string(item, "server");
            if (h == null) {
                return null;
            }
            if (!Grammar.isHostOrAddress(h)) {
                badHost(n, item, h);
                return null;
            }
            return new Server(h, Server.Kind.SERVER, true, false, null, null, false, false, false, false, null, null,
                    Map.of("entry", n.where(item)));
        }
        Map<String, Node> m = n.map(item, "a server entry", SERVER_KEYS);
        if (m == null) {
            return null;
        }
        List<Server.Kind> kinds = new ArrayList<>();
        for (Server.Kind k : Server.Kind.values()) {
            if (m.containsKey(k.yamlKey())) {
                kinds.add(k);
            }
        }
        if (kinds.size() != 1) {
            n.problem(item, "a server entry needs exactly one of 'host', 'pool' or 'peer'",
                    "write '- { host: ntp.example.com, iburst: true }', '- { pool: pool.ntp.org, iburst: true }' or '- { peer: ntp2.example.com }'");
            return null;
        }
        Server.Kind kind = kinds.get(0);
        Node hostNode = m.get(kind.yamlKey());
        Map<String, Location> at = new LinkedHashMap<>();
        at.put("entry", n.where(item));
        if (kind != Server.Kind.SERVER) {
            at.put(kind.yamlKey(), n.where(hostNode));
        }
        String host = n.string(hostNode, kind.yamlKey());
        if (host != null && !Grammar.isHostOrAddress(host)) {
            badHost(n, hostNode, host);
            host = null;
        }
        // a peer answers in symmetric mode; iburst is for client/server polls, so peers default to without
        boolean iburst = m.containsKey("iburst") ? Boolean.TRUE.equals(n.bool(m.get("iburst"), "iburst")) : kind != Server.Kind.PEER;
        boolean prefer = flag(n, m, "prefer", at);
        boolean nts = flag(n, m, "nts", at);
        boolean trust = flag(n, m, "trust", at);
        boolean require = flag(n, m, "require", at);
        boolean xleave = flag(n, m, "xleave", at);
        if (m.containsKey("iburst") && iburst) {
            at.put("iburst", n.where(m.get("iburst")));
        }
        Integer minpoll = m.containsKey("minpoll") ? n.integer(m.get("minpoll"), "minpoll", -6, 24) : null;
        Integer maxpoll = m.containsKey("maxpoll") ? n.integer(m.get("maxpoll"), "maxpoll", -6, 24) : null;
        if (minpoll != null && maxpoll != null && minpoll > maxpoll) {
            n.problem(m.get("minpoll"), "minpoll " + minpoll + " is greater than maxpoll " + maxpoll, "make minpoll <= maxpoll");
        }
        Integer key = m.containsKey("key") ? n.integer(m.get("key"), "key", 1, 65534) : null;
        Integer maxsources = m.containsKey("maxsources") ? n.integer(m.get("maxsources"), "maxsources", 1, 16) : null;
        for (String opt : List.of("minpoll", "maxpoll", "key", "maxsources")) {
            if (m.containsKey(opt)) {
                at.put(opt, n.where(m.get(opt)));
            }
        }
        if (maxsources != null && kind != Server.Kind.POOL) {
            n.problem(m.get("maxsources"), "maxsources applies to a pool only", "use it on a '- { pool: NAME }' entry, or remove it");
        }
        return host == null ? null : new Server(host, kind, iburst, prefer, minpoll, maxpoll, nts, trust, require, xleave, key, maxsources, at);
    }

    /** A boolean server option; recorded in {@code at} when true (an option in use). */
    private static boolean flag(Nodes n, Map<String, Node> m, String key, Map<String, Location> at) {
        if (!m.containsKey(key)) {
            return false;
        }
        boolean v = Boolean.TRUE.equals(n.bool(m.get(key), key));
        if (v) {
            at.put(key, n.where(m.get(key)));
        }
        return v;
    }

    private static void badHost(Nodes n, Node at, String h) {
        n.problem(at, "'" + h.replace("\n", "\\n") + "' is not a valid hostname or IP address",
                "use a DNS name (letters, digits, '-', '.') or an IPv4/IPv6 address, one per entry");
    }

    /** The effective NTP spec for a host: the play's, with the host's {@code tsync_ntp} keys replacing play keys. */
    public static NtpSpec override(NtpSpec play, Node hostNtp, Location at) throws InvalidInputException {
        Nodes n = new Nodes(at.file());
        NtpSpec out = ntp(n, hostNtp, play);
        if (!n.problems.isEmpty()) {
            throw new InvalidInputException(n.problems);
        }
        return out;
    }

    public static String overrideTimezone(Node tz, Location at) throws InvalidInputException {
        Nodes n = new Nodes(at.file());
        String out = timezone(n, tz);
        if (!n.problems.isEmpty()) {
            throw new InvalidInputException(n.problems);
        }
        return out;
    }
}
