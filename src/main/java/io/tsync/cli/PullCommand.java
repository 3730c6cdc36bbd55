package io.tsync.cli;

import io.tsync.load.LocalInventory;
import io.tsync.pull.CommitSignature;
import io.tsync.pull.Launcher;
import io.tsync.pull.LastRun;
import io.tsync.pull.Pull;
import io.tsync.pull.PullException;
import io.tsync.pull.TimerInstaller;
import io.tsync.pull.TimerUnits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "pull", mixinStandardHelpOptions = true, customSynopsis = "tsync pull [OPTIONS] -U URL",
        description = {"Fetch a Git repository and apply this machine's playbook from it, as ansible-pull does;",
                "or install a systemd timer that does so every --interval (docs/pull.md)."},
        footerHeading = "%nExamples:%n", footer = {"  tsync pull --url https://git.example.com/ops/time.git --install-timer",
                "  tsync pull --url https://git.example.com/ops/time.git --playbook site.yaml --check   # exit 2 = drift",
                "  journalctl -u tsync-pull; tsync status --local   # what the last runs did", "",
                "Playbook: --playbook, else the first of HOSTNAME.yaml, SHORTNAME.yaml, local.yaml (or .yml) in the repository.",
                "Exit: as apply; 3 also when the repository has no such playbook or --verify-commit refuses the head, 4 when git is missing or another pull",
                "  holds the pull lock past --lock-timeout, 5 when the repository cannot be fetched."})
final class PullCommand implements Callable<Integer> {
    @Option(names = {"-U", "--url"}, required = true, paramLabel = "URL", description = "Git repository (https://, ssh://, git://, user@host:path or a path)")
    String url;

    @Option(names = {"-b", "--branch"}, defaultValue = "main", paramLabel = "BRANCH", description = "Branch to apply (default ${DEFAULT-VALUE})")
    String branch;

    @Option(names = {"-d", "--directory"}, defaultValue = LastRun.STATE_DIR + "/repo", paramLabel = "DIR",
            description = "Checkout, reset to the branch's head on every run (default ${DEFAULT-VALUE})")
    Path directory;

    @Option(names = "--playbook", paramLabel = "PATH", description = "Playbook relative to the repository (default: HOSTNAME.yaml, SHORTNAME.yaml, local.yaml)")
    String playbook;

    @Option(names = {"-C", "--check"}, description = "Show what would change; change nothing (exit 2 on drift)")
    boolean check;

    @Option(names = {"-D", "--diff"}, description = "Show unified diffs of config files and the timezone change")
    boolean diff;

    @Option(names = "--wait", arity = "0..1", fallbackValue = "60s", paramLabel = "DURATION", converter = ApplyCommand.DurationConverter.class,
            description = "After applying, wait until this machine is synced (default 60s)")
    Duration wait;

    @Option(names = "--lock-timeout", defaultValue = "120s", paramLabel = "TIME", converter = ApplyCommand.DurationConverter.class,
            description = "Wait at most this for another pull, the run lock and the package manager (default ${DEFAULT-VALUE})")
    Duration lockTimeout;

    @Option(names = "--command-timeout", defaultValue = "300", paramLabel = "SECONDS", description = "Timeout of one git or host command (default ${DEFAULT-VALUE})")
    int commandTimeout;

    @Option(names = {"-v", "--verbose"}, description = "More output")
    boolean verbose;

    @Option(names = "--verify-commit", description = "Apply the head only if an --allowed-signers key signed it (else stay, exit 3)")
    boolean verifyCommit;

    @Option(names = "--allowed-signers", paramLabel = "FILE",
            description = "--verify-commit: who may sign (Git's allowedSignersFile format)")
    Path allowedSigners;

    @Option(names = "--install-timer", description = "Write and enable tsync-pull.service and tsync-pull.timer running this pull; do not pull now")
    boolean installTimer;

    @Option(names = "--interval", defaultValue = "15min", paramLabel = "SPAN", description = "--install-timer: time between runs (default ${DEFAULT-VALUE})")
    String interval;

    @Option(names = "--random-delay", defaultValue = "5min", paramLabel = "SPAN",
            description = "--install-timer: each run starts up to this much later, spreading a fleet's fetches (default ${DEFAULT-VALUE})")
    String randomDelay;

