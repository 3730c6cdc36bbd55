package io.tsync.platform;

import io.tsync.model.Daemon;
import io.tsync.platform.Platform.DaemonSpec;
import io.tsync.platform.Platform.PackageManager;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The platform table: one row per distribution family and version range. Adding a distribution
 * means adding a row here and nothing else.
 */
public final class Platforms {
    private Platforms() {}

    private static final String CHRONY_CHECK = "chronyd -p -f \"$1\" 2>&1 >/dev/null";

    /**
     * apt and dpkg take fcntl locks on lock-frontend (apt, and dpkg run by hand) and lock (dpkg);
     * apt-get update takes lists/lock and a download archives/lock, and neither waits for them
     * (DPkg::Lock::Timeout covers only the dpkg ones). unattended-upgrades and cloud-init hold them
     * for minutes after boot.
     */
    static final Platform.Lock DPKG_LOCK = new Platform.Lock("dpkg lock", List.of("/var/lib/dpkg/lock-frontend",
            "/var/lib/dpkg/lock", "/var/lib/apt/lists/lock", "/var/cache/apt/archives/lock"), List.of());
    /** yum keeps its pid in yum.pid while it runs; rpm takes an fcntl lock for a transaction. */
    static final Platform.Lock YUM_LOCK = new Platform.Lock("yum lock",
            List.of("/var/lib/rpm/.rpm.lock"), List.of("/var/run/yum.pid"));
    /** dnf 4 writes its pid into these files while it runs (and deletes them); rpm as for yum. */
    static final Platform.Lock DNF_LOCK = new Platform.Lock("dnf lock",
            List.of("/var/lib/rpm/.rpm.lock"),
            List.of("/var/lib/dnf/rpmdb_lock.pid", "/var/cache/dnf/metadata_lock.pid", "/var/cache/dnf/download_lock.pid"));

    static final PackageManager APT = new PackageManager("apt",
            "export DEBIAN_FRONTEND=noninteractive; "
                    // finish a dpkg run that an earlier interruption (host killed mid-install) left half done
                    + "dpkg --configure -a >/dev/null 2>&1 || true; "
                    + "apt-cache show $PKG >/dev/null 2>&1 || apt-get update -q; "
                    + "apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=\"$LOCK_TIMEOUT\" "
                    + "-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold $PKG", DPKG_LOCK);
    // yum and dnf wait for their lock forever by default: exit_on_lock makes a lock taken after
    // tsync's bounded wait a failure of this run, not a hang
    static final PackageManager YUM = new PackageManager("yum", "yum install -y -q --setopt=exit_on_lock=True $PKG", YUM_LOCK);
    static final PackageManager DNF = new PackageManager("dnf", "dnf install -y -q --setopt=exit_on_lock=True $PKG", DNF_LOCK);

    static final DaemonSpec DEB_CHRONY = new DaemonSpec("chrony", "chrony", "/etc/chrony/chrony.conf",
            "/var/lib/chrony/chrony.drift", CHRONY_CHECK, "chrony.conf.ftl");
    // chrony before 4.0 (Debian 8-10: 1.30-3.4; Ubuntu 16.04-20.04: 2.1-3.5) has no chronyd -p: no offline check
    static final DaemonSpec DEB_CHRONY3 = new DaemonSpec("chrony", "chrony", "/etc/chrony/chrony.conf",
            "/var/lib/chrony/chrony.drift", null, "chrony.conf.ftl");
    static final DaemonSpec DEB_NTPSEC = new DaemonSpec("ntpsec", "ntpsec", "/etc/ntpsec/ntp.conf",
            "/var/lib/ntpsec/ntp.drift", null, "ntp.conf.ftl");
    static final DaemonSpec DEB_NTP = new DaemonSpec("ntp", "ntp", "/etc/ntp.conf",
            "/var/lib/ntp/ntp.drift", null, "ntp.conf.ftl");
    static final DaemonSpec RH_CHRONY = new DaemonSpec("chrony", "chronyd", "/etc/chrony.conf",
            "/var/lib/chrony/drift", CHRONY_CHECK, "chrony.conf.ftl");
    // RHEL 7 ships chrony 3.4, whose chronyd has no -p (added in chrony 4.0): it cannot check a config offline;
    // a config it rejects is still caught by the restart and rolled back
    static final DaemonSpec RH7_CHRONY = new DaemonSpec("chrony", "chronyd", "/etc/chrony.conf",
            "/var/lib/chrony/drift", null, "chrony.conf.ftl");
    static final DaemonSpec RH_NTP = new DaemonSpec("ntp", "ntpd", "/etc/ntp.conf",
            "/var/lib/ntp/drift", null, "ntp.conf.ftl");

