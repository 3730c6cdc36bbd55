package io.tsync.platform;

import io.tsync.model.Daemon;
import io.tsync.model.Location;
import io.tsync.model.NtpSpec;
import io.tsync.model.Server;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which playbook options each daemon can render, and why not where it cannot: one row per option,
 * as data. What differs between builds of one daemon (ntpsec versus classic ntp, chrony 3 versus 4)
 * is in the platform rows ({@link Platform.DaemonSpec#refuses()}).
 */
public final class DaemonOptions {
    private DaemonOptions() {}

    /** One option; a column is null where that daemon renders the option, else the reason it cannot. */
    record Row(String option, String chrony, String ntpd, String timesyncd) {}

    private static final String TSD_CLIENT = "systemd-timesyncd is an SNTP client only: it serves no time to others";
    private static final String TSD_ONE = "systemd-timesyncd uses one server at a time, in the order listed, and combines none";
    private static final String TSD_NOAUTH = "systemd-timesyncd cannot authenticate its servers (no symmetric keys, no NTS)";
    private static final String NTPD_NO_SMEAR = "ntpd as Debian and RHEL build it has no leap smearing ('leapsmearinterval' is compiled out); use daemon: chrony";
    private static final String TSD_NO_SMEAR = "systemd-timesyncd cannot smear a leap second; use daemon: chrony";

    static final List<Row> TABLE = List.of(
            new Row("pool", null, null, "systemd-timesyncd has no pool directive: it resolves a name and uses one of its addresses; list the name as 'host:'"),
            new Row("peer", null, null, "systemd-timesyncd is an SNTP client only: it has no symmetric (peer) mode"),
            new Row("iburst", null, null, "systemd-timesyncd sends one request per poll: it has no iburst"),
            new Row("prefer", null, null, TSD_ONE + ": put the preferred server first"),
            new Row("minpoll", null, null, "systemd-timesyncd polls every server alike: use poll_interval: { min: SECONDS, max: SECONDS }"),
            new Row("maxpoll", null, null, "systemd-timesyncd polls every server alike: use poll_interval: { min: SECONDS, max: SECONDS }"),
            new Row("nts", null, "nts is supported by tsync for chrony only", TSD_NOAUTH),
            // ntpsec has NTS too ('server NAME nts ca FILE'), but no lab test proves tsync's rendering of it yet
            new Row("nts_trusted_certs", null, "tsync renders NTS (and its trusted certificates) for chrony only; use daemon: chrony", TSD_NOAUTH),
            new Row("trust", null, null, TSD_ONE),
            new Row("require", null, "ntpd has no 'require' option (a chrony option); use minsources (ntpd: tos minsane) for a similar guard", TSD_ONE),
            new Row("xleave", null, null, "systemd-timesyncd has no interleaved mode"),
            new Row("key", null, null, TSD_NOAUTH),
            new Row("maxsources", null, "ntpd's pool has no maxsources (syntax error in ntp 4.2.8 and ntpsec): it keeps up to 'tos maxclock' associations; list servers instead",
                    "systemd-timesyncd has no pool directive"),
            new Row("allow", null, null, TSD_CLIENT),
            new Row("deny", null, null, TSD_CLIENT),
            new Row("local", null, null, TSD_CLIENT),
            new Row("local without orphan", null, "ntpd serves its own clock only in orphan mode ('tos orphan N'): set orphan: true "
                    + "(the undisciplined local clock driver 127.127.1.0 is deprecated and gone from ntpsec's recommended setups)", TSD_CLIENT),
            new Row("local.distance", null, "ntpd enters orphan mode after 'tos orphanwait' seconds (300 by default), not at a root distance", TSD_CLIENT),
            new Row("bindaddress", null, null, TSD_CLIENT),
            new Row("cmdport", null, "ntpd has no command port setting; tsync's restrict lines already refuse queries (noquery) from everyone but localhost",
                    "systemd-timesyncd has no command port (timedatectl talks to it over D-Bus)"),
            new Row("minsources", null, null, TSD_ONE),
            new Row("maxdistance", null, null, null),
            new Row("maxchange", null, "ntpd has no maxchange (its 'tinker panic' exits on any large offset, without chrony's start/ignore counts); use daemon: chrony",
                    "systemd-timesyncd has no maxchange"),
            new Row("leapsectz", null, "ntpd reads leap seconds from a leapfile, which tsync keeps from the distribution (leapfile /usr/share/zoneinfo/leap-seconds.list)",
                    "systemd-timesyncd takes leap warnings from its server and has no leap-second table"),
            new Row("leapsecmode", null, NTPD_NO_SMEAR, TSD_NO_SMEAR),
            new Row("maxslewrate", null, "ntpd has no maxslewrate (its slew rate is fixed at 500 ppm)", "systemd-timesyncd has no maxslewrate"),
            new Row("smoothtime", null, NTPD_NO_SMEAR, TSD_NO_SMEAR),
            new Row("keys", null, null, TSD_NOAUTH),
            new Row("authselectmode", null, "ntpd has no authselectmode: an authenticated source weighs as much as any other", TSD_NOAUTH),
            new Row("refclocks", null, "tsync renders PHC reference clocks for chrony only (ntpd has no PTP hardware clock driver); use daemon: chrony",
                    "systemd-timesyncd has no reference clocks; use daemon: chrony"),
            new Row("fallback", "chrony has no fallback list: list every source under servers (it selects the best ones itself)",
                    "ntpd has no fallback list: list every source under servers (it selects the best ones itself)", null),
            new Row("poll_interval", "chrony polls each source on its own schedule: set minpoll/maxpoll on each server",
                    "ntpd polls each source on its own schedule: set minpoll/maxpoll on each server", null),
            new Row("dhcp_servers", null, "tsync keeps DHCP-provided servers for chrony only (ntpd's DHCP hooks rewrite ntp.conf, which tsync would then undo)",
                    "systemd-timesyncd takes DHCP-provided servers from systemd-networkd on its own (they come before NTP=)"),
            new Row("makestep", null, null, "systemd-timesyncd steps the clock itself when the offset is large; it has no makestep"),
            new Row("step_now", null, null, "systemd-timesyncd steps the clock itself on its first synchronisation"),
            new Row("driftfile", null, null, "systemd-timesyncd keeps no drift file (it saves the time in /var/lib/systemd/timesync/clock)"),
            new Row("rtcsync", null, null, "systemd-timesyncd has no rtcsync (the kernel's 11-minute mode copies the time to the RTC)"),
            new Row("extra", null, null, null));

    /** Why {@code daemon} cannot render {@code option}, or null when it can. */
    public static String whyNot(Daemon daemon, String option) {
        for (Row r : TABLE) {
            if (r.option().equals(option)) {
                return switch (daemon) {
                    case CHRONY -> r.chrony();
                    case NTPD -> r.ntpd();
                    case TIMESYNCD -> r.timesyncd();
                };
            }
        }
        return null;
    }

    /** An option of a spec that a daemon, or a platform's build of it, does not have. */
    public record Refusal(String option, Location at, String reason) {
        /** "playbook.yaml:7:9: xleave: ntpsec has no interleaved mode ...", for a plan-time refusal. */
        public String describe() {
            return (at == null ? "" : at + ": ") + option + ": " + reason;
        }
    }

    /**
     * The options a spec uses that its daemon lacks (from the table) or that this platform's build of the
     * daemon lacks ({@code platformSpec}, may be null when the platform is not known yet).
     */
    public static List<Refusal> refusals(NtpSpec spec, Platform.DaemonSpec platformSpec) {
        List<Refusal> out = new ArrayList<>();
        Map<String, String> platform = platformSpec == null ? Map.of() : platformSpec.refuses();
        for (Map.Entry<String, Location> used : inUse(spec)) {
            String why = whyNot(spec.daemon(), used.getKey());
            if (why == null) {
                why = platform.get(used.getKey());
            }
            if (why != null) {
                out.add(new Refusal(used.getKey(), used.getValue(), why));
            }
        }
        return out;
    }

    /** Every option a spec uses, with where it was given, servers first, in file order. */
    static List<Map.Entry<String, Location>> inUse(NtpSpec spec) {
        List<Map.Entry<String, Location>> out = new ArrayList<>();
        for (Server s : spec.servers()) {
            for (Map.Entry<String, Location> e : s.at().entrySet()) {
                if (!e.getKey().equals("entry")) {
                    out.add(e);
                }
            }
        }
        NtpSpec.Advanced a = spec.advanced();
        for (Map.Entry<String, Location> e : a.at().entrySet()) {
            if (!e.getKey().contains("[")) {
                out.add(e);
            }
        }
        if (a.local() != null && !a.local().orphan()) {
            out.add(new AbstractMap.SimpleEntry<>("local without orphan", a.at().get("local")));
        }
        return out;
    }

    private static final Set<String> CHRONY_MANAGED = Set.of("server", "pool", "peer", "refclock", "driftfile", "makestep", "rtcsync",
            "minsources", "maxdistance", "maxchange", "keyfile", "authselectmode", "leapsectz", "leapseclist", "leapsecmode", "maxslewrate", "smoothtime",
            "ntsdumpdir", "ntstrustedcerts", "sourcedir", "confdir", "include", "allow", "deny", "local", "bindaddress", "cmdport", "logdir");
    private static final Set<String> NTPD_MANAGED = Set.of("server", "pool", "peer", "driftfile", "restrict", "tos", "keys", "trustedkey",
            "interface", "leapfile", "includefile");
    private static final Set<String> TIMESYNCD_MANAGED = Set.of("NTP", "FallbackNTP", "PollIntervalMinSec", "PollIntervalMaxSec",
            "RootDistanceMaxSec");

    /**
     * Directives (timesyncd: settings) tsync writes itself: an {@code extra} line may not set them, or
     * the file would say two things and the daemon would pick one (chrony: the last; ntpd: both).
     * {@code confdir}, {@code sourcedir}, {@code include} and {@code includefile} are here too: they
     * would pull in files tsync does not manage.
     */
    public static Set<String> managed(Daemon daemon) {
        return switch (daemon) {
            case CHRONY -> CHRONY_MANAGED;
            case NTPD -> NTPD_MANAGED;
            case TIMESYNCD -> TIMESYNCD_MANAGED;
        };
    }
}
