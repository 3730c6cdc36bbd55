package io.tsync.load;

import io.tsync.model.Host;
import io.tsync.model.Inventory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Ansible host patterns, as a play's {@code hosts:} and {@code --limit} take them
 * (https://docs.ansible.com/ansible/latest/inventory_guide/intro_patterns.html): terms separated by
 * {@code ,} or {@code :}, each a host or group name or a glob ({@code *} any run of characters,
 * {@code ?} one), matched against group names (all their hosts) and host names. Plain terms add
 * hosts, {@code &term} keeps only the hosts also in term, {@code !term} removes term's hosts:
 * as in Ansible, in that order, whatever order they are written in. Ansible's regular expressions
 * ({@code ~web\d}) and subscripts ({@code webservers[0]}) are not read as such.
 *
 * @param includes      the plain terms
 * @param intersections the {@code &} terms, without the {@code &}
 * @param exclusions    the {@code !} terms, without the {@code !}
 */
public record HostPatterns(List<String> includes, List<String> intersections, List<String> exclusions) {
    public HostPatterns {
        includes = List.copyOf(includes);
        intersections = List.copyOf(intersections);
        exclusions = List.copyOf(exclusions);
    }

    /** The terms of {@code patterns}, e.g. {@code web*:&seoul:!web3}; blank terms are skipped. */
    public static HostPatterns parse(String patterns) {
        List<String> includes = new ArrayList<>();
        List<String> excludes = new ArrayList<>();
        List<String> intersects = new ArrayList<>();
        for (String raw : patterns.split("[,:]")) {
            String t = raw.strip();
            if (t.isEmpty()) {
                continue;
            }
            if (t.startsWith("!")) {
                excludes.add(t.substring(1));
            } else if (t.startsWith("&")) {
                intersects.add(t.substring(1));
            } else {
                includes.add(t);
            }
        }
        return new HostPatterns(includes, intersects, excludes);
    }

    /** The hosts of {@code inv} that {@code patterns} select, in inventory order. */
    public static List<Host> select(Inventory inv, String patterns) {
        return parse(patterns).select(inv);
    }

    /** The hosts of {@code inv} these patterns select, in inventory order. */
    public List<Host> select(Inventory inv) {
        Set<String> selected = new LinkedHashSet<>();
        for (String t : includes) {
            selected.addAll(matching(inv, t));
        }
        for (String t : intersections) {
            selected.retainAll(new HashSet<>(matching(inv, t)));
        }
        for (String t : exclusions) {
            matching(inv, t).forEach(selected::remove);
        }
        return inv.hosts().stream().filter(h -> selected.contains(h.name())).toList();
    }

    /** The names of the hosts one term matches: the hosts of every group it matches, then every host it matches. */
    static List<String> matching(Inventory inv, String term) {
        Pattern regex = glob(term); // once, not per host
        Set<String> out = new LinkedHashSet<>();
        inv.groups().forEach((g, hs) -> {
            if (regex.matcher(g).matches()) {
                out.addAll(hs);
            }
        });
        inv.hosts().forEach(h -> {
            if (regex.matcher(h.name()).matches()) {
                out.add(h.name());
            }
        });
        return new ArrayList<>(out);
    }

    /** A glob term as a regular expression: {@code *} and {@code ?} are wildcards, every other character is itself. */
    static Pattern glob(String term) {
        StringBuilder sb = new StringBuilder();
        for (char c : term.toCharArray()) {
            switch (c) {
                case '*' -> sb.append(".*");
                case '?' -> sb.append('.');
                default -> sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(sb.toString());
    }
}
