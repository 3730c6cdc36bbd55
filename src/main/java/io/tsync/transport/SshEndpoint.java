package io.tsync.transport;

import com.jcraft.jsch.ConfigRepository;
import io.tsync.model.Host;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where and how to reach one host, as {@code ssh} would: inventory values first (ansible_host,
 * ansible_port, ansible_user, ansible_ssh_private_key_file), then the matching {@code Host} block of
 * the OpenSSH config (HostName, Port, User, IdentityFile, ProxyJump, ConnectTimeout,
 * ServerAliveInterval). A ProxyJump also comes from {@code ansible_ssh_common_args} /
 * {@code ansible_ssh_extra_args} ({@code -J HOP} or {@code -o ProxyJump=HOP}), as Ansible users write it.
 *
 * @param jumps bastions to go through, outermost first
 * @param connectTimeoutMillis OpenSSH ConnectTimeout (JSch reports it in milliseconds), or null
 * @param serverAliveMillis OpenSSH ServerAliveInterval (in milliseconds, as JSch reports it), or null
 */
public record SshEndpoint(String name, String host, int port, String user, List<String> identities, List<SshEndpoint> jumps,
                          Integer connectTimeoutMillis, Integer serverAliveMillis, boolean become) {
    public SshEndpoint {
        identities = List.copyOf(identities);
        jumps = List.copyOf(jumps);
    }

    public String key() {
        return user + "@" + host + ":" + port;
    }

    public static SshEndpoint resolve(Host h, ConfigRepository cfg) {
        ConfigRepository.Config c = cfg == null ? null : cfg.getConfig(h.address());
        String hostName = c != null && c.getHostname() != null ? c.getHostname() : h.address();
        int port = h.vars().containsKey("ansible_port") ? h.port() : c != null && c.getPort() > 0 ? c.getPort() : 22;
        String user = h.vars().containsKey("ansible_user") ? h.user() : c != null && c.getUser() != null ? c.getUser() : h.user();
        List<String> ids = new ArrayList<>();
        if (h.keyFile() != null) {
            ids.add(h.keyFile());
        } else if (c != null && c.getValues("IdentityFile") != null) {
            for (String f : c.getValues("IdentityFile")) {
                ids.add(expand(f));
            }
        }
        String jump = proxyJumpFromArgs(h.var("ansible_ssh_common_args"));
        if (jump == null) {
            jump = proxyJumpFromArgs(h.var("ansible_ssh_extra_args"));
        }
        if (jump == null && c != null) {
            jump = c.getValue("ProxyJump");
        }
        List<SshEndpoint> jumps = new ArrayList<>();
        if (jump != null && !jump.isBlank() && !jump.equalsIgnoreCase("none")) {
            for (String hop : jump.split(",")) {
                jumps.add(hop(hop.strip(), cfg, user, ids));
            }
        }
        boolean become = h.vars().containsKey("ansible_become") ? h.become() : Host.becomeByDefault(user);
        return new SshEndpoint(h.name(), hostName, port, user, ids, jumps, intValue(c, "ConnectTimeout"), intValue(c, "ServerAliveInterval"), become);
    }

    /** A ProxyJump hop: {@code [user@]host[:port]}, itself looked up in the OpenSSH config. */
    static SshEndpoint hop(String spec, ConfigRepository cfg, String defaultUser, List<String> defaultIds) {
        String user = null;
        String hostPart = spec;
        int at = spec.lastIndexOf('@');
        if (at >= 0) {
            user = spec.substring(0, at);
            hostPart = spec.substring(at + 1);
        }
        Integer port = null;
        int colon = hostPart.lastIndexOf(':');
        if (colon > 0 && hostPart.indexOf(':') == colon) {
            port = Integer.parseInt(hostPart.substring(colon + 1));
            hostPart = hostPart.substring(0, colon);
        }
        ConfigRepository.Config c = cfg == null ? null : cfg.getConfig(hostPart);
        String hostName = c != null && c.getHostname() != null ? c.getHostname() : hostPart;
        int p = port != null ? port : c != null && c.getPort() > 0 ? c.getPort() : 22;
        String u = user != null ? user : c != null && c.getUser() != null ? c.getUser() : defaultUser;
        List<String> ids = new ArrayList<>();
        if (c != null && c.getValues("IdentityFile") != null) {
            for (String f : c.getValues("IdentityFile")) {
                ids.add(expand(f));
            }
        }
        if (ids.isEmpty()) {
            ids.addAll(defaultIds);
        }
        return new SshEndpoint(hostPart, hostName, p, u, ids, List.of(), intValue(c, "ConnectTimeout"), intValue(c, "ServerAliveInterval"), false);
    }

    static String proxyJumpFromArgs(String args) {
        if (args == null) {
            return null;
        }
        String[] w = args.trim().split("\\s+");
        for (int i = 0; i < w.length; i++) {
            if (w[i].equals("-J") && i + 1 < w.length) {
                return w[i + 1];
            }
            if (w[i].startsWith("-J") && w[i].length() > 2) {
                return w[i].substring(2);
            }
            String opt = w[i].equals("-o") && i + 1 < w.length ? w[i + 1] : w[i].startsWith("-o") ? w[i].substring(2) : null;
            if (opt != null) {
                opt = opt.replace("'", "").replace("\"", "");
                if (opt.toLowerCase(Locale.ROOT).startsWith("proxyjump=")) {
                    return opt.substring("proxyjump=".length());
                }
            }
        }
        return null;
    }

    private static Integer intValue(ConfigRepository.Config c, String key) {
        if (c == null || c.getValue(key) == null) {
            return null;
        }
        try {
            return Integer.parseInt(c.getValue(key).strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String expand(String p) {
        return p.startsWith("~/") ? System.getProperty("user.home") + p.substring(1) : p;
    }
}
