package io.tsync.load;

import io.tsync.model.NtpKey;
import io.tsync.model.NtpSpec;
import io.tsync.model.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the values of a spec's keys from where the playbook says they are: the controller's
 * environment or a file. No message here ever contains a value: a malformed one is described by its
 * shape only.
 */
public final class KeyMaterial {
    private KeyMaterial() {}

    /**
     * The spec with every key's value read. A key whose source is missing is a problem when
     * {@code strict} (apply: it must write the key file) and a warning otherwise (validate, status: they
     * run where the secrets may not be, such as a pull request's CI); a value that is there but is not a
     * key is always a problem.
     */
    public static NtpSpec resolve(NtpSpec spec, Map<String, String> env, boolean strict, List<Problem> problems, List<Problem> warnings) {
        if (spec == null || spec.advanced().keys().isEmpty()) {
            return spec;
        }
        List<NtpKey> out = new ArrayList<>();
        for (NtpKey k : spec.advanced().keys()) {
            String raw;
            String missing = null;
            if (k.env() != null) {
                raw = env.get(k.env());
                if (raw == null || raw.isBlank()) {
                    missing = "environment variable " + k.env() + " (key " + k.id() + ") is not set";
                }
            } else {
                raw = read(Path.of(k.file()));
                if (raw == null) {
                    missing = "key file " + k.file() + " (key " + k.id() + ") does not exist or cannot be read";
                }
            }
            if (missing != null) {
                (strict ? problems : warnings).add(problem(k, missing + (strict ? "" : "; apply will refuse to run without it"),
                        k.env() != null ? "export " + k.env() + "=HEX:... on the machine running tsync (chronyc keygen " + k.id() + " " + k.type()
                                + " 256 prints a key; use its last field)" : "create it with the key's hex digits on one line, readable only by you"));
                out.add(k);
                continue;
            }
            String value = raw.strip();
            if (!Grammar.isHexKey(value)) {
                problems.add(problem(k, "the value of key " + k.id() + " (" + k.source() + ") is not a random key of 128 to 512 bits in hex "
                        + "(" + shape(value) + "; the value itself is not shown)", "use 32 to 128 hex digits, optionally prefixed HEX: "
                        + "(chronyc keygen " + k.id() + " " + k.type() + " 256 prints one)"));
                out.add(k);
                continue;
            }
            out.add(k.withValue(new Secret(Grammar.hexDigits(value))));
        }
        return spec.withAdvanced(spec.advanced().withKeys(out));
    }

    /** What a bad value looks like, without any of its characters: its length and the kinds of characters in it. */
    static String shape(String v) {
        boolean lines = v.contains("\n");
        boolean space = v.chars().anyMatch(Character::isWhitespace);
        boolean nonHex = (v.startsWith("HEX:") ? v.substring(4) : v).chars().anyMatch(c -> Character.digit(c, 16) < 0);
        List<String> what = new ArrayList<>();
        what.add(v.length() + " characters");
        if (lines) {
            what.add("several lines");
        } else if (space) {
            what.add("spaces");
        }
        if (nonHex) {
            what.add("characters that are not hex digits");
        }
        return String.join(", ", what);
    }

    private static String read(Path p) {
        try {
            if (!Files.isRegularFile(p) || Files.size(p) > 4096) {
                return null;
            }
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    private static Problem problem(NtpKey k, String message, String fix) {
        return new Problem(k.at().file(), k.at().line(), k.at().column(), message, fix);
    }
}
