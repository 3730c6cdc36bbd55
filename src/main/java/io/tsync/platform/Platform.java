package io.tsync.platform;

import io.tsync.model.Daemon;
import java.util.Map;
import java.util.Optional;

/**
 * Everything that differs between Linux distributions, as data: one row of {@link Platforms#TABLE}.
 *
 * @param id        short name shown in reports ("debian12", "centos7", "rhel8+")
 * @param install   shell command installing the packages named by {@code $PKG}; {@code $PKG} is
 *                  replaced by a single-quoted package name from this table
 * @param daemons   the daemons this platform offers (ntpd is absent on RHEL 8+)
 * @param noNtpHint why a daemon is missing and what to use instead
 */
public record Platform(String id, String family, PackageManager packages, Map<Daemon, DaemonSpec> daemons, String noNtpHint) {

    public Optional<DaemonSpec> daemon(Daemon d) {
        return Optional.ofNullable(daemons.get(d));
    }

    /** How one daemon is packaged on a platform. */
    public record DaemonSpec(String pkg, String service, String configPath, String driftfile, String checkConfig,
                             String template) {}

    /**
     * Package manager commands. {@code ensureLists} refreshes package lists only when the package is
     * unknown to them, so converged hosts never pay for an {@code apt-get update}.
     */
    public record PackageManager(String name, String install) {}
}
