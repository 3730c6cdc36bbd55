package io.tsync.status;

import io.tsync.clock.FleetSpread;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders {@link HostStatus} rows in Prometheus' text exposition format (version 0.0.4): what
 * {@code tsync status --format prometheus} prints for node_exporter's textfile collector and what
 * {@code tsync status --serve} answers at {@code /metrics}. Every family is a gauge named {@code tsync_*}, with HELP
 * and TYPE lines, base units (seconds) and a {@code host} label; a value tsync does not know is left out rather than
 * written as a number it is not. The metrics are listed in {@code docs/monitoring.md}.
 */
public final class StatusPrometheus {
    /** The Content-Type of this format, for an HTTP answer. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** Source states as label values, in {@link HostStatus#STATES} order (chrony's words for * + - ? x ~). */
    static final Map<Character, String> STATE_WORDS = Map.of('*', "selected", '+', "combined", '-', "not_combined",
            '?', "unusable", 'x', "falseticker", '~', "too_variable");

    private static final List<String> LEAP = List.of("Normal", "Insert second", "Delete second", "Not synchronised");

    private StatusPrometheus() {}

    /**
     * One host of the exposition.
     *
     * @param status the probed status
     * @param platform e.g. {@code debian12} (os-release ID and VERSION_ID), {@code null} when unknown
     * @param playbookMatch whether the host matches the playbook; {@code null} without a playbook or when unknown
     */
    public record Host(HostStatus status, String platform, Boolean playbookMatch) {}

