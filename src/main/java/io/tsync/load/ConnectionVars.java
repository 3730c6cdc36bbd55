package io.tsync.load;

import io.tsync.model.Host;
import io.tsync.model.Location;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A host's connection from Ansible's connection variables, once its variables are merged:
 * {@code ansible_host} (default: the name), {@code ansible_port} (22), {@code ansible_user} (the
 * user running tsync), {@code ansible_ssh_private_key_file} or {@code ansible_private_key_file}
 * (relative to the inventory's folder; none: ssh-agent), {@code ansible_become} (default: yes
 * unless the user is root) and {@code ansible_connection} (ssh or local). Every value is checked
 * and a problem names the file:line:column the variable came from.
 */
final class ConnectionVars {
    private ConnectionVars() {}

    /** Where a problem about a variable is reported: in the file the variable came from. */
    private static Nodes in(Host.Var v) {
        return new Nodes(v.location().file());
    }

    /** The host with its connection, or null when a connection variable is wrong (each problem added to {@code problems}). */
    static Host host(List<Problem> problems, String name, Map<String, Host.Var> vars, List<String> groups, Location at, Path baseDir) {
        int before = problems.size();
        String address = name;
        Host.Var a = vars.get("ansible_host");
        if (a != null) {
            if (a.value() == null || String.valueOf(a.value()).isBlank()) {
                report(problems, a, "ansible_host of host '" + name + "' is empty", "write the host's DNS name or IP address, or remove ansible_host to use the name '" + name + "'");
            } else {
                address = String.valueOf(a.value());
                if (!Grammar.isHostOrAddress(address)) {
                    report(problems, a, "ansible_host '" + address.replace("\n", "\\n") + "' of host '" + name + "' is not a hostname or IP address",
                            "use a DNS name or an IPv4/IPv6 address");
                }
            }
        } else if (!Grammar.isHostOrAddress(address)) {
            problems.add(new Problem(at.file(), at.line(), at.column(), "host '" + name + "' has no ansible_host and its name is not a hostname",
                    "add ansible_host: ADDRESS"));
        }
        int port = 22;
        Host.Var p = vars.get("ansible_port");
        if (p != null) {
            Nodes n = in(p);
            Integer v = n.integer(p.node(), "ansible_port", 1, 65535);
            problems.addAll(n.problems);
            port = v == null ? 22 : v;
        }
        String user = System.getProperty("user.name", "root");
        Host.Var u = vars.get("ansible_user");
        if (u != null) {
            if (u.value() == null || String.valueOf(u.value()).isBlank()) {
                report(problems, u, "ansible_user of host '" + name + "' is empty", "write a user name like deploy, or remove ansible_user to log in as yourself");
            } else {
                user = String.valueOf(u.value());
                if (!Grammar.isUserName(user)) {
                    report(problems, u, "ansible_user '" + user.replace("\n", "\\n") + "' is not a valid user name", "use a POSIX user name like deploy");
                }
            }
        }
        String key = null;
        Host.Var k = vars.get("ansible_ssh_private_key_file");
        if (k == null) {
            k = vars.get("ansible_private_key_file");
        }
        if (k != null) {
            key = expandHome(String.valueOf(k.value()));
            Path kp = baseDir == null ? Path.of(key) : baseDir.resolve(key);
            if (k.value() == null || String.valueOf(k.value()).isBlank()) {
                report(problems, k, "private key file of host '" + name + "' is empty", "write the path of the key, or remove the variable to use ssh-agent");
            } else if (Files.isDirectory(kp)) {
                report(problems, k, "private key file '" + key + "' of host '" + name + "' is a directory, not a key file",
                        "name the key file itself (relative paths are resolved against the inventory's folder)");
            }
            // a missing key file is not checked here: validate needs none (ConnectionFiles, before a connection)
            key = kp.toString();
        }
        boolean become = false;
        Host.Var b = vars.get("ansible_become");
        if (b != null) {
            Boolean v = ansibleBoolean(b.value());
            if (v == null) {
                Nodes n = in(b);
                v = n.bool(b.node(), "ansible_become");
                problems.addAll(n.problems);
            }
            become = v != null && v;
        }
        if (b == null) {
            become = Host.becomeByDefault(user);
        }
        Host.Var c = vars.get("ansible_connection");
        if (c != null && !CONNECTIONS.contains(String.valueOf(c.value()))) {
            report(problems, c, "ansible_connection '" + String.valueOf(c.value()).replace("\n", "\\n") + "' of host '" + name + "' is not one tsync has",
                    "use ssh (the default; Ansible's smart and paramiko mean ssh too) or local (the machine tsync runs on, no SSH)");
        }
        return problems.size() > before ? null : new Host(name, address, port, user, key, become, vars, groups);
    }

    /**
     * A boolean as Ansible's boolean() reads a connection variable: true, false and, in any case, the
     * text yes/no, on/off, true/false, y/n, t/f, 1/0 (an INI inventory's ansible_become=yes is text), and
     * the numbers 1 and 0; null for anything else.
     */
    static Boolean ansibleBoolean(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Long l && (l == 0 || l == 1)) {
            return l == 1;
        }
        if (v instanceof String s) {
            switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "yes", "on", "true", "y", "t", "1" -> {
                    return true;
                }
                case "no", "off", "false", "n", "f", "0" -> {
                    return false;
                }
                default -> {
                    return null;
                }
            }
        }
        return null;
    }

    /** ansible_connection values: local runs on this machine; the others are SSH, as tsync does it. */
    static final Set<String> CONNECTIONS = Set.of("ssh", "smart", "paramiko", "local");

    private static void report(List<Problem> problems, Host.Var v, String message, String fix) {
        Nodes n = in(v);
        n.problem(v.node(), message, fix);
        problems.addAll(n.problems);
    }

    static String expandHome(String p) {
        return p.startsWith("~/") ? System.getProperty("user.home") + p.substring(1) : p;
    }
}
