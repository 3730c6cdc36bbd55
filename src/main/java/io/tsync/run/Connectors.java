package io.tsync.run;

import com.jcraft.jsch.ConfigRepository;
import com.jcraft.jsch.OpenSSHConfig;
import io.tsync.exec.Executor;
import io.tsync.load.ConnectionFiles;
import io.tsync.load.InvalidInputException;
import io.tsync.load.Problem;
import io.tsync.model.Host;
import io.tsync.model.Inventory;
import io.tsync.transport.LocalTransport;
import io.tsync.transport.SshConnector;
import io.tsync.transport.SshOptions;
import io.tsync.transport.SshReachCheck;
import java.io.Console;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The connect stage: a connector per run, local or SSH per host, keys unlocked before any host is contacted. */
final class Connectors {
    private Connectors() {}

    /**
     * A connector for these hosts: the machine tsync runs on for a host with ansible_connection:
     * local (all of them with {@code --local}), SSH for the others.
     */
    static Executor.Connector connector(Fleet.Settings s, SshOptions options, Inventory inv, List<Host> hosts) throws InvalidInputException {
        List<Host> remote = hosts.stream().filter(h -> !h.local()).toList();
        Executor.Connector ssh = remote.isEmpty() ? null : ssh(s, inv, remote, options);
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
     * The private key and known_hosts files of {@code hosts} that cannot be read here, located where
     * the inventory or the command line names them. Looks at the files only: no key is read.
     */
    static List<Problem> missingFiles(Fleet.Settings s, Inventory inv, List<Host> hosts) {
        return ConnectionFiles.missing(hosts, inventoryDir(inv), s.knownHosts(), s.acceptNew());
    }

    private static Path inventoryDir(Inventory inv) {
        return Path.of(inv.file()).toAbsolutePath().getParent();
    }

    /**
     * A connector that opens one SSH connection per host, as ssh would, checking host keys
     * strictly. The private keys of {@code hosts} are loaded first (a passphrase asked once per
     * key); a key that stays encrypted is invalid input, reported before any host is contacted.
     */
    private static Executor.Connector ssh(Fleet.Settings s, Inventory inv, List<Host> hosts, SshOptions options) throws InvalidInputException {
        List<Problem> missing = missingFiles(s, inv, hosts);
        if (!missing.isEmpty()) {
            throw new InvalidInputException(missing);
        }
        Path base = inventoryDir(inv);
        ConfigRepository cfg = null;
        String cfgText = null;
        Path cfgPath = s.sshConfig() != null ? (s.sshConfig().equals("none") ? null : Path.of(s.sshConfig()))
                : Path.of(System.getProperty("user.home"), ".ssh", "config");
        if (cfgPath != null && (s.sshConfig() != null || Files.exists(cfgPath))) {
            try {
                cfgText = Files.readString(cfgPath);
                cfg = OpenSSHConfig.parse(cfgText);
            } catch (IOException e) {
                throw new InvalidInputException(new Problem(cfgPath.toString(), 0, 0, "cannot read SSH config: " + e.getMessage(),
                        "fix the path given to --ssh-config, or pass --ssh-config none"));
            }
        }
        // how each host is reached (ProxyCommand, ProxyJump) and which ssh options tsync cannot honour:
        // refused or warned about before any host is contacted
        SshReachCheck.Result reach = SshReachCheck.check(hosts, cfg, cfgText == null ? null : cfgPath.toString(), cfgText);
        if (!reach.problems().isEmpty()) {
            throw new InvalidInputException(reach.problems());
        }
        for (Problem w : reach.warnings()) {
            System.err.println(w.renderWarning());
        }
        SshConnector ssh = new SshConnector(host -> ConnectionFiles.knownHosts(host, base, s.knownHosts()), s.acceptNew(), options, cfg,
                passphrases(System.getenv("TSYNC_KEY_PASSPHRASE"), System.console()));
        List<Problem> problems = new ArrayList<>();
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

    /**
     * Passphrases of encrypted private keys: $TSYNC_KEY_PASSPHRASE (one try: a script cannot type
     * another), else a prompt on the terminal, as ssh asks (three tries), else none.
     */
    static SshConnector.Passphrases passphrases(String env, Console console) {
        return (key, attempt) -> {
            if (env != null) {
                return attempt == 1 ? env.getBytes(StandardCharsets.UTF_8) : null;
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
            ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
            Arrays.fill(chars, '\0');
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        };
    }
}
