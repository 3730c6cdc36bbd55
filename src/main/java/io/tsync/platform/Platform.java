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

    /** Why this platform lacks a daemon, and what to use instead ("" when nothing more is known). */
    public String whyNot(Daemon d) {
        if (d == Daemon.NTPD && noNtpHint != null) {
            return noNtpHint;
        }
        if (d == Daemon.TIMESYNCD) {
            return "rhel".equals(family) ? "RHEL and its rebuilds do not ship systemd-timesyncd; use daemon: chrony"
                    : "tsync manages systemd-timesyncd from Debian 11 and Ubuntu 21.04 on (its own package and timedatectl timesync-status); use daemon: chrony";
        }
        return "";
    }

    /**
     * How one daemon is packaged on a platform.
     *
     * @param keyFile  where the daemon reads symmetric keys, with the owner and mode the package gives it
     *                 (null: tsync cannot write keys for this daemon)
     * @param kept     the distribution's own config lines tsync keeps in the file it renders
     * @param refuses  playbook options this build of the daemon lacks, with the reason (ntpsec versus
     *                 classic ntp, chrony 3 versus 4)
     * @param trustedCerts where tsync puts the playbook's {@code nts_trusted_certs} for this daemon (null:
     *                 it cannot), with the owner and mode it gives the file
     */
    public record DaemonSpec(String pkg, String service, String configPath, String driftfile, String checkConfig,
                             String template, KeyFile keyFile, Kept kept, Map<String, String> refuses, KeyFile trustedCerts) {
        public DaemonSpec {
            kept = kept == null ? Kept.NOTHING : kept;
            refuses = refuses == null ? Map.of() : Map.copyOf(refuses);
        }

        public DaemonSpec(String pkg, String service, String configPath, String driftfile, String checkConfig,
                          String template, KeyFile keyFile, Kept kept, Map<String, String> refuses) {
            this(pkg, service, configPath, driftfile, checkConfig, template, keyFile, kept, refuses, null);
        }

        public DaemonSpec(String pkg, String service, String configPath, String driftfile, String checkConfig, String template) {
            this(pkg, service, configPath, driftfile, checkConfig, template, null, Kept.NOTHING, Map.of());
        }
    }

    /** A key file's path, owner, group and mode (octal, e.g. "640"), as the distribution's package creates it. */
    public record KeyFile(String path, String owner, String group, String mode) {
        public String ownership() {
            return owner + ":" + group;
        }
    }

    /**
     * Lines of the distribution's packaged config that tsync keeps on purpose (docs/ntp.md says why).
     *
     * @param keyfile       write the key file directive even when the playbook has no keys
     * @param leap          the leap-second source line (chrony {@code leapsectz right/UTC} or
     *                      {@code leapseclist ...}, ntpd {@code leapfile ...}), or null; a playbook's
     *                      {@code leapsectz} replaces it
     * @param ntsdumpdir    where chrony keeps NTS cookies across restarts, or null
     * @param dhcpSourcedir where the distribution's DHCP hooks leave servers for chrony; written only with
     *                      {@code dhcp_servers: true}; null when this chrony has no sourcedir
     */
    public record Kept(boolean keyfile, String leap, String ntsdumpdir, String dhcpSourcedir) {
        public static final Kept NOTHING = new Kept(false, null, null, null);

        /** Where chronyd keeps NTS cookies: the distribution's ntsdumpdir, else the one tsync writes for NTS sources. */
        public String ntsdumpdirOrDefault() {
            return ntsdumpdir != null ? ntsdumpdir : "/var/lib/chrony";
        }
    }

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
