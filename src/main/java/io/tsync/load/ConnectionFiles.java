package io.tsync.load;

import io.tsync.model.Host;
import io.tsync.model.Location;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local files that connecting to the hosts reads and validating them does not: each host's
 * private key file and its known_hosts file. {@code apply}, {@code status} and {@code facts} refuse a
 * missing one before any connection; {@code validate} only notes it, because a pull-request check
 * has no secrets (README "CI and GitOps").
 */
public final class ConnectionFiles {
    private ConnectionFiles() {}

    /** The known_hosts file of a host: {@code --known-hosts}, else {@code tsync_known_hosts} (relative to the inventory), else ~/.ssh/known_hosts. */
    public static Path knownHosts(Host host, Path inventoryDir, Path option) {
        if (option != null) {
            return option;
        }
        if (host.var("tsync_known_hosts") != null) {
            return inventoryDir.resolve(host.var("tsync_known_hosts"));
        }
        return Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
    }

    /**
     * The key files and known_hosts files these hosts name that cannot be read here, one problem per
     * file and place it is named, located where the inventory (or the command line) names it. A
     * known_hosts file is not needed when {@code acceptNew} (it is created); the default
     * ~/.ssh/known_hosts is not checked here (a connection reports it).
     */
    public static List<Problem> missing(List<Host> hosts, Path inventoryDir, Path knownHostsOption, boolean acceptNew) {
        Map<String, Named> keys = new LinkedHashMap<>();
        Map<String, Named> knownHosts = new LinkedHashMap<>();
        for (Host h : hosts) {
            if (h.local()) {
                continue; // ansible_connection: local needs neither a key nor a host key
            }
            Host.Var k = h.vars().getOrDefault("ansible_ssh_private_key_file", h.vars().get("ansible_private_key_file"));
            if (h.keyFile() != null && k != null && !(Files.isRegularFile(Path.of(h.keyFile())) && Files.isReadable(Path.of(h.keyFile())))) {
                keys.computeIfAbsent(h.keyFile() + "@" + k.location(), x -> new Named(String.valueOf(k.value()), k.location())).hosts.add(h.name());
            }
            Host.Var kh = h.vars().get("tsync_known_hosts");
            if (knownHostsOption == null && (kh == null || kh.value() == null)) {
                continue;
            }
            Path p = knownHosts(h, inventoryDir, knownHostsOption);
            // --accept-new-hostkeys creates a missing file, but cannot keep keys in a directory or a device such as /dev/null
            if (acceptNew ? Files.exists(p) && !Files.isRegularFile(p) : !Files.isRegularFile(p)) {
                Location at = knownHostsOption != null ? new Location("--known-hosts", 0, 0) : kh.location();
                knownHosts.computeIfAbsent(p + "@" + at, x -> new Named(p.toString(), at)).hosts.add(h.name());
            }
        }
        List<Problem> out = new ArrayList<>();
        keys.values().forEach(n -> out.add(n.problem("private key file '" + n.file + "' of " + n.who() + " is missing or unreadable",
                "fix the path (relative paths are resolved against the inventory's folder) or the file's permissions")));
        knownHosts.values().forEach(n -> out.add(n.problem("known_hosts file " + n.file
                        + (n.at.line() > 0 ? " (tsync_known_hosts of " + n.who() + ")" : " (--known-hosts)")
                        + whatIsWrong(Path.of(n.file)),
                Files.exists(Path.of(n.file))
                        ? "name a regular file: tsync checks host keys against it and adds new ones there (an empty file and --accept-new-hostkeys start one)"
                        : "create it (ssh-keyscan HOST >> FILE, then verify the fingerprints) or run once with --accept-new-hostkeys")));
        return out;
    }

    /** Why a known_hosts path is not a file to keep host keys in, as an operator would say it. */
    static String whatIsWrong(Path p) {
        if (!Files.exists(p)) {
            return " does not exist";
        }
        if (Files.isDirectory(p)) {
            return " is a directory";
        }
        return " is not a regular file (" + (p.startsWith("/dev") ? "a device" : "a device, pipe or socket") + ")";
    }

    /** A file as the inventory names it, where, and the hosts that use it. */
    private record Named(String file, Location at, List<String> hosts) {
        Named(String file, Location at) {
            this(file, at, new ArrayList<>());
        }

        /** "host 'web1'", or "hosts web1, web2, db1 and 4 more". */
        String who() {
            return hosts.size() == 1 ? "host '" + hosts.get(0) + "'"
                    : "hosts " + String.join(", ", hosts.subList(0, Math.min(3, hosts.size()))) + (hosts.size() > 3 ? " and " + (hosts.size() - 3) + " more" : "");
        }

        Problem problem(String message, String fix) {
            return new Problem(at.file(), at.line(), at.column(), message, fix);
        }
    }
}
