package io.tsync.platform;

import io.tsync.model.Daemon;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything that differs between Linux distributions, as data: one row of {@link Platforms#TABLE}.
 *
 * @param id        short name shown in reports ("debian12", "centos7", "rhel8+")
 * @param packages  how packages are installed, and the lock that serializes it
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
     * Package manager commands. {@code install} refreshes package lists only when the package is
     * unknown to them, so converged hosts never pay for an {@code apt-get update}. It runs once
     * {@code lock} is free, with the shell variable {@code $LOCK_TIMEOUT} holding the seconds left of
     * the bound; it must never wait for its lock longer (apt: {@code DPkg::Lock::Timeout}; yum and
     * dnf: {@code exit_on_lock}, as they would otherwise wait forever).
     */
    public record PackageManager(String name, String install, Lock lock) {}

    /**
     * The lock a package manager holds while it runs, and where its holder is found.
     *
     * @param name      what operators call it ("dpkg lock")
     * @param fcntlLocks files locked with fcntl(2) while it runs: /proc/locks names the holder
     * @param pidFiles  files holding the pid of the manager while it runs (dnf, yum)
     */
    public record Lock(String name, List<String> fcntlLocks, List<String> pidFiles) {
        public Lock {
            fcntlLocks = List.copyOf(fcntlLocks);
            pidFiles = List.copyOf(pidFiles);
        }
    }
}
