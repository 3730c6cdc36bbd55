package io.tsync.transport;

import java.io.IOException;
import java.time.Duration;

/** Runs commands on one host. One transport per host per run; every exec reuses its connection. */
public interface Transport extends AutoCloseable {
    /**
     * Runs {@code command} with {@code /bin/sh -c} semantics on the host, feeding {@code stdin}.
     * When the transport was opened with become, the command runs as root through sudo.
     */
    ExecResult exec(String command, byte[] stdin, Duration timeout) throws IOException;

    default ExecResult exec(String command) throws IOException {
        return exec(command, new byte[0], Duration.ofSeconds(120));
    }

    /** Runs without privilege escalation even when the transport escalates by default. */
    ExecResult execUnprivileged(String command, Duration timeout) throws IOException;

    /**
     * Starts {@code command} (privileged as {@link #exec}) and returns while it runs: for commands
     * that report as they go (waiting for a lock) or that hold something for the run (the run lock).
     */
    RemoteProcess start(String command) throws IOException;

    /** False once the connection is known to be gone (the host or its sshd went away). */
    default boolean alive() {
        return true;
    }

    /** How long the login took, part by part; null when the transport does not know (local, a kept connection). */
    default ConnectTimes connectTimes() {
        return null;
    }

    @Override
    void close();
}
