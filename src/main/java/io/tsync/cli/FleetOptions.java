package io.tsync.cli;

import io.tsync.load.ConnectionFiles;
import io.tsync.exec.Executor;
import io.tsync.load.InvalidInputException;
import io.tsync.load.InventoryLoader;
import io.tsync.load.LocalInventory;
import io.tsync.load.Problem;
import io.tsync.load.Slice;
import io.tsync.model.Host;
import io.tsync.model.Inventory;
import io.tsync.transport.LocalTransport;
import io.tsync.transport.SshConnector;
import io.tsync.transport.SshOptions;
import java.io.Console;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /** How many hosts were selected before {@link #slice} cut them, once {@link #limit} ran. */
    private int selectedBeforeSlice;

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

    Inventory loadInventory() throws InvalidInputException {
        return loadInventory(null);
    }

    /**
     * The inventory, with the group_vars/ and host_vars/ beside it and, as Ansible reads them, beside
     * the playbook; with {@code --local}, this machine alone ({@link LocalInventory}).
     */
    Inventory loadInventory(Path playbookDir) throws InvalidInputException {
        if (local) {
            if (inventory != null) {
                throw new InvalidInputException(new Problem("--local", 0, 0, "--local converges this machine without an inventory; -i " + inventory + " was given too",
                        "drop -i to converge this machine, or drop --local and give this machine's host ansible_connection: local in the inventory"));
            }
            return LocalInventory.load(LocalInventory.hostname(), playbookDir);
        }
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

    /**
     * The hosts this run handles: {@code hosts} narrowed by {@code --limit} (matching none is an
     * error), then cut by {@code --slice} (an empty slice is not: a worker of a matrix may get none).
     */
    List<Host> limit(Inventory inv, List<Host> hosts) throws InvalidInputException {
        List<Host> out = hosts;
        if (limit != null) {
            // by name in a set: List.contains per host made --limit quadratic in the fleet's size
            Set<String> allowed = new HashSet<>(InventoryLoader.select(inv, limit).stream().map(Host::name).toList());
            out = hosts.stream().filter(h -> allowed.contains(h.name())).toList();
            if (out.isEmpty()) {
                throw new InvalidInputException(new Problem("--limit", 0, 0, "'" + limit + "' matches no host of the selection",
                        "use host or group names from the inventory (tsync inventory lists them)"));
            }
        }
        if (slice == null) {
            return out;
        }
        selectedBeforeSlice = out.size();
        List<Host> sliced = slice.select(out, Host::name);
        System.err.println("tsync: slice " + slice + ": " + sliced.size() + " of the " + out.size() + " selected host(s)"
                + (sliced.isEmpty() ? ", nothing to do" : ""));
        return sliced;
    }

    /** The {@code slice} member of a JSON report: which slice of how many selected hosts; null without --slice. */
    Map<String, Object> sliceJson() {
        if (slice == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", slice.index());
        m.put("count", slice.count());
        m.put("selectedHosts", selectedBeforeSlice);
        return m;
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

    @Option(names = "--ssh-config", paramLabel = "FILE", description = "OpenSSH config (default ~/.ssh/config if present; none: ignore it)")
    String sshConfig;

    /**
     * A connector for these hosts: the machine tsync runs on for a host with ansible_connection:
     * local (all of them with {@code --local}), SSH for the others.
     */
    Executor.Connector connector(Inventory inv, List<Host> hosts) throws InvalidInputException {
        SshOptions options = sshOptions();
        List<Host> remote = hosts.stream().filter(h -> !h.local()).toList();
        Executor.Connector ssh = remote.isEmpty() ? null : ssh(inv, remote, options);
        return host -> {
            if (host.local()) {
                return LocalTransport.open(host, options);
            }
            if (ssh == null) {
                throw new IOException("no SSH settings were prepared for " + host.name());
            }
            return ssh.open(host);
        };
    }

    /**
     * A connector that opens one SSH connection per host, as ssh would, checking host keys
     * strictly. The private keys of {@code hosts} are loaded first (a passphrase asked once per
     * key); a key that stays encrypted is invalid input, reported before any host is contacted.
     */
    private Executor.Connector ssh(Inventory inv, List<Host> hosts, SshOptions options) throws InvalidInputException {
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
        SshConnector ssh = new SshConnector(host -> ConnectionFiles.knownHosts(host, base, knownHosts), acceptNew, options, cfg,
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
