package io.tsync.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One fuzz input as several files: the first part is the main file (a playbook or an inventory), and a
 * line {@code @@@ group_vars/NAME} or {@code @@@ host_vars/NAME} (NAME may be DIR/FILE) starts the next
 * file. Seeds stay readable (a seed is the files one after the other), and the fuzzer can grow, drop
 * and rename the vars files. Bytes are kept as given, so invalid UTF-8 reaches the loaders' readers.
 */
public final class FuzzFiles {
    private static final Pattern MARK = Pattern.compile("\n@@@ ((?:group|host)_vars/[A-Za-z0-9_][A-Za-z0-9_.-]{0,40}(?:/[A-Za-z0-9_][A-Za-z0-9_.-]{0,40})?)\n");

    private final Path dir;

    /** A fresh directory for one fuzz target, reused by every input (cleared before each). */
    public FuzzFiles(String name) {
        try {
            dir = Files.createTempDirectory("tsync-fuzz-" + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::clear));
    }

    /** Writes {@code input} as {@code mainFile} and its vars files; returns the main file's path. */
    public Path write(byte[] input, String mainFile) {
        clear();
        String s = new String(input, StandardCharsets.ISO_8859_1); // byte for byte
        Map<String, String> files = new LinkedHashMap<>();
        var m = MARK.matcher(s);
        String name = mainFile;
        int from = 0;
        while (m.find()) {
            files.merge(name, s.substring(from, m.start() + 1), String::concat);
            name = m.group(1);
            from = m.end();
        }
        files.merge(name, s.substring(from), String::concat);
        try {
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path p = dir.resolve(f.getKey());
                Files.createDirectories(p.getParent());
                if (Files.isDirectory(p)) {
                    continue; // group_vars/x and group_vars/x/y in one input: the directory wins
                }
                Files.write(p, f.getValue().getBytes(StandardCharsets.ISO_8859_1));
            }
        } catch (IOException e) {
            // group_vars/x/y after group_vars/x was written as a file: not a loader's concern, keep what was written
        }
        return dir.resolve(mainFile);
    }

    private void clear() {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(dir)).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
