package io.tsync.model;

import java.util.Map;

/**
 * One time source: a {@code server} line, a {@code pool} line or a {@code peer} line (symmetric mode
 * between internal servers), with its options.
 *
 * @param key        id of the symmetric key authenticating this source (see {@link NtpKey}), or null
 * @param maxsources for a pool: how many of its addresses to use (chrony), or null
 * @param at         where each option was given (option name, e.g. "xleave", to its location; "entry"
 *                   is the entry itself), so that a daemon lacking an option is refused at the right
 *                   line; boolean options appear only when set to true
 */
public record Server(String host, Kind kind, boolean iburst, boolean prefer, Integer minpoll, Integer maxpoll, boolean nts,
                     boolean trust, boolean require, boolean xleave, Integer key, Integer maxsources, Map<String, Location> at) {

    /** The directive a source is written with. */
    public enum Kind {
        SERVER("host", "server"), POOL("pool", "pool"), PEER("peer", "peer");

        private final String yamlKey;
        private final String directive;

        Kind(String yamlKey, String directive) {
            this.yamlKey = yamlKey;
            this.directive = directive;
        }

        /** The playbook key naming this kind of source: host, pool or peer. */
        public String yamlKey() {
            return yamlKey;
        }

        /** The chrony / ntpd directive: server, pool or peer. */
        public String directive() {
            return directive;
        }
    }

    public Server {
        at = at == null ? Map.of() : Map.copyOf(at);
    }

    /** A plain server or pool with the seed's options (no authentication, no selection options). */
    public Server(String host, boolean pool, boolean iburst, boolean prefer, Integer minpoll, Integer maxpoll, boolean nts) {
        this(host, pool ? Kind.POOL : Kind.SERVER, iburst, prefer, minpoll, maxpoll, nts, false, false, false, null, null, Map.of());
    }

    public boolean pool() {
        return kind == Kind.POOL;
    }

    public boolean peer() {
        return kind == Kind.PEER;
    }
}