    @Override
    public Integer call() {
        String invalid = Pull.check(url, branch);
        if (invalid != null) {
            System.err.println("tsync: " + invalid);
            return ExitCodes.INVALID_INPUT;
        }
        directory = directory.toAbsolutePath().normalize();
        String signing = signingProblems();
        if (signing != null) {
            System.err.println("tsync: " + signing);
            return ExitCodes.INVALID_INPUT;
        }
        if (installTimer) {
            return installTimer();
        }
        Pull.Settings settings = new Pull.Settings(url, branch, directory, playbook, LocalInventory.hostname(), Path.of(LastRun.STATE_DIR),
                lockTimeout, Duration.ofSeconds(commandTimeout), verifyCommit ? allowedSigners : null);
        return Pull.run(settings, this::apply, System.out, PullCommand::exitCode).exit();
    }

    /** The checkout's playbook through apply --local: the same facts, plan, steps, rollback, run lock and --wait. */
    private Pull.Applied apply(Path file, String commit) {
        List<String> args = new ArrayList<>(List.of("--local", "--lock-timeout", lockTimeout.toSeconds() + "s", "--command-timeout", String.valueOf(commandTimeout)));
        args.addAll(common());
        args.add(file.toString());
        ApplyCommand apply = new ApplyCommand();
        new CommandLine(apply).parseArgs(args.toArray(String[]::new));
        apply.ownerCommand = "pull " + url + " " + branch + " commit " + commit;
        ApplyCommand.Ran ran = apply.execute();
        return new Pull.Applied(ran.code(), ran.results().stream().mapToInt(r -> r.applied().size()).sum());
    }

    /** Options that mean the same to apply and to the timer's pull. */
    private List<String> common() {
        List<String> args = new ArrayList<>();
        if (check) {
            args.add("--check");
        }
        if (diff) {
            args.add("--diff");
        }
        if (verbose) {
            args.add("--verbose");
        }
        if (wait != null) {
            args.add("--wait=" + wait.toSeconds() + "s");
        }
        return args;
    }

    private int installTimer() {
        Duration every = TimerUnits.parseSpan(interval);
        Duration spread = TimerUnits.parseSpan(randomDelay);
        if (every == null || every.isZero() || spread == null) {
            System.err.println("tsync: --interval and --random-delay take spans like 15min, 1h or 90s (--interval more than 0)");
            return ExitCodes.INVALID_INPUT;
        }
        List<String> command = new ArrayList<>(Launcher.current());
        command.addAll(List.of("pull", "--url", url, "--branch", branch, "--directory", directory.toString()));
        if (playbook != null) {
            command.addAll(List.of("--playbook", playbook));
        }
        if (!lockTimeout.equals(Duration.ofSeconds(120))) {
            command.add("--lock-timeout=" + lockTimeout.toSeconds() + "s");
        }
        if (commandTimeout != 300) {
            command.add("--command-timeout=" + commandTimeout);
        }
        if (verifyCommit) {
            command.addAll(List.of("--verify-commit", "--allowed-signers", allowedSigners.toString()));
        }
        command.addAll(common());
        try {
            TimerInstaller.Result r = TimerInstaller.install(Path.of(TimerUnits.DIR), TimerUnits.service(command), TimerUnits.timer(every, spread));
            r.lines().forEach(System.out::println);
            if (r.changed()) {
                System.out.println("the first pull starts now (a minute after boot on a host just booted)"
                        + (spread.isZero() ? "" : " plus up to " + TimerUnits.span(spread) + " of random delay")
                        + ", then every " + TimerUnits.span(every) + ": journalctl -u " + TimerUnits.SERVICE + ", tsync status --local");
            }
            return ExitCodes.OK;
        } catch (PullException e) {
            System.err.println("tsync: " + e.getMessage());
            return exitCode(e.kind());
        } catch (IllegalArgumentException e) {
            System.err.println("tsync: " + e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
    }

    /** --verify-commit and --allowed-signers go together (no OpenPGP keyring mode); the file is checked before any run. */
    private String signingProblems() {
        if (verifyCommit != (allowedSigners != null)) {
            return verifyCommit ? "--verify-commit needs --allowed-signers FILE: the SSH keys whose signatures count (docs/pull.md, \"Signed commits\")"
                    : "--allowed-signers is read only with --verify-commit: add --verify-commit";
        }
        if (!verifyCommit) {
            return null;
        }
        allowedSigners = allowedSigners.toAbsolutePath().normalize();
        List<String> problems = CommitSignature.checkAllowedSigners(allowedSigners, directory);
        return problems.isEmpty() ? null : String.join("\n", problems);
    }

    static int exitCode(PullException.Kind kind) {
        return switch (kind) {
            case INVALID, UNVERIFIED -> ExitCodes.INVALID_INPUT;
            case FAILED -> ExitCodes.HOST_FAILED;
            case UNREACHABLE -> ExitCodes.HOST_UNREACHABLE;
        };
    }
}
