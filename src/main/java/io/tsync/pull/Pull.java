package io.tsync.pull;

import io.tsync.exec.RunLock;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;

/**
 * One pull: hold the pull lock, bring the checkout to the branch's head, choose the playbook, apply
 * it in local mode (the caller's {@link Apply}), and record the result in {@link LastRun#FILE}.
 */
public final class Pull {
    /** Branch names as an operator writes them; no leading '-' (never an option to git). */
    private static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._/-]{0,199}");

    private Pull() {}

    /**
     * @param playbook       relative to the checkout, or null for {@link PlaybookChoice}'s order
     * @param allowedSigners {@code --verify-commit}'s allowed-signers file, or null to apply the head unverified
     */
    public record Settings(String url, String branch, Path directory, String playbook, String hostname, Path stateDir,
                           Duration lockTimeout, Duration gitTimeout, Path allowedSigners) {}

    /** Applies the checkout's playbook (local mode) and says how it went. */
    public interface Apply {
        Applied apply(Path playbook, String commit);
    }

    /** Apply's exit code and the number of steps it applied. */
    public record Applied(int exit, int changed) {}

    /** A fetched head whose signature does not pass: the checkout stays on {@code stays} (null: nothing checked out). */
    private static final class Refused extends PullException {
        final String stays;

        Refused(String message, String stays) {
            super(Kind.UNVERIFIED, message);
            this.stays = stays;
        }
    }

    /**
     * Fetches, checks the head's signature, and only then resets the working tree to it; a refused
     * head leaves the checkout as it was. Returns the commit checked out.
     */
    private static String verified(Git git, Settings s, PrintStream out) throws PullException {
        String fetched = git.fetchOnly(s.url(), s.branch(), s.directory());
        CommitSignature sig = git.signature(s.directory(), fetched, s.allowedSigners());
        if (!sig.good()) {
            String head = git.head(s.directory());
            String stays = head;
            if (head != null && !git.signature(s.directory(), head, s.allowedSigners()).good()) {
                // checked out by a pull without --verify-commit: say so rather than call it verified
                stays = head + " (itself not verified: a pull without --verify-commit checked it out)";
            }
            throw new Refused(sig.refusal(s.allowedSigners(), stays), head);
        }
        out.println("pull: " + sig.describe() + ", a signer in " + s.allowedSigners());
        return git.checkout(s.directory(), fetched);
    }

    /** Invalid settings, before anything runs; null when they are fine. */
    public static String check(String url, String branch) {
        if (url.isBlank() || url.startsWith("-") || url.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return "--url " + url.replaceAll("\\p{Cntrl}", "?") + " is not a Git URL (https://..., ssh://..., git://..., user@host:path or a path)";
        }
        if (!BRANCH.matcher(branch).matches() || branch.contains("..") || branch.endsWith(".lock") || branch.endsWith("/")) {
            return "--branch " + branch.replaceAll("\\p{Cntrl}", "?") + " is not a branch name";
        }
        return null;
    }

    /** Runs the pull and returns what it recorded; {@code exitOf} maps a failure's kind to apply's exit codes. */
    public static LastRun run(Settings s, Apply apply, PrintStream out, ToIntFunction<PullException.Kind> exitOf) {
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String commit = null;
        String playbook = null;
        LastRun result;
        RunLock.Owner me = RunLock.Owner.current(started, "pull " + s.url() + " " + s.branch());
        try (PullLock lock = PullLock.acquire(s.stateDir(), me, s.lockTimeout(),
                holder -> out.println("pull: waiting, pull lock held by " + holder.describe() + ", up to " + s.lockTimeout().toSeconds() + " s"))) {
            Git git = Git.find(s.gitTimeout());
            if (s.allowedSigners() == null) {
                commit = git.sync(s.url(), s.branch(), s.directory());
            } else {
                commit = verified(git, s, out);
            }
            out.println("pull: " + s.url() + " " + s.branch() + " at " + commit + " (" + git.subject(s.directory()) + ")");
            Path dir = s.directory();
            playbook = PlaybookChoice.choose(s.playbook(), s.hostname(), rel -> Files.isRegularFile(dir.resolve(rel)));
            out.println("pull: applying " + playbook);
            out.flush();
            Applied a = apply.apply(dir.resolve(playbook), commit);
            result = new LastRun(s.url(), s.branch(), commit, playbook, started, Instant.now().truncatedTo(ChronoUnit.SECONDS), LastRun.outcome(a.exit(), a.changed()),
                    a.changed(), a.exit(), null);
            // the recap above says the rest; a failure's message is in the host's line
        } catch (PullException e) {
            int exit = exitOf.applyAsInt(e.kind());
            out.println("pull: " + e.getMessage());
            if (e instanceof Refused r) {
                commit = r.stays;
            }
            result = new LastRun(s.url(), s.branch(), commit, playbook, started, Instant.now().truncatedTo(ChronoUnit.SECONDS),
                    e.kind() == PullException.Kind.UNVERIFIED ? "unverified" : LastRun.outcome(exit, 0), 0, exit, e.getMessage());
        }
        try {
            result.write(s.stateDir().resolve("last-run.json"));
        } catch (IOException e) {
            out.println("pull: warning: cannot record the run in " + s.stateDir().resolve("last-run.json") + ": " + e.getMessage());
        }
        out.println(result.summary());
        out.flush();
        return result;
    }
}
