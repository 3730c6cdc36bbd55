package io.tsync.transport;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Strict host key checking against one known_hosts file, shared by every host of a run. An unknown
 * key is refused unless accept-new was asked for (then it is appended to the file, like OpenSSH's
 * StrictHostKeyChecking=accept-new); a changed key is always refused. Remembers why it refused a
 * host so the error can show the fingerprint and the fix.
 *
 * <p>JSch looks a host up by scanning every line of the file, twice per connection and under one
 * lock: quadratic in the fleet when the file lists the fleet (bench/fanout, 1,000 hosts). A file of
 * plain lines is therefore indexed by host name, and each host is checked against only its own
 * lines, by JSch itself; hashed names, patterns, markers and accept-new keep the full scan.
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
        this.linesByHost = acceptNew ? null : index(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /** Plain lines by host name (lower case, as JSch compares); null when a line is not one an index can place. */
    private final Map<String, List<String>> linesByHost;
    /** JSch repositories holding one host's lines, built on first use. */
    private final Map<String, HostKeyRepository> byHost = new ConcurrentHashMap<>();

    static Map<String, List<String>> index(List<String> lines) {
        Map<String, List<String>> out = new HashMap<>();
        for (String line : lines) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String names = t.split("\\s+", 2)[0];
            // markers (@revoked, @cert-authority), hashed names and patterns can match any host
            if (names.startsWith("@") || names.startsWith("|") || names.contains("*") || names.contains("?") || names.contains("!")) {
                return null;
            }
            for (String name : names.split(",")) {
                out.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).add(t);
            }
        }
        return out;
    }

    /** The repository to look {@code host} up in: its own lines (and, for [host]:port, the host's, as JSch falls back to them). */
    private HostKeyRepository forHost(String host) {
        if (linesByHost == null) {
            return delegate;
        }
        return byHost.computeIfAbsent(host.toLowerCase(Locale.ROOT), h -> {
            List<String> lines = new ArrayList<>(linesByHost.getOrDefault(h, List.of()));
            if (h.startsWith("[") && h.indexOf("]:") > 1) {
                lines.addAll(linesByHost.getOrDefault(h.substring(1, h.indexOf("]:")), List.of()));
            }
            JSch jsch = new JSch();
            try {
                jsch.setKnownHosts(new ByteArrayInputStream(String.join("\n", lines).concat("\n").getBytes(StandardCharsets.UTF_8)));
            } catch (JSchException e) {
                return delegate; // a line JSch reads differently alone: look it up as before
            }
            return jsch.getHostKeyRepository();
        });
    }

    @Override
    public int check(String host, byte[] key) {
        if (linesByHost != null) {
            return decide(host, key, forHost(host).check(host, key));
        }
        synchronized (this) {
            return decide(host, key, delegate.check(host, key));
        }
    }

    /** OK, or why not (remembered for the error); with accept-new an unknown key is recorded (only on the unindexed path). */
    private int decide(String host, byte[] key, int r) {
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
        return host == null ? delegate.getHostKey(host, type) : forHost(host).getHostKey(host, type);
    }
}
