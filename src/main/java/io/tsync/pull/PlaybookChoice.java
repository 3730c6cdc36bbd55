package io.tsync.pull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Predicate;

/**
 * Which playbook of the checkout this host applies. Given {@code --playbook}, that file (relative to
 * the checkout, never outside it). Else the first that exists of {@code HOSTNAME.yaml},
 * {@code SHORTNAME.yaml} (the hostname up to its first dot, when it has one) and {@code local.yaml},
 * each also as {@code .yml}: ansible-pull's order, without its DNS lookup for the FQDN, so a timer
 * never hangs on a resolver (a host whose kernel hostname is its FQDN gets ansible-pull's first choice).
 */
public final class PlaybookChoice {
    public static final String DEFAULT = "local.yaml";

    private PlaybookChoice() {}

    /** The names tried in order when no --playbook is given. */
    public static List<String> candidates(String hostname) {
        LinkedHashSet<String> bases = new LinkedHashSet<>();
        if (hostname != null && !hostname.isBlank()) {
            bases.add(hostname);
            int dot = hostname.indexOf('.');
            if (dot > 0) {
                bases.add(hostname.substring(0, dot));
            }
        }
        bases.add("local");
        List<String> names = new ArrayList<>();
        for (String b : bases) {
            names.add(b + ".yaml");
            names.add(b + ".yml");
        }
        return names;
    }

    /**
     * The playbook, relative to {@code checkout}.
     *
     * @param given  --playbook, or null
     * @param exists whether a path relative to the checkout is a file there
     */
    public static String choose(String given, String hostname, Predicate<String> exists) throws PullException {
        if (given != null) {
            Path p = Path.of(given).normalize();
            if (p.isAbsolute() || p.startsWith("..") || given.isBlank()) {
                throw new PullException(PullException.Kind.INVALID, "--playbook " + given + " is not inside the repository"
                        + "\n  fix: give the playbook's path relative to the repository's top, e.g. --playbook site.yaml or --playbook hosts/web7.yaml");
            }
            if (!exists.test(p.toString())) {
                throw new PullException(PullException.Kind.INVALID, "the repository has no " + p
                        + "\n  fix: commit " + p + " to the branch, or point --playbook at a playbook it has");
            }
            return p.toString();
        }
        List<String> tried = candidates(hostname);
        for (String name : tried) {
            if (exists.test(name)) {
                return name;
            }
        }
        throw new PullException(PullException.Kind.INVALID, "the repository has none of " + String.join(", ", tried)
                + "\n  fix: commit " + DEFAULT + " (every host) or " + tried.get(0) + " (this host) to the branch, or give --playbook PATH");
    }
}
