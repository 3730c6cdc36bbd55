package io.tsync.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code tsync apply|status|validate|timezones ...}. */
@Command(name = "tsync", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Keeps Linux servers on the right time: timezone, chrony or ntpd, NTP servers, over SSH.",
        subcommands = {ApplyCommand.class, StatusCommand.class, ValidateCommand.class, InventoryCommand.class, TimezonesCommand.class,
                FactsCommand.class, CommandLine.HelpCommand.class, picocli.AutoComplete.GenerateCompletion.class},
        footer = {"", "Examples:", "  tsync apply -i inventory.yaml playbooks/kr.yaml",
                "  tsync apply -i inventory.yaml playbooks/kr.yaml --check --diff",
                "  tsync status -i inventory.yaml", "", "Exit codes: 0 ok, 2 changes pending (--check), 3 invalid input,",
                "  4 host failed, 5 host unreachable, 6 not in sync. See README."})
public final class Main {
    public static void main(String[] args) {
        // fast path: building the picocli model of every subcommand costs a few hundred ms of
        // reflection, which scripts asking only for the version should not pay
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            System.out.println(new Version().getVersion()[0]);
            System.exit(ExitCodes.OK);
        }
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setUsageHelpWidth(100);
        cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(true);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("tsync: internal error: " + ex);
            return ExitCodes.INTERNAL;
        });
        cl.setParameterExceptionHandler((ex, args1) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("tsync: " + ex.getMessage());
            c.getErr().println("  fix: see '" + c.getCommandSpec().qualifiedName() + " --help'");
            return ExitCodes.INVALID_INPUT;
        });
        return cl.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"tsync " + (v == null ? "dev" : v)};
        }
    }
}
