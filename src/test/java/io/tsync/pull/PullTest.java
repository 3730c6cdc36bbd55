package io.tsync.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tsync.exec.RunLock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pull against a repository on this machine (a path URL): git clone, fetch and reset, the playbook, the record, the lock. */
class PullTest {
    @TempDir
    Path dir;

    Path origin;
    Path checkout;
    Path state;
    final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    final List<Path> applied = new ArrayList<>();

    @BeforeEach
    void repository() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/git")), "git is not installed here");
        origin = dir.resolve("origin");
        checkout = dir.resolve("state/repo");
        state = dir.resolve("state");
        git(dir, "init", "-q", "-b", "main", origin.toString());
        Files.writeString(origin.resolve("local.yaml"), "hosts: all\ntimezone: Asia/Seoul\n");
        commit("first");
    }

    String commit(String message) throws Exception {
        git(origin, "add", "-A");
        git(origin, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", message);
        return git(origin, "rev-parse", "HEAD").strip();
    }

    static String git(Path in, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", in.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ":\n" + text);
        return text;
    }

    Pull.Settings settings(String url, String playbook) {
        return new Pull.Settings(url, "main", checkout, playbook, "web7", state, Duration.ZERO, Duration.ofSeconds(60), null);
    }

    LastRun pull(Pull.Settings s) {
        return Pull.run(s, (file, commit) -> {
            applied.add(file);
            return new Pull.Applied(0, 2);
        }, out, kind -> switch (kind) {
            case INVALID, UNVERIFIED -> 3;
            case FAILED -> 4;
            case UNREACHABLE -> 5;
        });
    }

    @Test
    void clonesThenFollowsTheBranchHeadAndRecordsEachRun() throws Exception {
        String first = git(origin, "rev-parse", "HEAD").strip();
        LastRun one = pull(settings(origin.toString(), null));
        assertEquals(first, one.commit(), printed.toString());
        assertEquals("local.yaml", one.playbook());
        assertEquals(List.of(checkout.resolve("local.yaml")), applied);
        assertEquals("changed", one.outcome());
        assertEquals(one, LastRun.read(state.resolve("last-run.json")));

        // a file left in the checkout and a new commit: the next run is exactly the branch's head
        Files.writeString(checkout.resolve("stray.yaml"), "x");
        Files.writeString(checkout.resolve("local.yaml"), "edited on the host");
        Files.writeString(origin.resolve("web7.yaml"), "hosts: all\ntimezone: Europe/Berlin\n");
        String second = commit("web7 gets its own");
        LastRun two = pull(settings(origin.toString(), null));
        assertEquals(second, two.commit());
        assertEquals("web7.yaml", two.playbook(), "the host's own playbook comes before local.yaml");
        assertFalse(Files.exists(checkout.resolve("stray.yaml")));
        assertEquals("hosts: all\ntimezone: Asia/Seoul\n", Files.readString(checkout.resolve("local.yaml")));
        assertTrue(printed.toString().contains("pull: " + origin + " main at " + second + " (web7 gets its own)"), printed.toString());
    }

    @Test
    void anUnreachableRepositoryChangesNothingAndIsRecordedAsSuch() {
        LastRun r = pull(settings(dir.resolve("no-such-repo").toString(), null));
        assertEquals(5, r.exit());
        assertEquals("unreachable", r.outcome());
        assertNull(r.commit());
        assertTrue(r.message().startsWith("git could not clone "), r.message());
        assertTrue(applied.isEmpty());
    }

    @Test
    void aMissingPlaybookIsInvalidInput() {
        LastRun r = pull(settings(origin.toString(), "site.yaml"));
        assertEquals(3, r.exit());
        assertNotEquals(null, r.commit(), "the fetch happened; the commit lacks the playbook");
        assertTrue(r.message().startsWith("the repository has no site.yaml"), r.message());
    }

    @Test
    void aDirectoryThatIsNotACheckoutIsNeverCleaned() throws Exception {
        Files.createDirectories(checkout);
        Files.writeString(checkout.resolve("precious"), "keep me");
        LastRun r = pull(settings(origin.toString(), null));
        assertEquals(3, r.exit());
        assertTrue(r.message().contains("exists and is not a Git checkout"), r.message());
        assertEquals("keep me", Files.readString(checkout.resolve("precious")));
    }

    @Test
    void aSecondPullGivesUpPastTheLockTimeoutNamingTheFirst() throws Exception {
        RunLock.Owner first = new RunLock.Owner("web7", "root", 4242, Instant.parse("2026-12-01T10:00:00Z"), "pull git://x main");
        try (PullLock held = PullLock.acquire(state, first, Duration.ZERO, o -> { })) {
            LastRun r = pull(settings(origin.toString(), null));
            assertEquals(4, r.exit());
            assertEquals("pull lock held by root@web7 pid 4242 since 2026-12-01T10:00:00Z (pull git://x main): another tsync pull is running here;"
                    + " nothing was changed; the next run tries again", r.message());
            assertTrue(applied.isEmpty());
        }
        assertEquals(0, pull(settings(origin.toString(), null)).exit(), "the lock goes with its holder");
    }

    @Test
    void urlsAndBranchesThatGitWouldTakeForOptionsAreRefused() {
        assertNull(Pull.check("https://git.example.com/ops/time.git", "main"));
        assertNull(Pull.check("git@git.example.com:ops/time.git", "release/2026-12"));
        assertTrue(Pull.check("--upload-pack=touch /tmp/x", "main").startsWith("--url "));
        assertTrue(Pull.check("https://x\nhttps://y", "main").startsWith("--url "));
        assertTrue(Pull.check("https://x", "-f").startsWith("--branch "));
        assertTrue(Pull.check("https://x", "a..b").startsWith("--branch "));
        assertThrows(PullException.class, () -> PlaybookChoice.choose("..", "h", p -> true));
    }
}
