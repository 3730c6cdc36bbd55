package io.tsync.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The desired NTP setup of a host.
 *
 * @param stop     conflicting services to stop and disable; {@code null} means the default: every other
 *                 known time daemon (chrony/chronyd, ntp/ntpd/ntpsec, systemd-timesyncd)
 * @param advanced selection limits, the server role, leap seconds, keys, reference clocks,
 *                 systemd-timesyncd's own settings and the escape hatch; {@link Advanced#NONE} when unused
 */
public record NtpSpec(Daemon daemon, List<Server> servers, MakeStep makestep, boolean stepNow,
                      List<String> allow, String driftfile, boolean rtcsync, List<String> stop, Advanced advanced) {
    public NtpSpec {
        servers = List.copyOf(servers);
        allow = List.copyOf(allow);
        stop = stop == null ? null : List.copyOf(stop);
        advanced = advanced == null ? Advanced.NONE : advanced;
    }

    /** The seed's settings only. */
    public NtpSpec(Daemon daemon, List<Server> servers, MakeStep makestep, boolean stepNow,
                   List<String> allow, String driftfile, boolean rtcsync, List<String> stop) {
        this(daemon, servers, makestep, stepNow, allow, driftfile, rtcsync, stop, Advanced.NONE);
    }

    public NtpSpec withServers(List<Server> s) {
        return new NtpSpec(daemon, s, makestep, stepNow, allow, driftfile, rtcsync, stop, advanced);
    }

    public NtpSpec withAdvanced(Advanced a) {
        return new NtpSpec(daemon, servers, makestep, stepNow, allow, driftfile, rtcsync, stop, a);
    }

    /** A host that serves time to others: it has {@code allow} networks. */
    public boolean serves() {
        return !allow.isEmpty();
    }

    /** chrony's {@code maxchange OFFSET START IGNORE}: give up (exit) after IGNORE larger corrections past the first START updates. */
    public record MaxChange(double offset, int start, int ignore) {}

    /**
     * Serve this host's own clock when no source is usable: chrony {@code local stratum N [orphan] [distance D]},
     * ntpd {@code tos orphan N}. {@code distance} (chrony, seconds) is the root distance past which a server
     * stops claiming its last synchronisation; null keeps chrony's 1 s (days of holdover at 1 ppm).
     */
    public record Local(int stratum, boolean orphan, Double distance) {
        public Local(int stratum, boolean orphan) {
            this(stratum, orphan, null);
        }
    }

    /** chrony's {@code smoothtime MAX-FREQ MAX-WANDER [leaponly]}: what clients of a smearing server see. */
    public record SmoothTime(double maxFreq, double maxWander, boolean leapOnly) {}

    /** systemd-timesyncd's PollIntervalMinSec / PollIntervalMaxSec. */
    public record PollInterval(Integer minSec, Integer maxSec) {}

    /**
     * Everything beyond the seed's keys (README "Playbook"). Null or empty means "not set": the
     * daemon's or the distribution's default.
     *
     * @param cmdport    chrony's command port; null means tsync's default (0 on a host that serves
     *                   time, so nothing but the local socket can reach chronyd's command interface)
     * @param authselectmode chrony's authselectmode (require, prefer, mix, ignore): how authenticated sources
     *                   weigh against others in selection; null keeps chrony's default, mix
     * @param extra      lines appended verbatim after the managed ones
     * @param ntsTrustedCerts CA certificates (a PEM file of the playbook's) trusted for NTS besides the system's, or null
     * @param at         where each ntp-level option was given (key name to location); booleans only
     *                   when true, lists only when not empty: the options "in use", which a daemon
     *                   lacking one refuses at its line
     */
    public record Advanced(Integer minsources, Double maxdistance, MaxChange maxchange,
                           List<String> deny, Local local, List<String> bindaddress, Integer cmdport,
                           String leapsectz, String leapsecmode, Double maxslewrate, SmoothTime smoothtime,
                           List<NtpKey> keys, String authselectmode, List<Refclock> refclocks, List<String> fallback, PollInterval pollInterval,
                           boolean dhcpServers, List<String> extra, TrustedCerts ntsTrustedCerts, Map<String, Location> at) {
        public static final Advanced NONE = new Advanced(null, null, null, List.of(), null, List.of(), null, null, null, null, null,
                List.of(), null, List.of(), List.of(), null, false, List.of(), null, Map.of());

        public Advanced {
            deny = List.copyOf(deny);
            bindaddress = List.copyOf(bindaddress);
            keys = List.copyOf(keys);
            refclocks = List.copyOf(refclocks);
            fallback = List.copyOf(fallback);
            extra = List.copyOf(extra);
            at = Collections.unmodifiableMap(new LinkedHashMap<>(at));
        }

        public Advanced withKeys(List<NtpKey> k) {
            return new Advanced(minsources, maxdistance, maxchange, deny, local, bindaddress, cmdport, leapsectz, leapsecmode,
                    maxslewrate, smoothtime, k, authselectmode, refclocks, fallback, pollInterval, dhcpServers, extra, ntsTrustedCerts, at);
        }

        /** The key with this id, or null. */
        public NtpKey key(int id) {
            return keys.stream().filter(k -> k.id() == id).findFirst().orElse(null);
        }

        /** Leap smearing: this host's clients see its clock slewed over a leap second, not stepped. */
        public boolean smears() {
            return smoothtime != null || "slew".equals(leapsecmode);
        }
    }
}
