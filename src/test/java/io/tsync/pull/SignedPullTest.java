package io.tsync.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --verify-commit} with real git and ssh-keygen on this machine: two SSH keys, one of them in
 * the allowed-signers file; unsigned, foreign-signed and allowed-signed heads of a repository on the disk.
 */
class SignedPullTest {
    @TempDir
    Path dir;

    Path origin;
    Path checkout;
    Path state;
    Path allowed;
    Path ciKey;
    Path otherKey;
    final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    final List<Path> applied = new ArrayList<>();

    @BeforeEach
    void repositoryAndKeys() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/git")) && Files.isExecutable(Path.of("/usr/bin/ssh-keygen")), "git or ssh-keygen is not installed here");
        origin = dir.resolve("origin");
        checkout = dir.resolve("state/repo");
        state = dir.resolve("state");
        ciKey = dir.resolve("ci_key");
        otherKey = dir.resolve("other_key");
        run(dir, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "ci", "-f", ciKey.toString());
        run(dir, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "other", "-f", otherKey.toString());
        allowed = dir.resolve("allowed_signers");
        Files.writeString(allowed, "# CI's signing key\nci@example.com namespaces=\"git\" " + Files.readString(dir.resolve("ci_key.pub")));
        run(dir, "git", "init", "-q", "-b", "main", origin.toString());
    }

    static String run(Path in, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(in.toFile()).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ":\n" + text);
        return text;
    }

    /** A commit of local.yaml with this timezone, signed with {@code key} (null: unsigned). */
    String commit(String timezone, Path key) throws Exception {
        Files.writeString(origin.resolve("local.yaml"), "hosts: all\ntimezone: " + timezone + "\n");
        run(origin, "git", "add", "-A");
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "gpg.format=ssh"));
        if (key != null) {
            cmd.addAll(List.of("-c", "user.signingkey=" + key, "commit", "-S"));
        } else {
            cmd.addAll(List.of("commit", "--no-gpg-sign"));
        }
        cmd.addAll(List.of("-q", "-m", timezone));
        run(origin, cmd.toArray(String[]::new));
        return run(origin, "git", "rev-parse", "HEAD").strip();
    }

    LastRun pull() {
        Pull.Settings s = new Pull.Settings(origin.toString(), "main", checkout, null, "web7", state, Duration.ZERO, Duration.ofSeconds(60), allowed);
        return Pull.run(s, (file, commit) -> {
            applied.add(file);
            return new Pull.Applied(0, 1);
        }, out, kind -> switch (kind) {
            case INVALID, UNVERIFIED -> 3;
            case FAILED -> 4;
            case UNREACHABLE -> 5;
        });
    }

    String checkedOut() throws Exception {
        return Files.readString(checkout.resolve("local.yaml"));
    }

    @Test
    void anUnsignedFirstHeadChecksOutNothingThenASignedOneIsApplied() throws Exception {
        String unsigned = commit("Asia/Seoul", null);
        LastRun r = pull();
        assertEquals("unverified", r.outcome());
        assertEquals(3, r.exit());
        assertNull(r.commit(), "nothing was ever checked out");
        assertTrue(r.message().startsWith("refused commit " + unsigned + ": it is unsigned; nothing is checked out yet"), r.message());
        assertFalse(Files.exists(checkout.resolve("local.yaml")));
        assertTrue(applied.isEmpty());
        assertEquals(r, LastRun.read(state.resolve("last-run.json")));

        String signed = commit("Europe/Berlin", ciKey);
        LastRun ok = pull();
        assertEquals(signed, ok.commit(), printed.toString());
        assertEquals("changed", ok.outcome());
        assertEquals("hosts: all\ntimezone: Europe/Berlin\n", checkedOut());
        assertTrue(printed.toString().contains("pull: commit " + signed.substring(0, 12) + " is signed by ci@example.com (key SHA256:"), printed.toString());
    }

    @Test
    void unsignedAndForeignSignedHeadsLeaveTheLastVerifiedCommit() throws Exception {
        String good = commit("Europe/Berlin", ciKey);
        assertEquals(good, pull().commit());

        String unsigned = commit("Asia/Tokyo", null);
        LastRun one = pull();
        assertEquals("unverified", one.outcome());
        assertEquals(good, one.commit(), "the host stays on the last verified commit");
        assertEquals("refused commit " + unsigned + ": it is unsigned; this host stays on commit " + good + ", the last verified",
                one.message().lines().findFirst().orElseThrow());
        assertTrue(one.summary().contains(" commit " + good.substring(0, 12) + " unverified, 0 changed, exit 3: refused commit " + unsigned),
                one.summary());
        assertEquals("hosts: all\ntimezone: Europe/Berlin\n", checkedOut());

        String foreign = commit("Europe/Lisbon", otherKey);
        String fingerprint = run(dir, "ssh-keygen", "-l", "-f", otherKey + ".pub").split(" ")[1];
        LastRun two = pull();
        assertEquals("unverified", two.outcome());
        assertEquals(good, two.commit());
        assertTrue(two.message().startsWith("refused commit " + foreign + ": it is signed by key " + fingerprint + ", which is not in " + allowed),
                two.message());
        assertEquals("hosts: all\ntimezone: Europe/Berlin\n", checkedOut());
        assertEquals(1, applied.size(), "only the verified commit was applied");

        String next = commit("Europe/Paris", ciKey);
        assertEquals(next, pull().commit());
        assertEquals("hosts: all\ntimezone: Europe/Paris\n", checkedOut());
    }

    @Test
    void aHeadCheckedOutWithoutVerificationIsNotCalledVerified() throws Exception {
        String unsigned = commit("Asia/Seoul", null);
        Pull.Settings plain = new Pull.Settings(origin.toString(), "main", checkout, null, "web7", state, Duration.ZERO, Duration.ofSeconds(60), null);
        assertEquals(unsigned, Pull.run(plain, (f, c) -> new Pull.Applied(0, 0), out, k -> 4).commit());
        LastRun r = pull();
        assertEquals("unverified", r.outcome());
        assertTrue(r.message().contains("this host stays on commit " + unsigned + " (itself not verified"), r.message());
    }

    @Test
    void theAllowedSignersFileIsCheckedBeforeAnyRun() throws Exception {
        assertEquals(List.of(), CommitSignature.checkAllowedSigners(allowed, checkout));
        assertTrue(CommitSignature.checkAllowedSigners(checkout.resolve("allowed_signers"), checkout).get(0).contains("is inside the checkout"));
        assertTrue(CommitSignature.checkAllowedSigners(dir.resolve("missing"), checkout).get(0).contains("does not exist"));
        Path bad = dir.resolve("bad");
        Files.writeString(bad, "# comment\n\nci@example.com AAAAC3NzaC1lZDI1NTE5AAAAI\n");
        assertEquals(List.of(bad + ":3:1: not an allowed signer: want PRINCIPALS [OPTIONS] KEYTYPE BASE64 [COMMENT],"
                + " e.g. ci@example.com namespaces=\"git\" ssh-ed25519 AAAA... (the public key's line with the principal before it)"),
                CommitSignature.checkAllowedSigners(bad, checkout));
        Files.writeString(bad, "# nobody yet\n");
        assertTrue(CommitSignature.checkAllowedSigners(bad, checkout).get(0).contains("names no key"));
    }

    @Test
    void gitsSignatureLinesAreRead() {
        CommitSignature good = CommitSignature.parse("a".repeat(40), "G\nci@example.com\nSHA256:abc\nGood \"git\" signature\n");
        assertTrue(good.good());
        CommitSignature openpgp = CommitSignature.parse("a".repeat(40), "G\nOps <ops@example.com>\n0123456789ABCDEF\ngpg: Good signature\n");
        assertFalse(openpgp.good(), "only SSH signatures count");
        assertTrue(openpgp.refusal(Path.of("/etc/tsync/allowed_signers"), null).contains("SSH signatures only"));
        CommitSignature unsigned = CommitSignature.parse("b".repeat(40), "N\n\n\n");
        assertFalse(unsigned.good());
        assertTrue(unsigned.refusal(Path.of("/f"), null).startsWith("refused commit " + "b".repeat(40) + ": it is unsigned; nothing is checked out yet\n  fix: "));
    }
}
