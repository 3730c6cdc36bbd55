package io.tsync.cli;

import io.tsync.load.InvalidInputException;
import io.tsync.load.InventoryLoader;
import io.tsync.load.Problem;
import io.tsync.model.Host;
import io.tsync.model.Inventory;
import io.tsync.transport.KnownHostsRepository;
import io.tsync.transport.SshOptions;
import io.tsync.transport.SshTransport;
import io.tsync.transport.Transport;
import java.io.Console;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options shared by every command that talks to hosts: inventory, limit, SSH settings. */
final class FleetOptions {
    @Option(names = {"-i", "--inventory"}, paramLabel = "FILE", description = "Inventory (Ansible YAML layout). Default: $TSYNC_INVENTORY or inventory.yaml")
    Path inventory;

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN", description = "Only these hosts/groups: names, globs, !exclusions, comma-separated")
    String limit;

    @Option(names = {"-f", "--forks"}, defaultValue = "10", description = "Hosts handled in parallel (default ${DEFAULT-VALUE})")
    int forks;

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "known_hosts file (default: inventory var tsync_known_hosts, else ~/.ssh/known_hosts)")
    Path knownHosts;

    @Option(names = "--accept-new-hostkeys", description = "Record keys of hosts not yet in known_hosts (changed keys are always refused)")
    boolean acceptNew;

    @Option(names = "--connect-timeout", defaultValue = "10", paramLabel = "SECONDS", description = "SSH connect timeout (default ${DEFAULT-VALUE})")
    int connectTimeout;

    @Option(names = "--command-timeout", defaultValue = "300", paramLabel = "SECONDS", description = "Timeout of one remote command (default ${DEFAULT-VALUE})")
    int commandTimeout;

    @Option(names = "--keepalive", defaultValue = "5", paramLabel = "SECONDS", description = "SSH keep-alive interval; 3 missed answers drop the host (default ${DEFAULT-VALUE})")
    int keepAlive;

    @Option(names = {"-K", "--ask-become-pass"}, description = "Prompt for the sudo password (else $TSYNC_BECOME_PASSWORD)")
    boolean askBecomePass;

    Inventory loadInventory() throws InvalidInputException {
        Path p = inventory;
        if (p == null) {
            String env = System.getenv("TSYNC_INVENTORY");
            p = Path.of(env != null ? env : "inventory.yaml");
        }
        return InventoryLoader.load(p);
    }

    List<Host> limit(Inventory inv, List<Host> hosts) throws InvalidInputException {
        if (limit == null) {
            return hosts;
        }
        List<Host> allowed = InventoryLoader.select(inv, limit);
        List<Host> out = hosts.stream().filter(allowed::contains).toList();
        if (out.isEmpty()) {
            throw new InvalidInputException(new Problem("--limit", 0, 0, "'" + limit + "' matches no host of the selection",
                    "use host or group names from the inventory (tsync inventory lists them)"));
        }
        return out;
    }

    SshOptions sshOptions() {
        String pw = System.getenv("TSYNC_BECOME_PASSWORD");
        if (askBecomePass) {
            Console c = System.console();
            if (c != null) {
                char[] chars = c.readPassword("BECOME password: ");
                pw = chars == null ? null : new String(chars);
            }
        }
        return new SshOptions(Duration.ofSeconds(connectTimeout), Duration.ofSeconds(commandTimeout), Duration.ofSeconds(keepAlive),
                pw, System.getenv("TSYNC_KEY_PASSPHRASE"));
    }

    /** A connector that opens one SSH connection per host, checking host keys strictly. */
    io.tsync.exec.Executor.Connector connector(Inventory inv) {
        SshOptions ssh = sshOptions();
        Map<Path, KnownHostsRepository> repos = new HashMap<>();
        return host -> {
            Path kh = knownHosts;
            if (kh == null && host.var("tsync_known_hosts") != null) {
                Path base = Path.of(inv.file()).toAbsolutePath().getParent();
                kh = base.resolve(host.var("tsync_known_hosts"));
            }
            if (kh == null) {
                kh = Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
            }
            KnownHostsRepository repo;
            synchronized (repos) {
                repo = repos.get(kh);
                if (repo == null) {
                    repo = new KnownHostsRepository(kh, acceptNew);
                    repos.put(kh, repo);
                }
            }
            SshTransport t = SshTransport.connect(host, repo, ssh);
            try {
                t.checkBecome();
            } catch (IOException e) {
                t.close();
                throw e;
            }
            return (Transport) t;
        };
    }
}
