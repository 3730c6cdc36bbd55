package io.tsync.status;

import io.tsync.clock.FleetSpread;
import io.tsync.report.Json;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders {@link HostStatus} rows as the JSON document of {@code tsync status --json}, schema
 * {@value #SCHEMA}, documented in {@code docs/status-json.md}. Offsets are numbers in seconds; unknown values are
 * {@code null}; every key is always present.
 */
public final class StatusJson {
    /** The schema identifier written in every document; bump the version on any incompatible change. */
    public static final String SCHEMA = "tsync.status/v1";

    private StatusJson() {}

    /** The pretty-printed document {@code {"schema": "tsync.status/v1", "hosts": [...]}}. */
    public static String render(List<HostStatus> hosts) {
        return Json.write(document(hosts), true) + "\n";
    }

    /** With a playbook, whether a host matches it and the planner's word on it ("matches", "drift: ..."). */
    public record PlaybookMatch(boolean matches, String detail) {}

    /**
     * The document {@code tsync status --json} prints: with a playbook ({@code matches} one per host,
     * else null) each host also has {@code playbookMatch} and {@code playbookDetail}; then the
     * {@code slice} of the run (null without --slice).
     */
    public static Map<String, Object> document(List<HostStatus> hosts, List<PlaybookMatch> matches, Map<String, Object> slice) {
        Map<String, Object> doc = document(hosts);
        if (matches != null) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> list = (List<Map<String, Object>>) doc.get("hosts");
            for (int i = 0; i < list.size(); i++) {
                list.get(i).put("playbookMatch", matches.get(i).matches());
                list.get(i).put("playbookDetail", matches.get(i).detail());
            }
        }
        doc.put("slice", slice);
        return doc;
    }

    /**
     * With {@code --reference}: the server, the controller's clock against it (the server's minus the controller's)
     * and its error, or why it could not be measured; the hosts' measured offsets are then stated against it.
     */
    public static Map<String, Object> reference(ClockVerdict.Reference r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("server", r.server());
        m.put("controllerOffsetSeconds", r.controller() == null ? null : r.controller().seconds());
        m.put("controllerErrorSeconds", r.controller() == null ? null : r.controller().errorSeconds());
        m.put("error", r.error());
        return m;
    }

    /** The document as plain maps and lists, in key order. */
    public static Map<String, Object> document(List<HostStatus> hosts) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", SCHEMA);
        List<Object> list = new ArrayList<>();
        for (HostStatus h : hosts) {
            list.add(host(h));
        }
        doc.put("hosts", list);
        FleetSpread spread = ClockVerdict.spread(hosts);
        doc.put("fleetSpreadSeconds", spread == null ? null : spread.seconds());
        doc.put("fleetSpreadErrorSeconds", spread == null ? null : spread.errorSeconds());
        return doc;
    }

    private static Map<String, Object> host(HostStatus h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", h.host());
        m.put("verdict", h.verdict().key());
        m.put("detail", h.detail());
        m.put("localTime", h.localTime() == null ? null : h.localTime().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        m.put("timezone", h.timezone());
        m.put("daemon", h.daemonKey());
        m.put("active", h.active());
        m.put("enabled", h.enabled());
        m.put("selectedSource", h.selectedSource());
        m.put("stratum", h.stratum());
        m.put("lastOffsetSeconds", h.lastOffsetSeconds());
        m.put("rmsOffsetSeconds", h.rmsOffsetSeconds());
        m.put("measuredOffsetSeconds", h.measured() == null ? null : h.measured().seconds());
        m.put("measuredErrorSeconds", h.measured() == null ? null : h.measured().errorSeconds());
        m.put("reach", h.reach());
        m.put("leap", h.leap());
        Map<String, Object> counts = new LinkedHashMap<>();
        h.sourceStateCounts().forEach((k, v) -> counts.put(String.valueOf(k), v));
        m.put("sourceStateCounts", counts);
        List<Object> sources = new ArrayList<>();
        for (Source s : h.sources()) {
            sources.add(source(s));
        }
        m.put("sources", sources);
        return m;
    }

    private static Map<String, Object> source(Source s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", String.valueOf(s.state()));
        m.put("tally", String.valueOf(s.tally()));
        m.put("mode", s.mode());
        m.put("address", s.address());
        m.put("refid", s.refid());
        m.put("stratum", s.stratum());
        m.put("pollLog2", s.pollLog2());
        m.put("reach", s.reach());
        m.put("lastRxSeconds", s.lastRxSeconds());
        m.put("offsetSeconds", s.offsetSeconds());
        m.put("measuredOffsetSeconds", s.measuredOffsetSeconds());
        m.put("errorSeconds", s.errorSeconds());
        m.put("delaySeconds", s.delaySeconds());
        m.put("jitterSeconds", s.jitterSeconds());
        m.put("poolPlaceholder", s.poolPlaceholder());
        return m;
    }
}
