package io.tsync.transport;

import io.tsync.load.Grammar;

/**
 * An OpenSSH ProxyCommand: a command of the user's own whose stdin/stdout carry the SSH stream
 * (cloud session managers, corkscrew, cloudflared, {@code ssh -W %h:%p bastion}).
 *
 * @param command as written, tokens not yet expanded
 * @param source where it was set, for messages ({@code ansible_ssh_common_args}, the ssh config file)
 */
public record ProxyCommand(String command, String source) {

    /**
     * The command to run for this endpoint: {@code %h} the host name to connect to (after the ssh
     * config's HostName), {@code %n} the host as the inventory gives it, {@code %p} the port,
     * {@code %r} the user, {@code %%} a percent sign, as ssh_config(5) has them for ProxyCommand.
     * The command is the user's own; the values put into it are not: a host or user name that is
     * not a plain name would be shell in the command, so it is refused, as OpenSSH refuses it.
     *
     * @throws IllegalArgumentException naming the token or the value that cannot be used
     */
    public String expand(String host, String original, int port, String user) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i + 1 >= command.length()) {
                throw new IllegalArgumentException("ProxyCommand ends with a lone '%' (write %% for a percent sign)");
            }
            char t = command.charAt(++i);
            switch (t) {
                case '%' -> out.append('%');
                case 'h' -> out.append(checkedHost("%h", host));
                case 'n' -> out.append(checkedHost("%n", original));
                case 'p' -> out.append(port);
                case 'r' -> {
                    if (!Grammar.isUserName(user)) {
                        throw new IllegalArgumentException("user name '" + printable(user) + "' cannot be put into a ProxyCommand (%r): only a plain user name can");
                    }
                    out.append(user);
                }
                default -> throw new IllegalArgumentException("ProxyCommand has the unknown token %" + t
                        + " (ProxyCommand knows %h, %n, %p, %r and %%)");
            }
        }
        return out.toString();
    }

    private static String checkedHost(String token, String host) {
        if (!Grammar.isHostOrAddress(host)) {
            throw new IllegalArgumentException("host name '" + printable(host) + "' cannot be put into a ProxyCommand (" + token
                    + "): only a DNS name or an IP address can");
        }
        return host;
    }

    private static String printable(String s) {
        return s == null ? "" : s.replace("\n", "\\n").replace("\r", "\\r");
    }

    /** Whether a ProxyCommand / ProxyJump value turns the option off, as {@code none} does. */
    static boolean isNone(String value) {
        return value == null || value.isBlank() || value.strip().equalsIgnoreCase("none");
    }
}
