package io.tsync.cli;

import io.tsync.exec.Executor;
import io.tsync.facts.Facts;
import io.tsync.facts.FactsProbe;
import io.tsync.load.InvalidInputException;
import io.tsync.model.Host;
import io.tsync.model.Inventory;
import io.tsync.platform.Platform;
import io.tsync.platform.Platforms;
import io.tsync.report.Json;
import io.tsync.transport.ExecResult;
import io.tsync.transport.Transport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tsync facts}: what tsync sees on each host, read-only. One connection and ONE exec per host
 * (the same {@link FactsProbe} script apply uses, run without sudo), hosts in parallel bounded by
 * {@code --forks}. Config files are summarised by size and SHA-256, never printed.
 */
@Command(name = "facts", mixinStandardHelpOptions = true,
        description = "What tsync sees on each host: OS, platform, timezone, packages, units, files.",
        footerHeading = "%nExamples:%n", footer = {"  tsync facts -i inventory.yaml",
                "  tsync facts -i inventory.yaml --limit web1 --json | jq '.hosts[0].packages'", "",
                "Exit: 0 all hosts answered, 3 invalid input, 4 probe failed, 5 unreachable."})
final class FactsCommand implements Callable<Integer> {
    /** Schema identifier of {@code --json}; bump the version on any incompatible change. */
    static final String SCHEMA = "tsync.facts/v1";

    /** Packages whose installed version is reported (the ones {@link FactsProbe} asks dpkg/rpm about). */
    static final List<String> PACKAGES = List.of("chrony", "ntp", "ntpsec");

    @Mixin
    FleetOptions fleet;

    @Option(names = "--json", description = "JSON output, schema " + SCHEMA + " (docs/cli.md)")
    boolean json;