    /** The exposition of one status run that took {@code took} and ended at {@code finished}. */
    public static String render(List<Host> hosts, Duration took, Instant finished) {
        List<Family> families = new ArrayList<>();
        Family up = add(families, "tsync_host_up", "Whether tsync could probe the host over SSH (1) or not (0).");
        Family synced = add(families, "tsync_synced",
                "Whether the host's clock is synchronised: a selected source and a leap status other than Not synchronised.");
        Family verdict = add(families, "tsync_verdict",
                "The host's verdict: 1 for the current one of synced, syncing, unsynced, daemon_down, unreachable.");
        Family info = add(families, "tsync_host_info", "Always 1; labels name the host's time daemon, platform and timezone.");
        Family active = add(families, "tsync_daemon_active", "Whether the time daemon's systemd unit is active.");
        Family enabled = add(families, "tsync_daemon_enabled", "Whether the time daemon's systemd unit starts at boot.");
        Family stratum = add(families, "tsync_stratum", "The host's NTP stratum (16: unsynchronised).");
        Family last = add(families, "tsync_last_offset_seconds", "Offset of the system clock at the last clock update.");
        Family rms = add(families, "tsync_rms_offset_seconds",
                "Long-term RMS of the clock offset (chrony: RMS offset; ntpd: sys_jitter).");
        Family measured = add(families, "tsync_measured_offset_seconds",
                "The host's clock minus the controller's (or --reference's), as tsync measured it over SSH.");
        Family measuredError = add(families, "tsync_measured_error_seconds",
                "Error bound of tsync_measured_offset_seconds (half the shortest round trip): the true offset lies within it.");
        Family reach = add(families, "tsync_reach",
                "Reachability register of the selected source, 0 to 255 (255 = octal 377: the last 8 polls answered).");
        Family leap = add(families, "tsync_leap_status",
                "The daemon's leap status: 1 for the current one of normal, insert_second, delete_second, not_synchronised.");
        Family sources = add(families, "tsync_sources",
                "Time sources per state (chronyc sources / ntpq -p: * selected, + combined, - not_combined, ? unusable, x falseticker, ~ too_variable).");
        Family match = add(families, "tsync_playbook_match",
                "Whether the host matches the playbook given to tsync status (1) or has changes pending (0).");
        Family spread = add(families, "tsync_fleet_spread_seconds",
                "Largest minus smallest measured offset of the hosts of the run: how far apart their clocks are.");
        Family spreadError = add(families, "tsync_fleet_spread_error_seconds", "Error bound of tsync_fleet_spread_seconds.");
        Family duration = add(families, "tsync_status_duration_seconds", "How long the status run (one probe of every host) took.");
        Family timestamp = add(families, "tsync_status_timestamp_seconds", "Unix time at which the status run ended.");

        for (Host hst : hosts) {
            HostStatus h = hst.status();
            Map<String, String> host = Map.of("host", h.host());
            boolean reached = h.verdict() != Verdict.UNREACHABLE;
            up.add(host, reached ? 1 : 0);
            synced.add(host, h.verdict() == Verdict.SYNCED ? 1 : 0);
            for (Verdict v : Verdict.values()) {
                verdict.add(labels("host", h.host(), "verdict", v.key()), v == h.verdict() ? 1 : 0);
            }
            if (!reached) {
                continue;
            }
            info.add(labels("host", h.host(), "daemon", h.daemonKey(), "platform", orEmpty(hst.platform()),
                    "timezone", orEmpty(h.timezone())), 1);
            Map<String, String> daemon = labels("host", h.host(), "daemon", h.daemonKey());
            if (h.active() != null) {
                active.add(daemon, h.active() ? 1 : 0);
            }
            if (h.enabled() != null) {
                enabled.add(daemon, h.enabled() ? 1 : 0);
            }
            if (h.stratum() != null) {
                stratum.add(host, h.stratum());
            }
            if (h.lastOffsetSeconds() != null) {
                last.add(host, h.lastOffsetSeconds());
            }
            if (h.rmsOffsetSeconds() != null) {
                rms.add(host, h.rmsOffsetSeconds());
            }
            if (h.measured() != null) {
                measured.add(host, h.measured().seconds());
                measuredError.add(host, h.measured().errorSeconds());
            }
            if (h.reach() != null) {
                reach.add(host, h.reach());
            }
            if (h.leap() != null) {
                for (String l : LEAP) {
                    leap.add(labels("host", h.host(), "status", word(l)), l.equals(h.leap()) ? 1 : 0);
                }
                if (!LEAP.contains(h.leap())) {
                    leap.add(labels("host", h.host(), "status", word(h.leap())), 1);
                }
            }
            // as in the table: no counts when the daemon does not answer
            if (h.verdict() != Verdict.DAEMON_DOWN) {
                for (Character s : HostStatus.STATES) {
                    sources.add(labels("host", h.host(), "state", STATE_WORDS.get(s)), h.sourceStateCounts().get(s));
                }
            }
            if (hst.playbookMatch() != null) {
                match.add(host, hst.playbookMatch() ? 1 : 0);
            }
        }
        FleetSpread fleet = ClockVerdict.spread(hosts.stream().map(Host::status).toList());
        if (fleet != null) {
            spread.add(Map.of(), fleet.seconds());
            spreadError.add(Map.of(), fleet.errorSeconds());
        }
        duration.add(Map.of(), took.toNanos() / 1e9);
        timestamp.add(Map.of(), finished.toEpochMilli() / 1e3);

        StringBuilder out = new StringBuilder();
        for (Family f : families) {
            f.write(out);
        }
        return out.toString();
    }

    /** {@code Insert second} as a label value: {@code insert_second}. */
    static String word(String s) {
        return s.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    }

    /** A number as the format writes it: integers without a fraction, others in plain decimal, never an exponent. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return BigDecimal.valueOf(v).toPlainString();
    }

    /** A label value with backslash, double quote and line feed escaped, as the format requires. */
    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static Map<String, String> labels(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static Family add(List<Family> families, String name, String help) {
        Family f = new Family(name, help);
        families.add(f);
        return f;
    }

    /** One metric family: its samples are written together after its HELP and TYPE lines; an empty family not at all. */
    private static final class Family {
        final String name;
        final String help;
        final StringBuilder samples = new StringBuilder();

        Family(String name, String help) {
            this.name = name;
            this.help = help;
        }

        void add(Map<String, String> labels, double value) {
            samples.append(name);
            if (!labels.isEmpty()) {
                samples.append('{');
                boolean first = true;
                for (Map.Entry<String, String> e : labels.entrySet()) {
                    samples.append(first ? "" : ",").append(e.getKey()).append("=\"").append(escape(e.getValue())).append('"');
                    first = false;
                }
                samples.append('}');
            }
            samples.append(' ').append(number(value)).append('\n');
        }

        void write(StringBuilder out) {
            if (samples.isEmpty()) {
                return;
            }
            out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
            out.append("# TYPE ").append(name).append(" gauge\n");
            out.append(samples);
        }
    }
}
