package io.tsync.cli;

import io.tsync.load.ConnectionFiles;
import io.tsync.load.InvalidInputException;
import io.tsync.load.InventoryLoader;
import io.tsync.load.Problem;
import io.tsync.model.Host;
import io.tsync.model.Inventory;
import io.tsync.transport.SshConnector;
import io.tsync.transport.SshOptions;
import java.io.Console;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

    @Option(names = "--keepalive", defaultValue = "15", paramLabel = "SECONDS", description = "SSH keep-alive interval; 3 missed answers drop the host (default ${DEFAULT-VALUE})")
    int keepAlive;

    @Option(names = {"-K", "--ask-become-pass"}, description = "Prompt for the sudo password (else $TSYNC_BECOME_PASSWORD)")
    boolean askBecomePass;

    Inventory loadInventory() throws InvalidInputException {
        return loadInventory(null);
    }

    /** The inventory, with the group_vars/ and host_vars/ beside it and, as Ansible reads them, beside the playbook. */
    Inventory loadInventory(Path playbookDir) throws InvalidInputException {
        return InventoryLoader.load(inventoryPath(inventory), playbookDir);
    }

    /** The inventory file: -i if given, else $TSYNC_INVENTORY, else inventory.yaml. */
    static Path inventoryPath(Path option) {
        if (option != null) {
            return option;
        }
        String env = System.getenv("TSYNC_INVENTORY");
        return Path.of(env != null ? env : "inventory.yaml");
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
        return new SshOptions(Duration.ofSeconds(connectTimeout), Duration.ofSeconds(commandTimeout), Duration.ofSeconds(keepAlive), pw);
    }

    /**
     * Passphrases of encrypted private keys: $TSYNC_KEY_PASSPHRASE (one try: a script cannot type
     * another), else a prompt on the terminal, as ssh asks (three tries), else none.
     */
    static SshConnector.Passphrases passphrases(String env, Console console) {
        return (key, attempt) -> {
            if (env != null) {
                return attempt == 1 ? env.getBytes(java.nio.charset.StandardCharsets.UTF_8) : null;
            }
            if (console == null || attempt > 3) {
                return null;
            }
            if (attempt > 1) {
                console.printf("Bad passphrase, try again.%n");
            }
            char[] chars = console.readPassword("Enter passphrase for key '%s': ", key);
            if (chars == null) {
                return null;
            }
            java.nio.ByteBuffer encoded = java.nio.charset.StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(chars));
            java.util.Arrays.fill(chars, '\0');
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        };
    }

    /**
     * The private key and known_hosts files of {@code hosts} that cannot be read here, located where
     * the inventory or the command line names them. Looks at the files only: no key is read.
     */
    List<Problem> missingConnectionFiles(Inventory inv, List<Host> hosts) {
        return ConnectionFiles.missing(hosts, inventoryDir(inv), knownHosts, acceptNew);
    }

    private static Path inventoryDir(Inventory inv) {
        return Path.of(inv.file()).toAbsolutePath().getParent();
    }

    @Option(names = "--ssh-config", paramLabel = "FILE", description = "OpenSSH client config (default ~/.ssh/config if it exists; 'none' to ignore)")
    String sshConfig;

    /**
     * A connector that opens one SSH connection per host, as ssh would, checking host keys
     * strictly. The private keys of {@code hosts} are loaded first (a passphrase asked once per
     * key); a key that stays encrypted is invalid input, reported before any host is contacted.
     */
    io.tsync.exec.Executor.Connector connector(Inventory inv, List<Host> hosts) throws InvalidInputException {
        List<Problem> missing = missingConnectionFiles(inv, hosts);
        if (!missing.isEmpty()) {
            throw new InvalidInputException(missing);
        }
        Path base = inventoryDir(inv);
        com.jcraft.jsch.ConfigRepository cfg = null;
        Path cfgPath = sshConfig != null ? (sshConfig.equals("none") ? null : Path.of(sshConfig))
                : Path.of(System.getProperty("user.home"), ".ssh", "config");
        if (cfgPath != null && (sshConfig != null || java.nio.file.Files.exists(cfgPath))) {
            try {
                cfg = com.jcraft.jsch.OpenSSHConfig.parseFile(cfgPath.toString());
            } catch (IOException e) {
                throw new InvalidInputException(new Problem(cfgPath.toString(), 0, 0, "cannot read SSH config: " + e.getMessage(),
                        "fix the path given to --ssh-config, or pass --ssh-config none"));
            }
        }
        SshConnector ssh = new SshConnector(host -> ConnectionFiles.knownHosts(host, base, knownHosts), acceptNew, sshOptions(), cfg,
                passphrases(System.getenv("TSYNC_KEY_PASSPHRASE"), System.console()));
        List<Problem> problems = new java.util.ArrayList<>();
        for (SshConnector.LockedKey k : ssh.unlockKeys(hosts)) {
            // point at the inventory line naming the key, if the key came from the inventory
            Host.Var v = hosts.stream().filter(h -> k.keyFile().equals(h.keyFile()))
                    .map(h -> h.vars().getOrDefault("ansible_ssh_private_key_file", h.vars().get("ansible_private_key_file")))
                    .filter(x -> x != null && x.location() != null).findFirst().orElse(null);
            problems.add(v != null ? new Problem(v.location().file(), v.location().line(), v.location().column(), k.problem(), k.fix())
                    : new Problem(k.keyFile(), 0, 0, k.problem(), k.fix()));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return ssh::open;
    }
}
