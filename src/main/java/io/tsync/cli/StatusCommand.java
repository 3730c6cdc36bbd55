package io.tsync.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "status", mixinStandardHelpOptions = true, description = "Show whether each host is in sync.")
final class StatusCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("status: not wired yet");
        return ExitCodes.INTERNAL;
    }
}
