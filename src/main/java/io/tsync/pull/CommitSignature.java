package io.tsync.pull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What git says of one commit's signature, checked against an allowed-signers file (Git's
 * {@code gpg.ssh.allowedSignersFile} format) for {@code tsync pull --verify-commit}. Only a good SSH
 * signature by a key in the file passes: git verifies an OpenPGP signature with root's gpg keyring
 * whatever {@code gpg.format} says, so a "good" OpenPGP signature is refused too.
 *
 * @param commit  the full SHA checked
 * @param status  git's {@code %G?}: G good, B bad, U good but the key is not an allowed signer, X/Y
 *                expired signature/key, R revoked key, E cannot be checked, N unsigned
 * @param signer  the principal the allowed-signers file names for the key ({@code %GS}), or empty
 * @param key     the key's fingerprint ({@code %GF}: SHA256:... for SSH), or empty
 * @param gitSays git's own words on the check ({@code %GG}), for a signature that cannot be checked
 */
public record CommitSignature(String commit, char status, String signer, String key, String gitSays) {
    /** Passed to {@code git log -1 --format=}; {@link #parse} reads it. */
    public static final String FORMAT = "%G?%n%GS%n%GF%n%GG";

    private static final Pattern KEY_TYPE = Pattern.compile(
            "(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\\.com|sk-ecdsa-sha2-nistp256@openssh\\.com)(-cert-v01@openssh\\.com)?");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]{16,}={0,2}");

    /** Reads {@code git log -1 --format=FORMAT commit}'s output. */
    public static CommitSignature parse(String commit, String out) {
        String[] f = out.split("\n", 4);
        char status = f[0].isEmpty() ? 'E' : f[0].charAt(0);
        return new CommitSignature(commit, status, f.length > 1 ? f[1].strip() : "", f.length > 2 ? f[2].strip() : "",
                f.length > 3 ? f[3].strip() : "");
    }

    /** A good signature, made with an SSH key that the allowed-signers file names. */
    public boolean good() {
        return status == 'G' && key.startsWith("SHA256:");
    }

    /** For the journal: "commit 1a2b3c4d5e6f is signed by ci@example.com (key SHA256:...)". */
    public String describe() {
        return "commit " + shortCommit() + " is signed by " + signer + " (key " + key + ")";
    }

    /**
     * Why the commit is refused, what the host keeps and the fix, naming the allowed-signers file.
     *
     * @param stays the commit the checkout stays on (the last verified one), or null for none yet
     */
    public String refusal(Path allowedSigners, String stays) {
        String why = switch (status) {
            case 'N' -> "is unsigned";
            case 'U' -> "is signed by key " + key + ", which is not in " + allowedSigners;
            case 'G' -> "is signed by OpenPGP key " + key + "; --allowed-signers takes SSH signatures only";
            case 'B' -> "has a bad signature (key " + key + "): the commit or its signature was altered";
            case 'X' -> "has an expired signature (key " + key + ")";
            case 'Y' -> "is signed by key " + key + ", which has expired";
            case 'R' -> "is signed by key " + key + ", which is revoked";
            default -> "has a signature that cannot be checked" + (key.isEmpty() ? "" : " (key " + key + ")")
                    + (gitSays.isEmpty() ? "" : ": " + gitSays.lines().findFirst().orElse(""));
        };
        return "refused commit " + commit + ": it " + why + "; "
                + (stays == null ? "nothing is checked out yet" : "this host stays on commit " + stays + ", the last verified")
                + "\n  fix: sign the branch's head with a key listed in " + allowedSigners
                + " (git -c gpg.format=ssh -c user.signingkey=KEY commit -S), or add its signer there";
    }

    private String shortCommit() {
        return commit.substring(0, Math.min(12, commit.length()));
    }

    /**
     * Problems with an allowed-signers file before any run: it must be a readable regular file outside
     * the checkout (a file the repository brings could let its author allow himself) with at least one
     * "PRINCIPALS [OPTIONS] KEYTYPE BASE64 [COMMENT]" line. Empty when it is fine; each problem names
     * FILE:LINE and the fix.
     */
    public static List<String> checkAllowedSigners(Path file, Path checkout) {
        Path f = file.toAbsolutePath().normalize();
        if (f.startsWith(checkout.toAbsolutePath().normalize())) {
            return List.of("--allowed-signers " + f + " is inside the checkout " + checkout + ": whoever pushes to the repository would choose"
                    + " whose signatures count\n  fix: keep the file outside --directory, e.g. /etc/tsync/allowed_signers, owned by root");
        }
        if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
            return List.of("--allowed-signers " + f + (Files.exists(f) ? " is not a readable regular file" : " does not exist")
                    + "\n  fix: write one line per signer, \"ci@example.com namespaces=\\\"git\\\" ssh-ed25519 AAAA...\" (docs/pull.md, \"Signed commits\")");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(f);
        } catch (IOException e) {
            return List.of("--allowed-signers " + f + ": cannot read it: " + e.getMessage());
        }
        List<String> problems = new java.util.ArrayList<>();
        int keys = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (hasKey(line)) {
                keys++;
            } else {
                problems.add(f + ":" + (i + 1) + ":1: not an allowed signer: want PRINCIPALS [OPTIONS] KEYTYPE BASE64 [COMMENT],"
                        + " e.g. ci@example.com namespaces=\"git\" ssh-ed25519 AAAA... (the public key's line with the principal before it)");
            }
        }
        if (problems.isEmpty() && keys == 0) {
            problems.add("--allowed-signers " + f + " names no key, so no commit would ever be applied\n  fix: add a line per signer,"
                    + " ci@example.com namespaces=\"git\" ssh-ed25519 AAAA...");
        }
        return problems;
    }

    /** A key type word followed by a base64 word, after the principals (and options, which may hold quoted spaces). */
    private static boolean hasKey(String line) {
        String[] words = line.split("\\s+");
        for (int i = 1; i + 1 < words.length; i++) {
            if (KEY_TYPE.matcher(words[i]).matches() && BASE64.matcher(words[i + 1]).matches()) {
                return true;
            }
        }
        return false;
    }
}
