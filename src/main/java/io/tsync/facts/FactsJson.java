package io.tsync.facts;

import io.tsync.report.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON document of {@code tsync facts --json}, schema {@value #SCHEMA}, documented in
 * {@code docs/cli.md} and {@code docs/schemas/facts.schema.json}.
 */
public final class FactsJson {
    /** Schema identifier of {@code --json}; bump the version on any incompatible change. */
    public static final String SCHEMA = "tsync.facts/v1";

    /** Packages whose installed version is reported (the ones {@link FactsProbe} asks dpkg/rpm about). */
    public static final List<String> PACKAGES = List.of("chrony", "ntp", "ntpsec", "systemd-timesyncd");

    private FactsJson() {}

    /** The pretty-printed {@value #SCHEMA} document, ending in a newline. */
    public static String write(List<HostFacts> rows) {
        return write(rows, null);
    }

    /** ... with the {@code slice} this run handled (null: the whole selection). */
    public static String write(List<HostFacts> rows, Map<String, Object> slice) {
        Map<String, Object> doc = document(rows);
        doc.put("slice", slice);
        return Json.write(doc, true) + "\n";
    }

    /** The document as plain maps and lists; every key of docs/cli.md is always present. */
    public static Map<String, Object> document(List<HostFacts> rows) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", SCHEMA);
        List<Object> hosts = new ArrayList<>();
        for (HostFacts r : rows) {
            hosts.add(host(r));
        }
        doc.put("hosts", hosts);
        return doc;
    }

    private static Map<String, Object> host(HostFacts r) {
        Facts f = r.facts();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", r.host());
        m.put("state", r.state().key());
        m.put("error", r.error());
        if (f == null) {
            m.put("os", null);
            m.put("platform", null);
            m.put("virtualization", null);
            m.put("timezone", null);
            m.put("packageManagers", List.of());
            Map<String, Object> pkgs = new LinkedHashMap<>();
            PACKAGES.forEach(p -> pkgs.put(p, null));
            m.put("packages", pkgs);
            m.put("units", List.of());
            m.put("files", List.of());
            return m;
        }
        Map<String, Object> os = new LinkedHashMap<>();
        os.put("id", f.osId());
        os.put("idLike", f.osIdLike());
        os.put("versionId", f.osVersionId());
        os.put("prettyName", f.prettyName());
        m.put("os", os);
        m.put("platform", r.platform());
        m.put("virtualization", f.virtualization() == null || f.virtualization().isBlank() ? null : f.virtualization());
        m.put("timezone", f.timezone());
        m.put("packageManagers", f.packageManagers());
        Map<String, Object> pkgs = new LinkedHashMap<>();
        for (String p : PACKAGES) {
            pkgs.put(p, f.installed(p) ? f.packages().get(p) : null);
        }
        m.put("packages", pkgs);
        List<Object> units = new ArrayList<>();
        for (String name : FactsProbe.UNITS) {
            Facts.Unit u = f.units().get(name);
            if (u == null) {
                continue;
            }
            Map<String, Object> um = new LinkedHashMap<>();
            um.put("unit", name);
            um.put("id", u.id());
            um.put("loadState", u.loadState());
            um.put("activeState", u.activeState());
            um.put("unitFileState", u.unitFileState());
            um.put("active", u.active());
            um.put("enabled", u.enabled());
            units.add(um);
        }
        m.put("units", units);
        List<Object> files = new ArrayList<>();
        Set<String> paths = new LinkedHashSet<>(FactsProbe.FILES);
        paths.addAll(r.files().keySet());
        for (String p : paths) {
            HostFacts.FileInfo i = r.files().get(p);
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("path", p);
            fm.put("exists", i != null);
            fm.put("size", i == null ? null : i.size());
            fm.put("sha256", i == null ? null : i.sha256());
            files.add(fm);
        }
        m.put("files", files);
        return m;
    }
}
