package io.tsync.cli;

import io.tsync.load.Slice;
import io.tsync.run.Fleet;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** Options shared by every command that talks to hosts: inventory or local mode, limit, slice, SSH settings. */
final class FleetOptions {
    @Option(names = {"-i", "--inventory"}, paramLabel = "FILE", description = "Inventory file (default $TSYNC_INVENTORY, else inventory.yaml)")
    Path inventory;

    @Option(names = "--local", description = "This machine, no SSH, no inventory: one host named after its hostname")
    boolean local;

    @Option(names = "--slice", paramLabel = "K/N", converter = SliceConverter.class,
            description = "Only slice K of N of the selected hosts (stable: by host name)")
    Slice slice;

    static final class SliceConverter implements ITypeConverter<Slice> {
        @Override
        public Slice convert(String value) {
            try {
                return Slice.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN", description = "Only these hosts/groups: names, globs, !exclusions, comma-separated")
    String limit;

    @Option(names = {"-f", "--forks"}, defaultValue = "25", description = "Hosts handled in parallel (default ${DEFAULT-VALUE})")
    int forks;

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "known_hosts (default: var tsync_known_hosts, else ~/.ssh/known_hosts)")
    Path knownHosts;

    @Option(names = "--accept-new-hostkeys", description = "Record unknown host keys (changed keys are always refused)")
    boolean acceptNew;

    @Option(names = "--connect-timeout", defaultValue = "10", paramLabel = "SECONDS", description = "SSH connect timeout (default ${DEFAULT-VALUE})")
    int connectTimeout;

    @Option(names = "--command-timeout", defaultValue = "300", paramLabel = "SECONDS", description = "Timeout of one remote command (default ${DEFAULT-VALUE})")
    int commandTimeout;

    @Option(names = "--keepalive", defaultValue = "15", paramLabel = "SECONDS", description = "SSH keep-alive interval; 3 missed answers drop the host (default ${DEFAULT-VALUE})")
    int keepAlive;

    @Option(names = {"-K", "--ask-become-pass"}, description = "Prompt for the sudo password (else $TSYNC_BECOME_PASSWORD)")
    boolean askBecomePass;

    @Option(names = "--timings", description = "Show where the time went: slowest hosts, phases (also in --json)")
    boolean timings;

    @Option(names = "--ssh-config", paramLabel = "FILE", description = "OpenSSH config (default ~/.ssh/config if present; none: ignore it)")
    String sshConfig;

    private Fleet fleet;

    /** The run these options describe; one per command, so --slice's count of selected hosts is kept for its report. */
    Fleet get() {
        if (fleet == null) {
            fleet = new Fleet(new Fleet.Settings(inventory, local, limit, slice, forks, knownHosts, acceptNew, sshConfig,
                    connectTimeout, commandTimeout, keepAlive, askBecomePass));
        }
        return fleet;
    }
}
