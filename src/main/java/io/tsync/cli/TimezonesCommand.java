package io.tsync.cli;

import io.tsync.load.Grammar;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "timezones", mixinStandardHelpOptions = true,
        description = "List IANA timezone names tsync accepts (offline, like timedatectl list-timezones).",
        footerHeading = "%nExample:%n", footer = {"  tsync timezones seoul"})
final class TimezonesCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "FILTER", description = "Case-insensitive substring")
    String filter;

    @Override
    public Integer call() {
        String f = filter == null ? "" : filter.toLowerCase(Locale.ROOT);
        Grammar.timezones().stream().filter(z -> z.toLowerCase(Locale.ROOT).contains(f)).forEach(System.out::println);
        return ExitCodes.OK;
    }
}