    private static final String RHEL8_NO_NTP =
            "RHEL 8 and later ship no ntp package; use 'daemon: chrony' for this host (set tsync_ntp: { daemon: chrony } in its inventory vars)";

    /** A row matches an os-release ID (or one of its ID_LIKE words) and a major version range. */
    record Row(Set<String> ids, int minMajor, int maxMajor, Platform platform) {
        boolean matches(String id, int major) {
            return ids.contains(id) && major >= minMajor && major <= maxMajor;
        }
    }

    public static final List<Row> TABLE = List.of(
            new Row(Set.of("debian"), 12, 99, new Platform("debian12+", "debian", APT,
                    Map.of(Daemon.CHRONY, DEB_CHRONY, Daemon.NTPD, DEB_NTPSEC), null)),
            new Row(Set.of("debian"), 11, 11, new Platform("debian11", "debian", APT,
                    Map.of(Daemon.CHRONY, DEB_CHRONY, Daemon.NTPD, DEB_NTP), null)),
            new Row(Set.of("debian"), 8, 10, new Platform("debian8-10", "debian", APT,
                    Map.of(Daemon.CHRONY, DEB_CHRONY3, Daemon.NTPD, DEB_NTP), null)),
            new Row(Set.of("ubuntu"), 24, 99, new Platform("ubuntu24+", "debian", APT,
                    Map.of(Daemon.CHRONY, DEB_CHRONY, Daemon.NTPD, DEB_NTPSEC), null)),
            new Row(Set.of("ubuntu"), 21, 23, new Platform("ubuntu21-23", "debian", APT,
                    Map.of(Daemon.CHRONY, DEB_CHRONY, Daemon.NTPD, DEB_NTP), null)),
            new Row(Set.of("ubuntu"), 16, 20, new Platform("ubuntu16-20", "debian", APT,
                    Map.of(Daemon.CHRONY, DEB_CHRONY3, Daemon.NTPD, DEB_NTP), null)),
            new Row(Set.of("centos", "rhel", "ol", "scientific"), 7, 7, new Platform("rhel7", "rhel", YUM,
                    Map.of(Daemon.CHRONY, RH7_CHRONY, Daemon.NTPD, RH_NTP), null)),
            new Row(Set.of("rhel", "centos", "rocky", "almalinux", "ol"), 8, 99, new Platform("rhel8+", "rhel", DNF,
                    Map.of(Daemon.CHRONY, RH_CHRONY), RHEL8_NO_NTP)));

    /** What the table supports, for messages: "debian 12+, debian 8-11, ..., almalinux/centos/ol/rhel/rocky 8+". */
    public static String supported() {
        return TABLE.stream().map(r -> String.join("/", new java.util.TreeSet<>(r.ids())) + " "
                + (r.maxMajor() >= 99 ? r.minMajor() + "+" : r.minMajor() == r.maxMajor() ? String.valueOf(r.minMajor()) : r.minMajor() + "-" + r.maxMajor()))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** Names accepted by the {@code tsync_platform} inventory variable, for offline validation. */
    public static final Map<String, String> ALIASES = Map.of(
            "debian12", "debian:12", "debian11", "debian:11", "ubuntu24.04", "ubuntu:24", "ubuntu22.04", "ubuntu:22",
            "centos7", "centos:7", "rhel8", "rhel:8", "rhel9", "rhel:9", "rocky8", "rocky:8", "rocky9", "rocky:9");

    /**
     * The row for an os-release {@code ID}, {@code ID_LIKE} and {@code VERSION_ID}; the ID is tried
     * first, then each ID_LIKE word (so AlmaLinux or a Debian derivative still resolves).
     */
    public static Optional<Platform> lookup(String id, String idLike, String versionId) {
        int major = major(versionId);
        for (String candidate : candidates(id, idLike)) {
            for (Row r : TABLE) {
                if (r.matches(candidate, major)) {
                    return Optional.of(r.platform());
                }
            }
        }
        return Optional.empty();
    }

    public static Optional<Platform> byAlias(String alias) {
        String v = ALIASES.get(alias);
        if (v == null) {
            return Optional.empty();
        }
        String[] p = v.split(":");
        return lookup(p[0], "", p[1]);
    }

    private static List<String> candidates(String id, String idLike) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        if (id != null && !id.isBlank()) {
            out.add(id.strip());
        }
        if (idLike != null) {
            for (String w : idLike.strip().split("\\s+")) {
                if (!w.isEmpty()) {
                    out.add(w);
                }
            }
        }
        return out;
    }

    static int major(String versionId) {
        if (versionId == null) {
            return -1;
        }
        String digits = versionId.strip().split("[^0-9]", 2)[0];
        return digits.isEmpty() ? -1 : Integer.parseInt(digits);
    }
}
