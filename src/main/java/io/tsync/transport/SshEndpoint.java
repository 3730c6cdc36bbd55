package io.tsync.transport;

import com.jcraft.jsch.ConfigRepository;
import io.tsync.model.Host;
import java.util.ArrayList;
import java.util.List;

/**
 * Where and how to reach one host, as {@code ssh} would: inventory values first (ansible_host,
 * ansible_port, ansible_user, ansible_ssh_private_key_file), then the matching {@code Host} block of
 * the OpenSSH config (HostName, Port, User, IdentityFile, ProxyJump, ProxyCommand, ConnectTimeout,
 * ServerAliveInterval). A ProxyJump or ProxyCommand also comes from {@code ansible_ssh_common_args} /
 * {@code ansible_ssh_extra_args} ({@code -J HOP}, {@code -o ProxyJump=HOP}, {@code -o ProxyCommand="..."}),
 * as Ansible users write it; as in ssh, the first one given wins (the command line before the config)
 * and {@code none} turns both off.
 *
 * @param jumps bastions to go through, outermost first
 * @param proxyCommand the command that carries the connection, or null (never both it and jumps)
 * @param connectTimeoutMillis OpenSSH ConnectTimeout (JSch reports it in milliseconds), or null
 * @param serverAliveMillis OpenSSH ServerAliveInterval (in milliseconds, as JSch reports it), or null
 */
public record SshEndpoint(String name, String host, int port, String user, List<String> identities, List<SshEndpoint> jumps,
                          ProxyCommand proxyCommand, Integer connectTimeoutMillis, Integer serverAliveMillis, boolean become) {
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
        Reach reach = reach(h, c);
        List<SshEndpoint> jumps = new ArrayList<>();
        if (reach.jump() != null) {
            for (String hop : reach.jump().split(",")) {
                jumps.add(hop(hop.strip(), cfg, user, ids));
            }
        }
        boolean become = h.vars().containsKey("ansible_become") ? h.become() : Host.becomeByDefault(user);
        return new SshEndpoint(h.name(), hostName, port, user, ids, jumps, reach.command(), intValue(c, "ConnectTimeout"), intValue(c, "ServerAliveInterval"), become);
    }

    /**
     * A ProxyJump hop: {@code [user@]host[:port]}, itself looked up in the OpenSSH config.
     *
     * @throws IllegalArgumentException when the port is not a port number ({@link SshReachCheck} reports it)
     */
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
            String p = hostPart.substring(colon + 1);
            if (!p.matches("[0-9]{1,5}") || Integer.parseInt(p) < 1 || Integer.parseInt(p) > 65535) {
                throw new IllegalArgumentException("ProxyJump hop '" + spec + "' has the port '" + p + "', which is not a number from 1 to 65535");
            }
            port = Integer.parseInt(p);
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
        // the first hop may itself be reached through a command (ssh -J reads the hop's own config)
        String command = c == null ? null : c.getValue("ProxyCommand");
        ProxyCommand pc = ProxyCommand.isNone(command) ? null : new ProxyCommand(command, "ssh config");
        return new SshEndpoint(hostPart, hostName, p, u, ids, List.of(), pc, intValue(c, "ConnectTimeout"), intValue(c, "ServerAliveInterval"), false);
    }

    /** How a host is reached: through bastions ({@code jump}), a command, or directly (both null). */
    record Reach(String jump, ProxyCommand command) {}

    /**
     * ProxyJump or ProxyCommand, as ssh picks them: the first given on the command line (common args,
     * then extra args), else the ssh config's. {@code none} counts as given: it turns both off.
     * The config cannot say which of its two came first (JSch keeps no order): ProxyJump wins there,
     * and {@link SshReachCheck} warns.
     */
    static Reach reach(Host h, ConfigRepository.Config c) {
        for (String var : List.of("ansible_ssh_common_args", "ansible_ssh_extra_args")) {
            for (SshArgs.Option o : argsOf(h, var)) {
                if (o.keyword().equalsIgnoreCase("ProxyJump")) {
                    return new Reach(ProxyCommand.isNone(o.value()) ? null : o.value(), null);
                }
                if (o.keyword().equalsIgnoreCase("ProxyCommand")) {
                    return new Reach(null, ProxyCommand.isNone(o.value()) ? null : new ProxyCommand(o.value(), var));
                }
            }
        }
        if (c == null) {
            return new Reach(null, null);
        }
        String jump = c.getValue("ProxyJump");
        if (!ProxyCommand.isNone(jump)) {
            return new Reach(jump, null);
        }
        String command = c.getValue("ProxyCommand");
        return new Reach(null, jump == null && !ProxyCommand.isNone(command) ? new ProxyCommand(command, "ssh config") : null);
    }

    /** The options of an ssh-args variable; none when its quoting is broken ({@link SshReachCheck} reports that). */
    static List<SshArgs.Option> argsOf(Host h, String var) {
        try {
            return SshArgs.parse(h.var(var));
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    static String proxyJumpFromArgs(String args) {
        SshArgs.Option o = SshArgs.first(SshArgs.parse(args), "ProxyJump");
        return o == null ? null : o.value();
    }

    /** The ProxyCommand with this endpoint's values in it ({@link ProxyCommand#expand}). */
    public String proxyCommandLine(String original) {
        return proxyCommand.expand(host, original, port, user);
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