    @Override
    public Integer call() {
        List<Host> hosts;
        Executor.Connector connector;
        try {
            Inventory inv = fleet.loadInventory();
            hosts = fleet.limit(inv, inv.hosts());
            connector = fleet.connector(inv, hosts);
        } catch (InvalidInputException e) {
            System.err.println(e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        List<HostFacts> rows = gather(hosts, connector, fleet.forks, Duration.ofSeconds(Math.min(fleet.commandTimeout, 60)));
        System.out.print(json ? json(rows, fleet.sliceJson()) : table(rows));
        System.out.flush();
        return exitCode(rows);
    }

    // ---------------------------------------------------------------- gathering

    /** Each host in parallel (at most {@code forks} at once), in inventory order. */
    static List<HostFacts> gather(List<Host> hosts, Executor.Connector connector, int forks, Duration timeout) {
        return io.tsync.exec.Parallel.map(hosts, forks, "tsync-facts", h -> one(h, connector, timeout),
                (h, e) -> HostFacts.failed(h.name(), "internal error: " + e));
    }

    static HostFacts one(Host host, Executor.Connector connector, Duration timeout) {
        Transport t;
        try {
            t = connector.open(host);
        } catch (IOException e) {
            return HostFacts.unreachable(host.name(), e.getMessage());
        }
        try (t) {
            ExecResult r = t.execUnprivileged(FactsProbe.command(), timeout);
            if (!r.ok()) {
                return HostFacts.failed(host.name(), "facts probe failed (exit " + r.exit() + "): " + r.errorText());
            }
            return HostFacts.parse(host.name(), r.stdout());
        } catch (IOException e) {
            return HostFacts.failed(host.name(), e.getMessage());
        }
    }

    static int exitCode(List<HostFacts> rows) {
        if (rows.stream().anyMatch(r -> r.state() == State.FAILED)) {
            return ExitCodes.HOST_FAILED;
        }
        if (rows.stream().anyMatch(r -> r.state() == State.UNREACHABLE)) {
            return ExitCodes.HOST_UNREACHABLE;
        }
        return ExitCodes.OK;
    }

    // ---------------------------------------------------------------- model

    /** How a host answered. */
    enum State {
        OK, UNREACHABLE, FAILED;

        String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** An existing config file: size in bytes and SHA-256 of its exact content. */
    record FileInfo(long size, String sha256) {
        static FileInfo of(byte[] content) {
            try {
                return new FileInfo(content.length, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 missing from the JDK", e);
            }
        }
    }

    /**
     * One host's answer: its facts (null unless {@link State#OK}), the platform row they resolve to
     * (null when unsupported), its config files by path, and the error otherwise.
     */
    record HostFacts(String host, State state, Facts facts, String platform, Map<String, FileInfo> files, String error) {
        static HostFacts unreachable(String host, String error) {
            return new HostFacts(host, State.UNREACHABLE, null, null, Map.of(), error == null ? "unreachable" : error);
        }

        static HostFacts failed(String host, String error) {
            return new HostFacts(host, State.FAILED, null, null, Map.of(), error == null ? "failed" : error);
        }

        /** From the probe's raw output: parsed by {@link FactsProbe#parse}, files hashed from their exact bytes. */
        static HostFacts parse(String host, String output) {
            Facts f;
            Map<String, FileInfo> files = new LinkedHashMap<>();
            try {
                f = FactsProbe.parse(output);
                FactsProbe.fileBytes(output).forEach((path, bytes) -> files.put(path, FileInfo.of(bytes)));
            } catch (FactsProbe.FactsException e) {
                return failed(host, e.getMessage());
            }
            return of(host, f, files);
        }

        /**
         * From parsed facts. Files missing from {@code exactFiles} are hashed from the parsed text
         * (UTF-8), which equals the file's bytes for any UTF-8 (e.g. ASCII) config file.
         */
        static HostFacts of(String host, Facts f, Map<String, FileInfo> exactFiles) {
            Map<String, FileInfo> files = new LinkedHashMap<>();
            Set<String> paths = new LinkedHashSet<>(FactsProbe.FILES);
            paths.addAll(new TreeMap<>(f.files()).keySet());
            for (String p : paths) {
                if (exactFiles.containsKey(p)) {
                    files.put(p, exactFiles.get(p));
                } else if (f.files().containsKey(p)) {
                    files.put(p, FileInfo.of(f.files().get(p).getBytes(StandardCharsets.UTF_8)));
                }
            }
            String platform = Platforms.lookup(f.osId(), f.osIdLike(), f.osVersionId()).map(Platform::id).orElse(null);
            return new HostFacts(host, State.OK, f, platform, files, null);
        }

        static HostFacts of(String host, Facts f) {
            return of(host, f, Map.of());
        }
    }

    /** The probed units that exist on the host, once per real unit (aliases such as chronyd → chrony folded). */
    static List<Facts.Unit> loadedUnits(Facts f) {
        List<Facts.Unit> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String name : FactsProbe.UNITS) {
            Facts.Unit u = f.units().get(name);
            if (u != null && u.loaded() && seen.add(u.id().isEmpty() ? name : u.id())) {
                out.add(u);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- text table

    private static final List<String> HEADERS = List.of("HOST", "STATE", "OS", "PLATFORM", "VIRT", "TIMEZONE", "PKG MGR",
            "PACKAGES", "UNITS (active/enabled)", "CONFIG FILES (size sha256)", "DETAIL");

    /** One line per host after a header; unknown values as {@code -}; every line ends in a newline. */
    static String table(List<HostFacts> rows) {
        List<List<String>> cells = new ArrayList<>();
        cells.add(HEADERS);
        for (HostFacts r : rows) {
            cells.add(cells(r));
        }
        int[] width = new int[HEADERS.size()];
        for (List<String> c : cells) {
            for (int i = 0; i < c.size(); i++) {
                width[i] = Math.max(width[i], c.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> c : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < c.size(); i++) {
                if (i > 0) {
                    line.append("  ");
                }
                line.append(c.get(i));
                if (i < c.size() - 1) {
                    line.append(" ".repeat(width[i] - c.get(i).length()));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static List<String> cells(HostFacts r) {
        List<String> c = new ArrayList<>();
        c.add(r.host());
        c.add(r.state().key());
        Facts f = r.facts();
        if (f == null) {
            for (int i = 2; i < HEADERS.size() - 1; i++) {
                c.add("-");
            }
            c.add(oneLine(r.error()));
            return c;
        }
        c.add(dash((f.osId() + " " + f.osVersionId()).strip()));
        c.add(r.platform() == null ? "unsupported" : r.platform());
        c.add(dash(f.virtualization()));
        c.add(dash(f.timezone()));
        c.add(dash(String.join(",", f.packageManagers())));
        List<String> pkgs = new ArrayList<>();
        for (String p : PACKAGES) {
            if (f.installed(p)) {
                pkgs.add(p + " " + f.packages().get(p));
            }
        }
        c.add(dash(String.join(", ", pkgs)));
        List<String> units = new ArrayList<>();
        for (Facts.Unit u : loadedUnits(f)) {
            units.add(shortUnit(u.id().isEmpty() ? u.name() : u.id()) + " " + dash(u.activeState()) + "/"
                    + (u.unitFileState().isEmpty() ? "-" : u.unitFileState()));
        }
        c.add(dash(String.join(", ", units)));
        List<String> files = new ArrayList<>();
        r.files().forEach((p, i) -> files.add(p + " " + i.size() + "B " + i.sha256().substring(0, 12)));
        c.add(dash(String.join(", ", files)));
        c.add("-");
        return c;
    }

    private static String shortUnit(String unit) {
        return unit.endsWith(".service") ? unit.substring(0, unit.length() - ".service".length()) : unit;
    }

    private static String dash(String s) {
        return s == null || s.isBlank() ? "-" : s;
    }

    private static String oneLine(String s) {
        return s == null || s.isBlank() ? "-" : s.strip().replaceAll("\\s*\n\\s*", " | ");
    }

    // ---------------------------------------------------------------- JSON

    /** The pretty-printed {@value #SCHEMA} document, ending in a newline. */
    static String json(List<HostFacts> rows) {
        return json(rows, null);
    }

    /** ... with the {@code slice} this run handled (null: the whole selection). */
    static String json(List<HostFacts> rows, Map<String, Object> slice) {
        Map<String, Object> doc = document(rows);
        doc.put("slice", slice);
        return Json.write(doc, true) + "\n";
    }

    /** The document as plain maps and lists; every key of docs/cli.md is always present. */
    static Map<String, Object> document(List<HostFacts> rows) {
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
            FileInfo i = r.files().get(p);
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
