package io.tsync.load;

import io.tsync.model.Daemon;
import io.tsync.model.Location;
import io.tsync.model.NtpSpec;
import io.tsync.model.Server;
import io.tsync.platform.DaemonOptions;
import io.tsync.platform.Platform;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks of a whole {@code ntp:} spec, after a host's {@code tsync_ntp} was merged into the play's:
 * options the daemon lacks, key ids no key defines, {@code extra} lines setting what tsync manages;
 * and the warnings {@code validate} and {@code apply} print (leap smearing).
 */
public final class NtpChecks {
    private NtpChecks() {}

    static List<Problem> problems(NtpSpec spec) {
        return problems(spec, null);
    }

    /** Problems of a spec; with a platform's daemon build ({@code tsync_platform}), also what that build lacks. */
    public static List<Problem> problems(NtpSpec spec, Platform.DaemonSpec platform) {
        List<Problem> out = new ArrayList<>();
        for (DaemonOptions.Refusal r : DaemonOptions.refusals(spec, platform)) {
            String fix;
            if (r.option().equals("local without orphan")) {
                fix = "write local: { stratum: " + spec.advanced().local().stratum() + ", orphan: true }, or use daemon: chrony";
            } else if (spec.daemon() != Daemon.CHRONY && DaemonOptions.whyNot(Daemon.CHRONY, r.option()) == null) {
                fix = "remove '" + r.option() + "' for " + spec.daemon().key() + ", or use daemon: chrony";
            } else if (spec.daemon() != Daemon.TIMESYNCD && DaemonOptions.whyNot(Daemon.TIMESYNCD, r.option()) == null) {
                fix = "remove '" + r.option() + "', or use daemon: timesyncd";
            } else {
                fix = "remove '" + r.option() + "'";
            }
            out.add(at(r.at(), "'" + r.option() + "' with daemon " + spec.daemon().key() + ": " + r.reason(), fix));
        }
        NtpSpec.Advanced a = spec.advanced();
        for (Server s : spec.servers()) {
            if (s.key() != null && a.key(s.key()) == null) {
                out.add(at(s.at().getOrDefault("key", s.at().get("entry")), s.kind().directive() + " " + s.host() + " uses key " + s.key()
                        + ", which 'keys' does not define", "add - { id: " + s.key() + ", type: SHA256, value_from_env: TSYNC_NTP_KEY_"
                        + s.key() + " } under ntp.keys, or fix the id"));
            }
        }
        for (int i = 0; i < a.extra().size(); i++) {
            String line = a.extra().get(i);
            Location where = a.at().getOrDefault("extra[" + i + "]", a.at().get("extra"));
            String name = directive(spec.daemon(), line);
            if (spec.daemon() == Daemon.TIMESYNCD && !line.startsWith("#") && (name == null || line.startsWith("["))) {
                out.add(at(where, "extra line '" + line + "' is not a 'Name=value' setting of timesyncd.conf",
                        "write settings of the [Time] section, e.g. ConnectionRetrySec=30 (tsync writes the [Time] header)"));
            } else if (name != null && DaemonOptions.managed(spec.daemon()).contains(name)) {
                out.add(at(where, "extra line '" + line + "' sets '" + name + "', which tsync manages",
                        "use the playbook's key for it (servers, allow, local, keys, ...); 'extra' is for directives tsync does not write"));
            }
        }
        return out;
    }

    /** What validate and apply warn about: a spec that works but can hurt the hosts around it. */
    public static List<Problem> warnings(NtpSpec spec) {
        List<Problem> out = new ArrayList<>();
        NtpSpec.Advanced a = spec.advanced();
        if (a.smears()) {
            Location where = a.at().getOrDefault("smoothtime", a.at().get("leapsecmode"));
            out.add(at(where, "leap smearing (" + (a.smoothtime() != null ? "smoothtime" : "leapsecmode slew")
                            + "): around a leap second this host's clock, and what its clients get from it, is up to a second away from UTC",
                    "give the clients of a smearing server only smearing servers: mixed with non-smearing sources (public pools, "
                            + "other servers) they see them disagree and may reject the wrong ones"));
        }
        if (a.ntsTrustedCerts() != null && spec.servers().stream().noneMatch(Server::nts)) {
            out.add(at(a.at().get("nts_trusted_certs"), "nts_trusted_certs is set but no server has nts: true: the certificates are copied and trusted, and no source uses them",
                    "add nts: true to the servers under that CA, e.g. - { host: time.example.com, nts: true }"));
        }
        // measured on the lab: two chrony servers with 'local ... orphan' peering with a key, restarted together,
        // both stayed on their local clock for good: chrony's default authselectmode (mix) makes an authenticated
        // source 'require' (and 'trust'), so the unauthenticated upstreams wait for the peer, itself an orphan
        boolean keyed = spec.servers().stream().anyMatch(s -> s.key() != null);
        boolean unkeyed = spec.servers().stream().anyMatch(s -> s.key() == null);
        if (spec.daemon() == Daemon.CHRONY && a.local() != null && a.local().orphan() && keyed && unkeyed
                && (a.authselectmode() == null || a.authselectmode().equals("mix"))) {
            out.add(at(a.at().get("local"), "orphan servers with authenticated and unauthenticated sources: chrony's default "
                            + "authselectmode (mix) makes the authenticated ones required, so servers that lose their peer's real time together "
                            + "(a restart, an outage) stay on their local clock even when the upstreams answer again",
                    "add authselectmode: ignore (keys are still checked; they just do not outrank the upstreams), or key every source"));
        }
        return out;
    }

    /** The directive (chrony, ntpd: first word, lower case; timesyncd: the name before '=') of a line, or null. */
    static String directive(Daemon d, String line) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#") || (d != Daemon.TIMESYNCD && (t.startsWith("!") || t.startsWith(";") || t.startsWith("%")))) {
            return null;
        }
        if (d == Daemon.TIMESYNCD) {
            int eq = t.indexOf('=');
            return eq > 0 && t.substring(0, eq).strip().matches("[A-Za-z]+") ? t.substring(0, eq).strip() : null;
        }
        return t.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
    }

    private static Problem at(Location l, String message, String fix) {
        return l == null ? new Problem("?", 0, 0, message, fix) : new Problem(l.file(), l.line(), l.column(), message, fix);
    }

    /** The located options of a spec, for tests. */
    static Map<String, Location> used(NtpSpec spec) {
        return spec.advanced().at();
    }
}
