package io.tsync.transport;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.ChannelDirectTCPIP;
import com.jcraft.jsch.ConfigRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Opens one SSH connection per host (JSch), as {@code ssh} would: inventory first, then the
 * OpenSSH config, keys from files or the ssh-agent, strict host keys, and ProxyJump bastions
 * (each bastion connected once per run and shared by every host behind it; the hop to the
 * target is a direct-tcpip channel, as OpenSSH's -J does, not a port forward).
 */
public final class SshConnector implements AutoCloseable {
    private final Function<Host, Path> knownHostsFor;
    private final boolean acceptNew;
    private final SshOptions options;
    private final ConfigRepository config;
    private final Map<Path, KnownHostsRepository> repos = new HashMap<>();
    private final Map<String, Session> bastions = new HashMap<>();

    public SshConnector(Function<Host, Path> knownHostsFor, boolean acceptNew, SshOptions options, ConfigRepository config) {
        this.knownHostsFor = knownHostsFor;
        this.acceptNew = acceptNew;
        this.options = options;
        this.config = config;
    }

    public Transport open(Host host) throws IOException {
        SshEndpoint ep = SshEndpoint.resolve(host, config);
        KnownHostsRepository repo = repo(knownHostsFor.apply(host));
        Session via = null;
        for (SshEndpoint hop : ep.jumps()) {
            via = bastion(hop, via, repo);
        }
        Session s = connect(ep, via, repo, host.name());
        SshTransport t = new SshTransport(host, s, options, ep.become());
        try {
            t.checkBecome();
        } catch (IOException e) {
            t.close();
            throw e;
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
        s = connect(hop, via, repo, "bastion " + hop.name());
        bastions.put(key, s);
        return s;
    }

    private Session connect(SshEndpoint ep, Session via, KnownHostsRepository repo, String label) throws IOException {
        JSch jsch = new JSch();
        if (System.getenv("TSYNC_SSH_DEBUG") != null) {
            jsch.setInstanceLogger(new com.jcraft.jsch.Logger() {
                public boolean isEnabled(int level) {
                    return true;
                }

                public void log(int level, String message) {
                    System.err.println("jsch[" + label + "] " + message);
                }
            });
        }
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
            }
            int timeout = ep.connectTimeoutMillis() != null ? ep.connectTimeoutMillis() : (int) options.connectTimeout().toMillis();
            s.connect(timeout);
            return s;
        } catch (JSchException e) {
            String refusal = repo.refusal(ep.host());
            if (refusal != null) {
                throw new HostKeyException(refusal);
            }
            throw new IOException(describe(e, ep, label), e);
        }
    }

    private void identities(JSch jsch, SshEndpoint ep) throws JSchException, IOException {
        if (!ep.identities().isEmpty()) {
            byte[] pass = options.keyPassphrase() == null ? null : options.keyPassphrase().getBytes(StandardCharsets.UTF_8);
            for (String id : ep.identities()) {
                if (Files.isReadable(Path.of(id))) {
                    jsch.addIdentity(id, pass);
                }
            }
            if (!jsch.getIdentityNames().isEmpty()) {
                return;
            }
        }
        if (System.getenv("SSH_AUTH_SOCK") != null) {
            try {
                jsch.setIdentityRepository(new AgentIdentityRepository(new SSHAgentConnector(new UnixDomainSocketFactory())));
                return;
            } catch (com.jcraft.jsch.AgentProxyException e) {
                throw new IOException("SSH_AUTH_SOCK is set but the ssh-agent cannot be reached: " + e.getMessage(), e);
            }
        }
        for (String name : new String[] {"id_ed25519", "id_ecdsa", "id_rsa"}) {
            Path p = Path.of(System.getProperty("user.home"), ".ssh", name);
            if (Files.isReadable(p)) {
                jsch.addIdentity(p.toString());
            }
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
        if (m.contains("passphrase") || m.contains("invalid privatekey")) {
            return label + ": cannot use the private key " + ep.identities() + " (encrypted? set TSYNC_KEY_PASSPHRASE): " + m;
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
