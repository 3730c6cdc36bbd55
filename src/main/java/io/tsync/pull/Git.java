package io.tsync.pull;

import io.tsync.pull.Processes.Ran;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The host's own git, run as a process with every value as one argument (no shell), never
 * prompting: a timer has no terminal to answer on. Keeps one checkout equal to the remote branch's
 * head: clone on first use, then fetch and hard reset, and untracked files removed.
 */
public final class Git {
    /** Where git is looked for besides PATH: a timer's PATH may be short. */
    private static final List<String> SYSTEM_DIRS = List.of("/usr/local/bin", "/usr/bin", "/bin");

    private final String git;
    private final Duration timeout;

    private Git(String git, Duration timeout) {
        this.git = git;
        this.timeout = timeout;
    }

    /** This host's git, or a failure naming the package to install. */
    public static Git find(Duration timeout) throws PullException {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        dirs.addAll(SYSTEM_DIRS);
        for (String d : dirs) {
            Path p = Path.of(d.isEmpty() ? "." : d, "git");
            if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                return new Git(p.toString(), timeout);
            }
        }
        throw new PullException(PullException.Kind.FAILED, "git is not installed on this host: tsync pull fetches the repository with it"
                + "\n  fix: install the package git (apt-get install git; dnf install git; zypper install git), then run again");
    }

    /**
     * Makes {@code dir} the head of {@code branch} at {@code url} and returns that commit.
     *
     * @throws PullException INVALID when dir is a directory of something else; UNREACHABLE when git
     *                       could not clone or fetch (server down, no access, no such branch)
     */
    public String sync(String url, String branch, Path dir) throws PullException {
        if (!Files.isDirectory(dir.resolve(".git"))) {
            if (Files.exists(dir) && !isEmptyDir(dir)) {
                throw new PullException(PullException.Kind.INVALID, dir + " exists and is not a Git checkout; tsync pull resets and cleans"
                        + " its directory, so it only takes an empty or missing one\n  fix: give another --directory, or remove " + dir);
            }
            try {
                Files.createDirectories(dir.toAbsolutePath().getParent());
            } catch (IOException e) {
                throw new PullException(PullException.Kind.FAILED, "cannot create " + dir.getParent() + ": " + e.getMessage());
            }
            fetching(run(null, "clone", "--quiet", "--single-branch", "--branch", branch, "--", url, dir.toString()), "clone " + url);
        } else {
            must(run(dir, "remote", "set-url", "origin", url), "git remote set-url");
            fetching(run(dir, "fetch", "--quiet", "--prune", "origin", "+refs/heads/" + branch + ":refs/remotes/origin/" + branch),
                    "fetch branch " + branch + " from " + url);
            must(run(dir, "reset", "--quiet", "--hard", "refs/remotes/origin/" + branch), "git reset --hard");
            must(run(dir, "clean", "-q", "-ffdx"), "git clean");
        }
        return must(run(dir, "rev-parse", "HEAD"), "git rev-parse HEAD").strip();
    }

    /**
     * For {@code --verify-commit}: brings the branch's head into {@code dir}'s repository without
     * touching the working tree, and returns it. A first use makes an empty repository rather than a
     * clone, so nothing is checked out before {@link #checkout} is called for a verified commit.
     */
    public String fetchOnly(String url, String branch, Path dir) throws PullException {
        if (!Files.isDirectory(dir.resolve(".git"))) {
            if (Files.exists(dir) && !isEmptyDir(dir)) {
                throw new PullException(PullException.Kind.INVALID, dir + " exists and is not a Git checkout; tsync pull resets and cleans"
                        + " its directory, so it only takes an empty or missing one\n  fix: give another --directory, or remove " + dir);
            }
            must(run(null, "init", "--quiet", "--", dir.toString()), "git init");
            must(run(dir, "symbolic-ref", "HEAD", "refs/heads/" + branch), "git symbolic-ref");
            must(run(dir, "remote", "add", "origin", url), "git remote add");
        } else {
            must(run(dir, "remote", "set-url", "origin", url), "git remote set-url");
        }
        fetching(run(dir, "fetch", "--quiet", "--prune", "origin", "+refs/heads/" + branch + ":refs/remotes/origin/" + branch),
                "fetch branch " + branch + " from " + url);
        return must(run(dir, "rev-parse", "--verify", "refs/remotes/origin/" + branch + "^{commit}"), "git rev-parse").strip();
    }

    /** What git says of {@code commit}'s signature with {@code allowedSigners} as the SSH allowed-signers file. */
    public CommitSignature signature(Path dir, String commit, Path allowedSigners) throws PullException {
        String out = must(run(dir, "-c", "gpg.format=ssh", "-c", "gpg.ssh.allowedSignersFile=" + allowedSigners, "log", "-1", "--no-show-signature",
                "--format=" + CommitSignature.FORMAT, commit, "--"), "git log (signature of " + commit + ")");
        return CommitSignature.parse(commit, out);
    }

    /** The working tree made exactly {@code commit} (fetched by {@link #fetchOnly}); returns HEAD. */
    public String checkout(Path dir, String commit) throws PullException {
        must(run(dir, "reset", "--quiet", "--hard", commit), "git reset --hard");
        must(run(dir, "clean", "-q", "-ffdx"), "git clean");
        return must(run(dir, "rev-parse", "HEAD"), "git rev-parse HEAD").strip();
    }

    /** The commit checked out, or null before the first checkout. */
    public String head(Path dir) throws PullException {
        if (!Files.isDirectory(dir.resolve(".git"))) {
            return null;
        }
        Ran r = run(dir, "rev-parse", "--quiet", "--verify", "HEAD^{commit}");
        return r.exit() == 0 ? r.out().strip() : null;
    }

    /** The commit's subject line, for the journal. */
    public String subject(Path dir) throws PullException {
        return must(run(dir, "log", "-1", "--format=%s"), "git log").strip();
    }

    private static boolean isEmptyDir(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static void fetching(Ran r, String what) throws PullException {
        if (r.exit() != 0) {
            throw new PullException(PullException.Kind.UNREACHABLE, "git could not " + what + " (exit " + r.exit() + "): " + r.err().strip()
                    + "\n  nothing was changed on this host; the next run tries again");
        }
    }

    private static String must(Ran r, String what) throws PullException {
        if (r.exit() != 0) {
            throw new PullException(PullException.Kind.FAILED, what + " failed (exit " + r.exit() + "): " + r.err().strip());
        }
        return r.out();
    }

    private Ran run(Path dir, String... args) throws PullException {
        List<String> cmd = new ArrayList<>(List.of(git));
        if (dir != null) {
            cmd.add("-C");
            cmd.add(dir.toString());
        }
        cmd.addAll(List.of(args));
        // ssh:// and scp-like URLs: fail rather than ask for a password or a host key
        Map<String, String> env = new HashMap<>(Map.of("GIT_TERMINAL_PROMPT", "0", "LC_ALL", "C"));
        if (System.getenv("GIT_SSH_COMMAND") == null) {
            env.put("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
        }
        Ran r = Processes.run(cmd, env, timeout);
        return r.timedOut() ? r.withHint(" (--command-timeout)") : r;
    }
}
