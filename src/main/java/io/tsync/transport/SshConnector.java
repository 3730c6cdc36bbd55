package io.tsync.transport;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.AgentProxyException;
import com.jcraft.jsch.ChannelDirectTCPIP;
import com.jcraft.jsch.ConfigRepository;
import com.jcraft.jsch.Identity;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Logger;
import com.jcraft.jsch.Proxy;
import com.jcraft.jsch.SSHAgentConnector;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SocketFactory;
import com.jcraft.jsch.UnixDomainSocketFactory;
import io.tsync.model.Host;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Opens one SSH connection per host (JSch), as {@code ssh} would: inventory first, then the
 * OpenSSH config, keys from files or the ssh-agent, strict host keys, and ProxyJump bastions
 * (each bastion connected once per run and shared by every host behind it; the hop to the
 * target is a direct-tcpip channel, as OpenSSH's -J does, not a port forward) or a ProxyCommand
 * (one process per connection, ended with it).
 */
public final class SshConnector implements AutoCloseable {
    private final Function<Host, Path> knownHostsFor;
    private final boolean acceptNew;
    private final SshOptions options;
    private final ConfigRepository config;
    private final Passphrases passphrases;
    private final Map<Path, KnownHostsRepository> repos = new HashMap<>();
    private final Map<String, Session> bastions = new HashMap<>();
    /** Each target login's clock, from its connect until its transport is ready (then removed). */
    private final Map<Session, LoginClock> logins = new ConcurrentHashMap<>();
    /**
     * Private key files loaded (and decrypted) once per run, by path; every connection shares them.
     * Written under this connector's lock, read by the connecting threads: concurrent maps.
     */
    private final Map<String, Identity> keys = new ConcurrentHashMap<>();
    /** Key files that stay encrypted (no passphrase, or a wrong one), by path. */
    private final Map<String, LockedKey> locked = new ConcurrentHashMap<>();

    /** Where the passphrase of an encrypted private key comes from (the environment, a prompt). */
    @FunctionalInterface
    public interface Passphrases {
        /**
         * The passphrase for {@code keyFile}, or null when there is none to be had. {@code attempt}
         * counts from 1; a source that can ask again (a prompt) is called again after a wrong one.
         */
        byte[] get(String keyFile, int attempt);
    }

    /** A private key tsync cannot use: what is wrong and how to fix it. */
    public record LockedKey(String keyFile, String problem, String fix) {}

    public SshConnector(Function<Host, Path> knownHostsFor, boolean acceptNew, SshOptions options, ConfigRepository config,
                        Passphrases passphrases) {
        this.knownHostsFor = knownHostsFor;
        this.acceptNew = acceptNew;
        this.options = options;
        this.config = config;
        this.passphrases = passphrases;
    }

    /**
     * Loads every private key file these hosts and their bastions authenticate with, once per file,
     * decrypting encrypted ones with a passphrase from {@link Passphrases}. Called before any
     * connection, so a prompt comes first and once, not in the middle of a parallel run.
     *
     * @return the keys that stay unusable, unless an ssh-agent can stand in for them
     */
    public synchronized List<LockedKey> unlockKeys(Collection<Host> hosts) {
        List<LockedKey> out = new ArrayList<>();
        boolean agent = System.getenv("SSH_AUTH_SOCK") != null;
        for (Host h : hosts) {
            SshEndpoint ep = SshEndpoint.resolve(h, config);
            List<SshEndpoint> all = new ArrayList<>(ep.jumps());
            all.add(ep);
            for (SshEndpoint e : all) {
                for (String f : keyFiles(e)) {
                    LockedKey l = load(f);
                    if (l != null && !agent && !out.contains(l)) {
                        out.add(l);
                    }
                }
            }
        }
        return out;
    }

    /**
     * The key files an endpoint authenticates with, as ssh picks them: its IdentityFile(s) that
     * exist; else none when an ssh-agent is there (the agent's keys are used); else the default
     * ~/.ssh/id_ed25519, id_ecdsa, id_rsa that exist.
     */
    private static List<String> keyFiles(SshEndpoint ep) {
        List<String> files = ep.identities().stream().filter(f -> Files.isReadable(Path.of(f))).toList();
        if (!files.isEmpty() || System.getenv("SSH_AUTH_SOCK") != null) {
            return files;
        }
        List<String> defaults = new ArrayList<>();
        for (String name : new String[] {"id_ed25519", "id_ecdsa", "id_rsa"}) {
            Path p = Path.of(System.getProperty("user.home"), ".ssh", name);
            if (Files.isReadable(p)) {
                defaults.add(p.toString());
            }
        }
        return defaults;
    }

    /** Loads one key file into {@link #keys} (or {@link #locked}); returns why it is locked, else null. */
    private synchronized LockedKey load(String file) {
        if (keys.containsKey(file)) {
            return null;
        }
        if (locked.containsKey(file)) {
            return locked.get(file);
        }
        Identity id;
        try {
            JSch scratch = new JSch();
            scratch.addIdentity(file, (byte[]) null);
            id = scratch.getIdentityRepository().getIdentities().lastElement();
        } catch (JSchException | RuntimeException e) {
            LockedKey l = new LockedKey(file, "cannot read the private key " + file + ": " + e.getMessage(),
                    "point ansible_ssh_private_key_file / IdentityFile at an OpenSSH, PEM or PuTTY private key");
            locked.put(file, l);
            return l;
        }
        int attempt = 0;
        byte[] pass = null;
        try {
            while (id.isEncrypted()) {
                pass = passphrases == null ? null : passphrases.get(file, ++attempt);
                if (pass == null) {
                    LockedKey l = attempt == 1
                            ? new LockedKey(file, "the private key " + file + " is encrypted and no passphrase was given",
                                    "set TSYNC_KEY_PASSPHRASE (from a CI secret), run tsync from a terminal to be asked, or load the key into ssh-agent (ssh-add " + file + ")")
                            : new LockedKey(file, "wrong passphrase for the private key " + file + (attempt > 2 ? " (" + (attempt - 1) + " attempts)" : ""),
                                    "give the key's passphrase (TSYNC_KEY_PASSPHRASE or the prompt), or load the key into ssh-agent (ssh-add " + file + ")");
                    locked.put(file, l);
                    return l;
                }
                id.setPassphrase(pass);
                Arrays.fill(pass, (byte) 0);
            }
        } catch (JSchException e) {
            LockedKey l = new LockedKey(file, "cannot decrypt the private key " + file + ": " + e.getMessage(),
                    "check the key file, or load it into ssh-agent (ssh-add " + file + ")");
            locked.put(file, l);
            return l;
        }
        keys.put(file, id);
        return null;
    }

    public Transport open(Host host) throws IOException {
        SshEndpoint ep = SshEndpoint.resolve(host, config);
        KnownHostsRepository repo = repo(knownHostsFor.apply(host));
        Session via = null;
        for (SshEndpoint hop : ep.jumps()) {
            via = bastion(hop, via, repo);
        }
        Session s = connect(ep, via, repo, host.name(), host.address());
        SshTransport t = new SshTransport(host, s, options, ep.become());
        try {
            t.checkBecome();
        } catch (IOException e) {
            t.close();
            throw e;
        }
        LoginClock login = logins.remove(s);
        if (login != null) {
            t.connectTimes(login.times(System.nanoTime()));
        }
        return t;
    }

    private synchronized KnownHostsRepository repo(Path p) throws IOException {
        KnownHostsRepository r = repos.get(p);
        if (r == null) {
            r = new KnownHostsRepository(p, acceptNew);
            repos.put(p, r);
        }
        return r;
    }

    private synchronized Session bastion(SshEndpoint hop, Session via, KnownHostsRepository repo) throws IOException {
        String key = (via == null ? "" : via.getHost() + ">") + hop.key();
        Session s = bastions.get(key);
        if (s != null && s.isConnected()) {
            return s;
        }
        s = connect(hop, via, repo, "bastion " + hop.name(), hop.name());
        logins.remove(s);
        bastions.put(key, s);
        return s;
    }

    /** @param original the host as the inventory (or the ProxyJump) names it: ProxyCommand's %n */
    private Session connect(SshEndpoint ep, Session via, KnownHostsRepository repo, String label, String original) throws IOException {
        JSch jsch = new JSch();
        LoginClock login = new LoginClock(label, System.getenv("TSYNC_SSH_DEBUG") != null ? System.err : null);
        jsch.setInstanceLogger(login);
        CommandProxy command = null;
        int timeout = ep.connectTimeoutMillis() != null ? ep.connectTimeoutMillis() : (int) options.connectTimeout().toMillis();
        try {
            identities(jsch, ep);
            jsch.setHostKeyRepository(repo);
            Session s = jsch.getSession(ep.user(), ep.host(), ep.port());
            s.setConfig("StrictHostKeyChecking", "yes");
            s.setConfig("PreferredAuthentications", "publickey");
            s.setConfig("HashKnownHosts", "no");
            int alive = ep.serverAliveMillis() != null ? ep.serverAliveMillis() : (int) options.keepAlive().toMillis();
            s.setServerAliveInterval(alive);
            s.setServerAliveCountMax(3);
            if (via != null) {
                s.setProxy(new ChannelProxy(via));
            } else if (ep.proxyCommand() != null) {
                String line;
                try {
                    line = ep.proxyCommandLine(original);
                } catch (IllegalArgumentException e) {
                    throw new IOException(label + ": " + e.getMessage() + " (ProxyCommand from " + ep.proxyCommand().source() + ")", e);
                }
                command = new CommandProxy(label, line, System.err);
                s.setProxy(command);
            }
            s.connect(timeout);
            if (command != null) {
                command.connected();
            }
            logins.put(s, login);
            return s;
        } catch (JSchException e) {
            // a command that ended is the cause; one still running was left by the server (host key, auth)
            String failure = command == null ? null : command.failure(timeout);
            closeQuietly(command);
            String refusal = failure == null ? repo.refusal(ep.host()) : null;
            if (refusal != null) {
                throw new HostKeyException(refusal);
            }
            throw new IOException(failure != null ? failure : describe(e, ep, label), e);
        }
    }

    private static void closeQuietly(CommandProxy command) {
        if (command != null) {
            command.close();
        }
    }

    private void identities(JSch jsch, SshEndpoint ep) throws JSchException, IOException {
        List<String> files = keyFiles(ep);
        List<LockedKey> unusable = new ArrayList<>();
        for (String f : files) {
            LockedKey l = load(f);
            if (l == null) {
                jsch.addIdentity(keys.get(f), null);
            } else {
                unusable.add(l);
            }
        }
        if (!jsch.getIdentityNames().isEmpty()) {
            return;
        }
        if (System.getenv("SSH_AUTH_SOCK") != null) {
            try {
                jsch.setIdentityRepository(new AgentIdentityRepository(new SSHAgentConnector(new UnixDomainSocketFactory())));
                return;
            } catch (AgentProxyException e) {
                throw new IOException("SSH_AUTH_SOCK is set but the ssh-agent cannot be reached: " + e.getMessage(), e);
            }
        }
        if (!unusable.isEmpty()) {
            throw new IOException(unusable.get(0).problem() + " (fix: " + unusable.get(0).fix() + ")");
        }
    }

    private static String describe(JSchException e, SshEndpoint ep, String label) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        Throwable c = e.getCause();
        if (c != null && c.getMessage() != null && !m.contains(c.getMessage())) {
            m = m + ": " + c.getMessage();
        }
        if (m.contains("Auth fail") || m.contains("USERAUTH fail")) {
            return label + ": authentication failed for " + ep.key() + " (check ansible_user, ansible_ssh_private_key_file or the ssh-agent)";
        }
        return label + ": cannot connect to " + ep.host() + ":" + ep.port() + ": " + m;
    }

    @Override
    public synchronized void close() {
        bastions.values().forEach(Session::disconnect);
        bastions.clear();
    }

    /** Carries an SSH connection over a direct-tcpip channel of the bastion's session. */
    static final class ChannelProxy implements Proxy {
        private final Session via;
        private ChannelDirectTCPIP channel;
        private InputStream in;
        private OutputStream out;

        ChannelProxy(Session via) {
            this.via = via;
        }

        @Override
        public void connect(SocketFactory socketFactory, String host, int port, int timeout) throws Exception {
            channel = (ChannelDirectTCPIP) via.openChannel("direct-tcpip");
            channel.setHost(host);
            channel.setPort(port);
            in = channel.getInputStream();
            out = channel.getOutputStream();
            channel.connect(timeout);
        }

        @Override
        public InputStream getInputStream() {
            return in;
        }

        @Override
        public OutputStream getOutputStream() {
            return out;
        }

        @Override
        public Socket getSocket() {
            return null;
        }

        @Override
        public void close() {
            if (channel != null) {
                channel.disconnect();
            }
        }
    }
}
