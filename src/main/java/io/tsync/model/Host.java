package io.tsync.model;

import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;

/**
 * An inventory host with its connection settings and the variables it ends up with
 * (all &lt; parent groups &lt; child groups &lt; host, as in Ansible).
 */
public record Host(String name, String address, int port, String user, String keyFile, boolean become,
                   Map<String, Var> vars, List<String> groups) {
    public Host {
        vars = Map.copyOf(vars);
        groups = List.copyOf(groups);
    }

    /** A variable value as YAML node text plus where it was defined. */
    public record Var(Object value, Node node, Location location) {}

    /**
     * Whether commands go through sudo when the inventory does not say (ansible_become): yes for
     * any user but root. The one rule for the inventory's view and for the SSH user finally chosen
     * (which ~/.ssh/config may set).
     */
    public static boolean becomeByDefault(String user) {
        return !"root".equals(user);
    }

    /** Whether this host is the machine tsync runs on ({@code ansible_connection: local}): no SSH. */
    public boolean local() {
        return "local".equals(var("ansible_connection"));
    }

    public String var(String name) {
        Var v = vars.get(name);
        return v == null || v.value() == null ? null : String.valueOf(v.value());
    }
}
