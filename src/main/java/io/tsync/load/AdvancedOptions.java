package io.tsync.load;

import io.tsync.model.Location;
import io.tsync.model.NtpKey;
import io.tsync.model.NtpSpec;
import io.tsync.model.NtpSpec.Advanced;
import io.tsync.model.Refclock;
import io.tsync.model.TrustedCerts;
import io.tsync.platform.DaemonOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The {@code ntp:} keys beyond the seed's (README "Playbook", docs/ntp.md): selection limits, the
 * server role, leap seconds, keys, reference clocks, systemd-timesyncd's settings and {@code extra}.
 * Like {@link PlaybookLoader#ntp}, keys not given keep the base's values (a host's {@code tsync_ntp}).
 * Whether the daemon can do each is checked afterwards, on the merged spec ({@link DaemonOptions}).
 */
final class AdvancedOptions {
    static final Set<String> KEYS = Set.of("minsources", "maxdistance", "maxchange", "deny", "local", "bindaddress", "cmdport",
            "leapsectz", "leapsecmode", "maxslewrate", "smoothtime", "keys", "authselectmode", "refclocks", "fallback", "poll_interval", "dhcp_servers",
            "extra", "nts_trusted_certs");
    static final Set<String> KEY_ENTRY_KEYS = Set.of("id", "type", "value_from_env", "value_from_file", "value");
    static final Set<String> KEY_TYPES = new TreeSet<>(Set.of("MD5", "SHA1", "SHA256", "SHA384", "SHA512"));
    static final Set<String> LEAPSECMODES = new TreeSet<>(Set.of("system", "step", "slew", "ignore"));
    static final Set<String> AUTHSELECTMODES = new TreeSet<>(Set.of("require", "prefer", "mix", "ignore"));

    /** Seed keys whose use a daemon may refuse, and when they count as used. */
    private static final Set<String> SEED_KEYS = Set.of("makestep", "step_now", "driftfile", "rtcsync", "allow");

    private AdvancedOptions() {}

    static Advanced parse(Nodes n, Map<String, Node> m, Advanced base) {
        Map<String, Location> at = new LinkedHashMap<>(base.at());
        for (String k : m.keySet()) {
            if (KEYS.contains(k) || SEED_KEYS.contains(k)) {
                at.remove(k);
            }
        }
        if (m.containsKey("local")) {
            at.remove("local.distance");
        }
        if (m.containsKey("extra")) {
            at.keySet().removeIf(k -> k.startsWith("extra["));
        }
        // seed keys: in use when given (booleans: when true; lists: when not empty)
        for (String k : SEED_KEYS) {
            Node v = m.get(k);
            if (v != null && inUse(v)) {
                at.put(k, n.where(v));
            }
        }
        Integer minsources = base.minsources();
        if (m.containsKey("minsources")) {
            minsources = n.integer(m.get("minsources"), "minsources", 1, 16);
            used(n, at, m, "minsources", minsources != null);
        }
        Double maxdistance = base.maxdistance();
        if (m.containsKey("maxdistance")) {
            maxdistance = n.number(m.get("maxdistance"), "maxdistance", 0.001, 1000);
            used(n, at, m, "maxdistance", maxdistance != null);
        }
        NtpSpec.MaxChange maxchange = base.maxchange();
        if (m.containsKey("maxchange")) {
            maxchange = null;
            Map<String, Node> mc = n.map(m.get("maxchange"), "maxchange", Set.of("offset", "start", "ignore"));
            if (mc != null) {
                if (!mc.containsKey("offset")) {
                    n.problem(m.get("maxchange"), "maxchange needs 'offset'", "write maxchange: { offset: 1000, start: 1, ignore: 2 } (seconds; updates)");
                } else {
                    Double off = n.number(mc.get("offset"), "maxchange.offset", 0.001, 1e9);
                    Integer start = mc.containsKey("start") ? n.integer(mc.get("start"), "maxchange.start", 0, 1_000_000) : Integer.valueOf(1);
                    Integer ignore = mc.containsKey("ignore") ? n.integer(mc.get("ignore"), "maxchange.ignore", -1, 1_000_000) : Integer.valueOf(2);
                    if (off != null && start != null && ignore != null) {
                        maxchange = new NtpSpec.MaxChange(off, start, ignore);
                    }
                }
            }
            used(n, at, m, "maxchange", maxchange != null);
        }
        List<String> deny = base.deny();
        if (m.containsKey("deny")) {
            deny = networks(n, m.get("deny"), "deny");
            used(n, at, m, "deny", !deny.isEmpty());
        }
        NtpSpec.Local local = base.local();
        if (m.containsKey("local")) {
            local = null;
            Map<String, Node> lm = n.map(m.get("local"), "local", Set.of("stratum", "orphan", "distance"));
            if (lm != null) {
                if (!lm.containsKey("stratum")) {
                    n.problem(m.get("local"), "local needs 'stratum'",
                            "write local: { stratum: 9, orphan: true } (a stratum above your upstreams', so real sources win)");
                } else {
                    Integer st = n.integer(lm.get("stratum"), "local.stratum", 1, 15);
                    boolean orphan = lm.containsKey("orphan") && Boolean.TRUE.equals(n.bool(lm.get("orphan"), "local.orphan"));
                    Double distance = lm.containsKey("distance") ? n.number(lm.get("distance"), "local.distance", 0.000001, 1000) : null;
                    if (distance != null) {
                        at.put("local.distance", n.where(lm.get("distance")));
                    }
                    if (st != null) {
                        local = new NtpSpec.Local(st, orphan, distance);
                    }
                }
            }
            used(n, at, m, "local", local != null);
        }
        List<String> bind = base.bindaddress();
        if (m.containsKey("bindaddress")) {
            bind = new ArrayList<>();
            boolean v4 = false;
            boolean v6 = false;
            for (Node item : items(m.get("bindaddress"))) {
                String a = n.string(item, "bindaddress entry");
                if (a == null) {
                    continue;
                }
                if (!Grammar.isAddress(a)) {
                    n.problem(item, "bindaddress '" + a.replace("\n", "\\n") + "' is not an IP address",
                            "write this host's own address, e.g. 10.0.0.11 (one IPv4 and/or one IPv6)");
                } else if (Grammar.isIpv4(a) ? v4 : v6) {
                    n.problem(item, "bindaddress has a second " + (Grammar.isIpv4(a) ? "IPv4" : "IPv6") + " address '" + a + "'",
                            "chrony binds one address per family: keep one IPv4 and one IPv6 at most");
                } else {
                    v4 |= Grammar.isIpv4(a);
                    v6 |= !Grammar.isIpv4(a);
                    bind.add(a);
                }
            }
            used(n, at, m, "bindaddress", !bind.isEmpty());
        }
        Integer cmdport = base.cmdport();
        if (m.containsKey("cmdport")) {
            cmdport = n.integer(m.get("cmdport"), "cmdport", 0, 65535);
            used(n, at, m, "cmdport", cmdport != null);
        }
        String leapsectz = base.leapsectz();
        if (m.containsKey("leapsectz")) {
            leapsectz = n.string(m.get("leapsectz"), "leapsectz");
            if (leapsectz != null && !Grammar.isZoneName(leapsectz)) {
                n.problem(m.get("leapsectz"), "leapsectz '" + leapsectz.replace("\n", "\\n") + "' is not a tz database name",
                        "write right/UTC (a zone whose table has the leap seconds)");
                leapsectz = null;
            }
            used(n, at, m, "leapsectz", leapsectz != null);
        }
        String leapsecmode = base.leapsecmode();
        if (m.containsKey("leapsecmode")) {
            leapsecmode = n.string(m.get("leapsecmode"), "leapsecmode");
            if (leapsecmode != null && !LEAPSECMODES.contains(leapsecmode)) {
                n.problem(m.get("leapsecmode"), "unknown leapsecmode '" + leapsecmode.replace("\n", "\\n") + "'",
                        "use one of: " + String.join(", ", LEAPSECMODES));
                leapsecmode = null;
            }
            used(n, at, m, "leapsecmode", leapsecmode != null);
        }
        Double maxslewrate = base.maxslewrate();
        if (m.containsKey("maxslewrate")) {
            maxslewrate = n.number(m.get("maxslewrate"), "maxslewrate", 1, 83333.333);
            used(n, at, m, "maxslewrate", maxslewrate != null);
        }
        NtpSpec.SmoothTime smooth = base.smoothtime();
        if (m.containsKey("smoothtime")) {
            smooth = null;
            Map<String, Node> sm = n.map(m.get("smoothtime"), "smoothtime", Set.of("max_freq", "max_wander", "leaponly"));
            if (sm != null) {
                if (!sm.containsKey("max_freq") || !sm.containsKey("max_wander")) {
                    n.problem(m.get("smoothtime"), "smoothtime needs 'max_freq' and 'max_wander'",
                            "write smoothtime: { max_freq: 400, max_wander: 0.001, leaponly: true } (ppm, ppm per second)");
                } else {
                    Double f = n.number(sm.get("max_freq"), "smoothtime.max_freq", 0.001, 1e6);
                    Double w = n.number(sm.get("max_wander"), "smoothtime.max_wander", 0.000001, 1e6);
                    boolean leaponly = sm.containsKey("leaponly") && Boolean.TRUE.equals(n.bool(sm.get("leaponly"), "smoothtime.leaponly"));
                    if (f != null && w != null) {
                        smooth = new NtpSpec.SmoothTime(f, w, leaponly);
                    }
                }
            }
            used(n, at, m, "smoothtime", smooth != null);
        }
        List<NtpKey> keys = base.keys();
        if (m.containsKey("keys")) {
            keys = keys(n, m.get("keys"));
            used(n, at, m, "keys", !keys.isEmpty());
        }
        String authselect = base.authselectmode();
        if (m.containsKey("authselectmode")) {
            authselect = n.string(m.get("authselectmode"), "authselectmode");
            if (authselect != null && !AUTHSELECTMODES.contains(authselect)) {
                n.problem(m.get("authselectmode"), "unknown authselectmode '" + authselect.replace("\n", "\\n") + "'",
                        "use one of: " + String.join(", ", AUTHSELECTMODES));
                authselect = null;
            }
            used(n, at, m, "authselectmode", authselect != null);
        }
        List<Refclock> refclocks = base.refclocks();
        if (m.containsKey("refclocks")) {
            refclocks = refclocks(n, m.get("refclocks"));
            used(n, at, m, "refclocks", !refclocks.isEmpty());
        }
        List<String> fallback = base.fallback();
        if (m.containsKey("fallback")) {
            fallback = new ArrayList<>();
            for (Node item : items(m.get("fallback"))) {
                String h = n.string(item, "fallback entry");
                if (h != null && !Grammar.isHostOrAddress(h)) {
                    n.problem(item, "'" + h.replace("\n", "\\n") + "' is not a valid hostname or IP address",
                            "use a DNS name or an IPv4/IPv6 address, one per entry");
                } else if (h != null) {
                    fallback.add(h);
                }
            }
            used(n, at, m, "fallback", !fallback.isEmpty());
        }
        NtpSpec.PollInterval poll = base.pollInterval();
        if (m.containsKey("poll_interval")) {
            poll = null;
            Map<String, Node> pm = n.map(m.get("poll_interval"), "poll_interval", Set.of("min", "max"));
            if (pm != null) {
                // systemd-timesyncd refuses less than 16 s; its defaults are 32 s and 2048 s
                Integer min = pm.containsKey("min") ? n.integer(pm.get("min"), "poll_interval.min", 16, 1_000_000) : null;
                Integer max = pm.containsKey("max") ? n.integer(pm.get("max"), "poll_interval.max", 16, 1_000_000) : null;
                if (min != null && max != null && min > max) {
                    n.problem(pm.get("min"), "poll_interval.min " + min + " is greater than max " + max, "make min <= max");
                } else if (min != null || max != null) {
                    poll = new NtpSpec.PollInterval(min, max);
                }
            }
            used(n, at, m, "poll_interval", poll != null);
        }
        boolean dhcp = base.dhcpServers();
        if (m.containsKey("dhcp_servers")) {
            dhcp = Boolean.TRUE.equals(n.bool(m.get("dhcp_servers"), "dhcp_servers"));
            used(n, at, m, "dhcp_servers", dhcp);
        }
        List<String> extra = base.extra();
        if (m.containsKey("extra")) {
            extra = new ArrayList<>();
            List<Node> lines = n.list(m.get("extra"), "extra");
            for (Node item : lines == null ? List.<Node>of() : lines) {
                String line = n.string(item, "extra line");
                if (line == null) {
                    continue;
                }
                if (!Grammar.isConfigLine(line) || line.isBlank()) {
                    n.problem(item, "extra line '" + shown(line) + "' is not one line of printable text",
                            "write one config line per list item, without newlines or control characters");
                    continue;
                }
                at.put("extra[" + extra.size() + "]", n.where(item));
                extra.add(line.strip());
            }
            used(n, at, m, "extra", !extra.isEmpty());
        }
        TrustedCerts certs = base.ntsTrustedCerts();
        if (m.containsKey("nts_trusted_certs")) {
            certs = TrustedCertsFile.read(n, m.get("nts_trusted_certs"), Instant.now());
            used(n, at, m, "nts_trusted_certs", certs != null);
        }
        return new Advanced(minsources, maxdistance, maxchange, deny, local, bind, cmdport, leapsectz, leapsecmode, maxslewrate, smooth,
                keys, authselect, refclocks, fallback, poll, dhcp, extra, certs, at);
    }

    private static void used(Nodes n, Map<String, Location> at, Map<String, Node> m, String key, boolean inUse) {
        if (inUse) {
            at.put(key, n.where(m.get(key)));
        }
    }

    /** Whether a given seed value counts as "used": false, null and empty lists do not. */
    private static boolean inUse(Node v) {
        if (v instanceof ScalarNode s) {
            return !s.getTag().equals(Tag.NULL) && !(s.getTag().equals(Tag.BOOL) && s.getValue().toLowerCase(Locale.ROOT).matches("false|no|off"));
        }
        return !(v instanceof SequenceNode seq) || !seq.getValue().isEmpty();
    }

    static List<Node> items(Node node) {
        return node instanceof SequenceNode seq ? seq.getValue() : List.of(node);
    }

    static List<String> networks(Nodes n, Node node, String what) {
        List<String> out = new ArrayList<>();
        for (Node item : items(node)) {
            String net = n.string(item, what + " entry");
            if (net != null && !Grammar.isNetwork(net)) {
                n.problem(item, what + " entry '" + net.replace("\n", "\\n") + "' is not an address or CIDR network",
                        "write networks like 10.0.0.0/8 or 192.168.1.0/24");
            } else if (net != null) {
                out.add(net);
            }
        }
        return out;
    }

    private static List<NtpKey> keys(Nodes n, Node node) {
        List<NtpKey> out = new ArrayList<>();
        List<Node> items = n.list(node, "keys");
        if (items == null) {
            return out;
        }
        Set<Integer> ids = new LinkedHashSet<>();
        for (Node item : items) {
            Map<String, Node> k = n.map(item, "a key entry", KEY_ENTRY_KEYS);
            if (k == null) {
                continue;
            }
            if (k.containsKey("value")) {
                // never echo the value: it is the secret
                n.problem(k.get("value"), "a key's value may not be written in the playbook in clear",
                        "put it in an environment variable of the machine running tsync (value_from_env: TSYNC_NTP_KEY_1) "
                                + "or in a file kept out of version control (value_from_file: keys/ntp-1.key, relative to this file)");
                continue;
            }
            Integer id = k.containsKey("id") ? n.integer(k.get("id"), "key id", 1, 65534) : null;
            if (!k.containsKey("id")) {
                n.problem(item, "a key entry needs 'id'", "write - { id: 1, type: SHA256, value_from_env: TSYNC_NTP_KEY_1 }");
            } else if (id != null && !ids.add(id)) {
                n.problem(k.get("id"), "key id " + id + " is listed twice", "give each key its own id");
            }
            String type = "SHA256";
            if (k.containsKey("type")) {
                type = n.string(k.get("type"), "key type");
                if (type != null && !KEY_TYPES.contains(type.toUpperCase(Locale.ROOT))) {
                    n.problem(k.get("type"), "unknown key type '" + type.replace("\n", "\\n") + "'",
                            "use one of: " + String.join(", ", KEY_TYPES) + " (digests that chrony, ntp and ntpsec all read)");
                    type = null;
                } else if (type != null) {
                    type = type.toUpperCase(Locale.ROOT);
                }
            }
            String env = null;
            String file = null;
            if (k.containsKey("value_from_env") == k.containsKey("value_from_file")) {
                n.problem(item, "a key entry needs exactly one of 'value_from_env' or 'value_from_file'",
                        "write value_from_env: TSYNC_NTP_KEY_1 (an environment variable) or value_from_file: keys/ntp-1.key");
            } else if (k.containsKey("value_from_env")) {
                env = n.string(k.get("value_from_env"), "value_from_env");
                if (env != null && !Grammar.isEnvName(env)) {
                    n.problem(k.get("value_from_env"), "'" + env.replace("\n", "\\n") + "' is not an environment variable name",
                            "use letters, digits and '_', e.g. TSYNC_NTP_KEY_1");
                    env = null;
                }
            } else {
                String f = n.string(k.get("value_from_file"), "value_from_file");
                if (f != null && (f.isBlank() || f.indexOf('\0') >= 0 || f.contains("\n"))) {
                    n.problem(k.get("value_from_file"), "value_from_file is not a file name", "write a path relative to this file, e.g. keys/ntp-1.key");
                } else if (f != null) {
                    Path base = Path.of(n.file).toAbsolutePath().getParent();
                    file = (base == null ? Path.of(f) : base.resolve(f)).normalize().toString();
                }
            }
            if (id != null && type != null && (env != null || file != null)) {
                out.add(new NtpKey(id, type, env, file, null, n.where(item)));
            }
        }
        return out;
    }

    private static List<Refclock> refclocks(Nodes n, Node node) {
        List<Refclock> out = new ArrayList<>();
        List<Node> items = n.list(node, "refclocks");
        if (items == null) {
            return out;
        }
        for (Node item : items) {
            Map<String, Node> r = n.map(item, "a refclock entry", Set.of("phc", "poll", "dpoll", "offset", "prefer"));
            if (r == null) {
                continue;
            }
            if (!r.containsKey("phc")) {
                n.problem(item, "a refclock entry needs 'phc' (the PTP hardware clock device)",
                        "write - { phc: /dev/ptp0, poll: 3, dpoll: -2, offset: 0 } (KVM: /dev/ptp_kvm, Hyper-V: /dev/ptp_hyperv, AWS: /dev/ptp_ena)");
                continue;
            }
            String dev = n.string(r.get("phc"), "phc");
            if (dev != null && !Grammar.isPtpDevice(dev)) {
                n.problem(r.get("phc"), "'" + dev.replace("\n", "\\n") + "' is not a PTP clock device",
                        "use /dev/ptpN or a udev name like /dev/ptp_kvm, /dev/ptp_hyperv, /dev/ptp_ena");
                dev = null;
            }
            Integer poll = r.containsKey("poll") ? n.integer(r.get("poll"), "refclock poll", -6, 24) : null;
            Integer dpoll = r.containsKey("dpoll") ? n.integer(r.get("dpoll"), "refclock dpoll", -6, 24) : null;
            Double offset = r.containsKey("offset") ? n.number(r.get("offset"), "refclock offset", -1e6, 1e6) : null;
            boolean prefer = r.containsKey("prefer") && Boolean.TRUE.equals(n.bool(r.get("prefer"), "prefer"));
            if (dev != null) {
                out.add(new Refclock(dev, poll, dpoll, offset, prefer, n.where(item)));
            }
        }
        return out;
    }

    private static String shown(String s) {
        String t = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        StringBuilder b = new StringBuilder();
        for (char c : t.toCharArray()) {
            b.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }
}
