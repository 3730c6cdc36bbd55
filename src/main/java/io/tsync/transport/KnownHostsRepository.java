package io.tsync.transport;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Strict host key checking against one known_hosts file, shared by every host of a run. An unknown
 * key is refused unless accept-new was asked for (then it is appended to the file, like OpenSSH's
 * StrictHostKeyChecking=accept-new); a changed key is always refused. Remembers why it refused a
 * host so the error can show the fingerprint and the fix.
 */
public final class KnownHostsRepository implements HostKeyRepository {
    private final HostKeyRepository delegate;
    private final Path file;
    private final boolean acceptNew;
    private final Map<String, String> refusals = new ConcurrentHashMap<>();

    public KnownHostsRepository(Path file, boolean acceptNew) throws IOException {
        this.file = file;
        this.acceptNew = acceptNew;
        JSch jsch = new JSch();
        try {
            if (!Files.exists(file)) {
                if (!acceptNew) {
                    throw new IOException("known_hosts file " + file + " does not exist; create it (ssh-keyscan) or pass --accept-new-hostkeys");
                }
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Files.createFile(file);
            }
            jsch.setKnownHosts(file.toString());
        } catch (JSchException e) {
            throw new IOException("cannot read known_hosts " + file + ": " + e.getMessage(), e);
        }
        this.delegate = jsch.getHostKeyRepository();
    }

    @Override
    public synchronized int check(String host, byte[] key) {
        int r = delegate.check(host, key);
        if (r == OK) {
            return OK;
        }
        String type = keyType(key);
        String fp = fingerprint(key);
        if (r == CHANGED) {
            refusals.put(host, "host key for " + host + " has CHANGED (server sent " + type + " " + fp + ", which does not match "
                    + file + "); refusing to connect. If the host was really reinstalled, remove its line from " + file
                    + " (ssh-keygen -R " + host + " -f " + file + ") and accept the new key");
            return CHANGED;
        }
        if (acceptNew) {
            try {
                String line = host + " " + type + " " + Base64.getEncoder().encodeToString(key) + "\n";
                Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                delegate.add(new HostKey(host, key), null);
                return OK;
            } catch (IOException | JSchException e) {
                refusals.put(host, "cannot record the new host key of " + host + " in " + file + ": " + e.getMessage());
                return NOT_INCLUDED;
            }
        }
        refusals.put(host, "host " + host + " is not in " + file + " (" + type + " key fingerprint " + fp
                + "); verify the fingerprint, then rerun with --accept-new-hostkeys to record it");
        return NOT_INCLUDED;
    }

    /** Why a host was refused, or null. */
    public String refusal(String host) {
        return refusals.get(host);
    }

    static String keyType(byte[] key) {
        try {
            ByteBuffer b = ByteBuffer.wrap(key);
            int len = b.getInt();
            return new String(key, 4, len, StandardCharsets.US_ASCII);
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    static String fingerprint(byte[] key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void add(HostKey hostkey, UserInfo ui) {
        // keys are only ever recorded through check() with accept-new
    }

    @Override
    public void remove(String host, String type) {
        // never remove keys
    }

    @Override
    public void remove(String host, String type, byte[] key) {
        // never remove keys
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return file.toString();
    }

    @Override
    public HostKey[] getHostKey() {
        return delegate.getHostKey();
    }

    @Override
    public HostKey[] getHostKey(String host, String type) {
        return delegate.getHostKey(host, type);
    }
}
