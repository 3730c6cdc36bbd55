package io.tsync.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Pins what the status probe sends and how it reads, byte for byte, so that a change in how the code is laid out
 * cannot change either: the script run on every host (one fixed text for every daemon and platform) and the
 * {@link HostStatus} read from every captured output, from every prefix of it (a cut connection), from it with each
 * section's exit code replaced (a tool missing, failing, timing out, too long) and from it with another host's systemd
 * units (each way of telling the daemon). Goldens under src/test/resources/status/golden; rewrite them with
 * {@code -Dgolden.update=true} only for a change meant to alter them.
 */
class StatusProbePinTest {
    private static final Path GOLDEN = Path.of("src/test/resources/status/golden");
    private static final Pattern EXIT = Pattern.compile("(?m)^@exit (\\S+) (-?\\d+)$");
    private static final Pattern SYSTEMCTL = Pattern.compile("(?s)@section systemctl\n(.*?)@exit systemctl ");

    private static void golden(String name, String actual) throws IOException {
        Path p = GOLDEN.resolve(name);
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(p, actual, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(p), p + " is missing: run once with -Dgolden.update=true");
        assertEquals(Files.readString(p, StandardCharsets.UTF_8), actual, "golden " + name);
    }

    private static List<Path> samples() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("src/test/resources/status"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("probe-")).sorted().toList();
        }
    }

    private static List<Path> fuzzSeeds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("src/test/resources/io/tsync/fuzz/StatusProbeFuzzTestInputs/fuzz"))) {
            return s.sorted().toList();
        }
    }

    /** As the fuzz test and a host's bytes are read: malformed UTF-8 replaced, never refused. */
    private static String read(Path p) throws IOException {
        return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    }

    @Test
    void scriptIsByteForByteTheSame() throws IOException {
        golden("probe-script.sh", StatusProbe.command());
    }

    @Test
    void everyCapturedOutputReadsTheSame() throws IOException {
        StringBuilder b = new StringBuilder();
        for (Path p : Stream.concat(samples().stream(), fuzzSeeds().stream()).toList()) {
            b.append("== ").append(p.getParent().getFileName()).append('/').append(p.getFileName()).append('\n')
                    .append(StatusProbe.parse("h1", read(p))).append('\n');
        }
        golden("parsed-outputs.txt", b.toString());
    }

    /** Hundreds of variants: their statuses are pinned by digest, one line per captured output and kind of variant. */
    @Test
    void everyVariantReadsTheSame() throws IOException {
        List<Path> samples = samples();
        StringBuilder b = new StringBuilder();
        for (Path p : samples) {
            String full = read(p);
            List<String> prefixes = new ArrayList<>();
            for (int i = 0; i <= full.length(); i = full.indexOf('\n', i) < 0 ? full.length() + 1 : full.indexOf('\n', i) + 1) {
                prefixes.add(full.substring(0, Math.min(i, full.length())));
            }
            List<String> exits = new ArrayList<>();
            Matcher m = EXIT.matcher(full);
            while (m.find()) {
                for (String code : List.of("0", "1", "124", "127", "-1", "x")) {
                    exits.add(full.substring(0, m.start(2)) + code + full.substring(m.end(2)));
                }
            }
            List<String> units = new ArrayList<>();
            Matcher own = SYSTEMCTL.matcher(full);
            for (Path q : samples) {
                Matcher other = SYSTEMCTL.matcher(read(q));
                if (own.find(0) && other.find()) {
                    units.add(full.substring(0, own.start(1)) + other.group(1) + full.substring(own.end(1)));
                }
            }
            String name = p.getFileName().toString();
            b.append(line(name, "prefixes", prefixes)).append(line(name, "exit-codes", exits)).append(line(name, "units", units));
        }
        golden("parsed-variants.txt", b.toString());
    }

    private static String line(String name, String kind, List<String> inputs) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (String in : inputs) {
                d.update((StatusProbe.parse("h1", in) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return name + " " + kind + " " + inputs.size() + " " + HexFormat.of().formatHex(d.digest()) + "\n";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
