package io.tsync.transport;

import java.time.Duration;

/**
 * Connection settings for a run. Secrets (sudo password, key passphrase) are held here only in
 * memory and never printed: {@link #toString()} masks them.
 */
public record SshOptions(Duration connectTimeout, Duration commandTimeout, Duration keepAlive,
                         String becomePassword, String keyPassphrase) {
    @Override
    public String toString() {
        return "SshOptions[connectTimeout=" + connectTimeout + ", commandTimeout=" + commandTimeout + ", keepAlive=" + keepAlive
                + ", becomePassword=" + (becomePassword == null ? "none" : "***") + ", keyPassphrase="
                + (keyPassphrase == null ? "none" : "***") + "]";
    }
}
