package io.tsync.facts;

import io.tsync.model.Sha256;
import io.tsync.platform.Platform;
import io.tsync.platform.Platforms;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One host's answer to {@code tsync facts}: its facts (null unless {@link State#OK}), the platform
 * row they resolve to (null when unsupported), its config files by path, and the error otherwise.
 */
public record HostFacts(String host, State state, Facts facts, String platform, Map<String, FileInfo> files, String error) {
    /** How a host answered. */
    public enum State {
        OK, UNREACHABLE, FAILED;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** An existing config file: size in bytes and SHA-256 of its exact content. */
    public record FileInfo(long size, String sha256) {
        public static FileInfo of(byte[] content) {
            return new FileInfo(content.length, Sha256.hex(content));
        }
    }

    public static HostFacts unreachable(String host, String error) {
        return new HostFacts(host, State.UNREACHABLE, null, null, Map.of(), error == null ? "unreachable" : error);
    }

    public static HostFacts failed(String host, String error) {
        return new HostFacts(host, State.FAILED, null, null, Map.of(), error == null ? "failed" : error);
    }

    /** From the probe's raw output: parsed by {@link FactsProbe#parse}, files hashed from their exact bytes. */
    public static HostFacts parse(String host, String output) {
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
    public static HostFacts of(String host, Facts f, Map<String, FileInfo> exactFiles) {
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

    public static HostFacts of(String host, Facts f) {
        return of(host, f, Map.of());
    }

    /** The probed units that exist on the host, once per real unit (aliases such as chronyd → chrony folded). */
    public static List<Facts.Unit> loadedUnits(Facts f) {
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
}
