package io.tsync.transport;

import java.time.Duration;

/**
 * Connection settings for a run. The sudo password is held here only in memory and never
 * printed: {@link #toString()} masks it.
 */
public record SshOptions(Duration connectTimeout, Duration commandTimeout, Duration keepAlive,
                         String becomePassword) {
    @Override
    public String toString() {
        return "SshOptions[connectTimeout=" + connectTimeout + ", commandTimeout=" + commandTimeout + ", keepAlive=" + keepAlive
                + ", becomePassword=" + (becomePassword == null ? "none" : "***") + "]";
    }
}
