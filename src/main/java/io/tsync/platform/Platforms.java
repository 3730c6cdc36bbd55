package io.tsync.platform;

import io.tsync.model.Daemon;
import io.tsync.platform.Platform.DaemonSpec;
import io.tsync.platform.Platform.Kept;
import io.tsync.platform.Platform.KeyFile;
import io.tsync.platform.Platform.PackageManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The platform table: one row per distribution family and version range. Adding a distribution
 * means adding a row here and nothing else.
 */
public final class Platforms {
    private Platforms() {}

    /** The tz database's package: the same name on every platform of the table. */
    public static final String TZDATA = "tzdata";

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
                    // refresh the lists only when they offer no installable version: `apt-cache show` also
                    // succeeds for a name apt merely saw in other packages' relations (lists deleted, as on
                    // fresh images). A failed refresh exits 0 with W: lines: keep them, they are apt's reason
                    + "LC_ALL=C apt-cache policy $PKG 2>/dev/null | grep -q '^  Candidate: [^(]' "
                    + "|| apt-get update -q 2>&1 | grep '^[WE]:' >&2; "
                    + "apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=\"$LOCK_TIMEOUT\" "
                    + "-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold $PKG", DPKG_LOCK);
    // yum and dnf wait for their lock forever by default: exit_on_lock makes a lock taken after
    // tsync's bounded wait a failure of this run, not a hang
    static final PackageManager YUM = new PackageManager("yum", "yum install -y -q --setopt=exit_on_lock=True $PKG", YUM_LOCK);
    static final PackageManager DNF = new PackageManager("dnf", "dnf install -y -q --setopt=exit_on_lock=True $PKG", DNF_LOCK);

    // Keys: owner and mode as each package creates the file. Debian's chrony 4.3-2 and later (Debian 12+,
    // Ubuntu 23.10+) run chronyd as _chrony from the start and make chrony.keys root:_chrony 0640 (a
    // dpkg-statoverride in postinst); before that chronyd read it as root (checked on the lab hosts: Debian 11
    // root:root 640, Debian 12 and 13 root:_chrony 640). RHEL packages it root:chrony 0640 (chrony.spec).
    // ntpd (classic and ntpsec) reads its keys as root before dropping privileges: root:root 0600.
    static final KeyFile DEB_CHRONY_KEYS = new KeyFile("/etc/chrony/chrony.keys", "root", "_chrony", "640");
    static final KeyFile DEB_CHRONY_KEYS_ROOT = new KeyFile("/etc/chrony/chrony.keys", "root", "root", "640");
    static final KeyFile RH_CHRONY_KEYS = new KeyFile("/etc/chrony.keys", "root", "chrony", "640");
    static final KeyFile DEB_NTPSEC_KEYS = new KeyFile("/etc/ntpsec/ntp.keys", "root", "root", "600");
    static final KeyFile DEB_NTP_KEYS = new KeyFile("/etc/ntp.keys", "root", "root", "600");
    static final KeyFile RH_NTP_KEYS = new KeyFile("/etc/ntp/keys", "root", "root", "600");
    // nts_trusted_certs: public certificates, world-readable, beside the daemon's own files (RHEL keeps certificates in /etc/pki)
    static final KeyFile DEB_NTS_CERTS = new KeyFile("/etc/chrony/tsync-nts-ca.pem", "root", "root", "644");
    static final KeyFile RH_NTS_CERTS = new KeyFile("/etc/pki/chrony/tsync-nts-ca.pem", "root", "root", "644");

    // The distribution defaults tsync keeps (docs/ntp.md): the leap-second source, the key file, the NTS
    // cookie dir, and where DHCP hooks leave servers (written only with dhcp_servers: true). Each row
    // copies what its packaged config has: chrony 4.0+ on Debian/Ubuntu and RHEL 8+ carry all four
    // (Debian 13's chrony 4.6 reads leap-seconds.list, as right/UTC moved to tzdata-legacy there);
    // Debian's chrony 3.x only keyfile; RHEL 7's chrony 3.4 none of them.
    static final String CHRONY_DHCP = "/run/chrony-dhcp";
    static final String LEAPSECTZ = "leapsectz right/UTC";
    static final String LEAPFILE = "leapfile /usr/share/zoneinfo/leap-seconds.list";
    static final Kept DEB_CHRONY_KEPT = new Kept(true, LEAPSECTZ, "/var/lib/chrony", CHRONY_DHCP);
    static final Kept DEB13_CHRONY_KEPT = new Kept(true, "leapseclist /usr/share/zoneinfo/leap-seconds.list", "/var/lib/chrony", CHRONY_DHCP);

    // chrony before 4.0 has no NTS, no sourcedir and no authselectmode
    private static final Map<String, String> CHRONY3_REFUSES = Map.of(
            "nts", "chrony before 4.0 has no NTS",
            "nts_trusted_certs", "chrony before 4.0 has no NTS",
            "authselectmode", "chrony before 4.0 has no authselectmode (authenticated sources get no extra weight there)",
            "dhcp_servers", "chrony before 4.0 has no sourcedir for DHCP-provided servers");
    // measured on Debian 12's ntpsec 1.2.2: "peer deprecated, treated as server"; "xleave": syntax error
    private static final Map<String, String> NTPSEC_REFUSES = Map.of(
            "peer", "ntpsec has no symmetric mode: it treats 'peer' as 'server' (its log: 'peer deprecated, treated as server'); "
                    + "use daemon: chrony for peers, or list the other server as a host",
            "xleave", "ntpsec has no interleaved mode ('xleave' is a syntax error in ntpsec 1.2); use daemon: chrony");

    static final DaemonSpec DEB_CHRONY = new DaemonSpec("chrony", "chrony", "/etc/chrony/chrony.conf",
            "/var/lib/chrony/chrony.drift", CHRONY_CHECK, "chrony.conf.ftl", DEB_CHRONY_KEYS, DEB_CHRONY_KEPT, Map.of(), DEB_NTS_CERTS);
    static final DaemonSpec DEB13_CHRONY = new DaemonSpec("chrony", "chrony", "/etc/chrony/chrony.conf",
            "/var/lib/chrony/chrony.drift", CHRONY_CHECK, "chrony.conf.ftl", DEB_CHRONY_KEYS, DEB13_CHRONY_KEPT, Map.of(), DEB_NTS_CERTS);
    // chrony 4.0-4.3-1 (Debian 11, Ubuntu 21.04-23.04): keys read as root
    static final DaemonSpec DEB_CHRONY4_ROOTKEYS = new DaemonSpec("chrony", "chrony", "/etc/chrony/chrony.conf",
            "/var/lib/chrony/chrony.drift", CHRONY_CHECK, "chrony.conf.ftl", DEB_CHRONY_KEYS_ROOT, DEB_CHRONY_KEPT, Map.of(), DEB_NTS_CERTS);
    // chrony before 4.0 (Debian 8-10: 1.30-3.4; Ubuntu 16.04-20.04: 2.1-3.5) has no chronyd -p: no offline check
    static final DaemonSpec DEB_CHRONY3 = new DaemonSpec("chrony", "chrony", "/etc/chrony/chrony.conf",
            "/var/lib/chrony/chrony.drift", null, "chrony.conf.ftl", DEB_CHRONY_KEYS_ROOT, new Kept(true, null, null, null), CHRONY3_REFUSES);
    static final DaemonSpec DEB_NTPSEC = new DaemonSpec("ntpsec", "ntpsec", "/etc/ntpsec/ntp.conf",
            "/var/lib/ntpsec/ntp.drift", null, "ntp.conf.ftl", DEB_NTPSEC_KEYS, new Kept(false, LEAPFILE, null, null), NTPSEC_REFUSES);
    static final DaemonSpec DEB_NTP = new DaemonSpec("ntp", "ntp", "/etc/ntp.conf",
            "/var/lib/ntp/ntp.drift", null, "ntp.conf.ftl", DEB_NTP_KEYS, new Kept(false, LEAPFILE, null, null), Map.of());
    static final DaemonSpec RH_CHRONY = new DaemonSpec("chrony", "chronyd", "/etc/chrony.conf",
            "/var/lib/chrony/drift", CHRONY_CHECK, "chrony.conf.ftl", RH_CHRONY_KEYS, new Kept(true, LEAPSECTZ, "/var/lib/chrony", CHRONY_DHCP), Map.of(), RH_NTS_CERTS);
    // RHEL 7 ships chrony 3.4, whose chronyd has no -p (added in chrony 4.0): it cannot check a config offline;
    // a config it rejects is still caught by the restart and rolled back
    static final DaemonSpec RH7_CHRONY = new DaemonSpec("chrony", "chronyd", "/etc/chrony.conf",
            "/var/lib/chrony/drift", null, "chrony.conf.ftl", RH_CHRONY_KEYS, Kept.NOTHING, CHRONY3_REFUSES);
    static final DaemonSpec RH_NTP = new DaemonSpec("ntp", "ntpd", "/etc/ntp.conf",
            "/var/lib/ntp/drift", null, "ntp.conf.ftl", RH_NTP_KEYS, new Kept(true, null, null, null), Map.of());
    // systemd-timesyncd: a drop-in, not the packaged /etc/systemd/timesyncd.conf (a dpkg conffile); docs/ntp.md says why
    static final DaemonSpec DEB_TIMESYNCD = new DaemonSpec("systemd-timesyncd", "systemd-timesyncd",
            "/etc/systemd/timesyncd.conf.d/tsync.conf", null, null, "timesyncd.conf.ftl");

    private static final String RHEL8_NO_NTP =
            "RHEL 8 and later ship no ntp package; use 'daemon: chrony' for this host (set tsync_ntp: { daemon: chrony } in its inventory vars)";

    /** A row matches an os-release ID (or one of its ID_LIKE words) and a major version range. */
    record Row(Set<String> ids, int minMajor, int maxMajor, Platform platform) {
        boolean matches(String id, int major) {
            return ids.contains(id) && major >= minMajor && major <= maxMajor;
        }
    }

    public static final List<Row> TABLE = List.of(
            new Row(Set.of("debian"), 13, 99, new Platform("debian13+", "debian", APT,
                    Map.of(Daemon.CHRONY, DEB13_CHRONY, Daemon.NTPD, DEB_NTPSEC, Daemon.TIMESYNCD, DEB_TIMESYNCD), null)),
            new Row(Set.of("debian"), 12, 12, new Platform("debian12", "debian", APT,
                    Map.of(Daemon.CHRONY, DEB_CHRONY, Daemon.NTPD, DEB_NTPSEC, Daemon.TIMESYNCD, DEB_TIMESYNCD), null)),
            new Row(Set.of("debian"), 11, 11, new Platform("debian11", "debian", APT,
                    Map.of(Daemon.CHRONY, DEB_CHRONY4_ROOTKEYS, Daemon.NTPD, DEB_NTP, Daemon.TIMESYNCD, DEB_TIMESYNCD), null)),
            new Row(Set.of("debian"), 8, 10, new Platform("debian8-10", "debian", APT,
                    Map.of(Daemon.CHRONY, DEB_CHRONY3, Daemon.NTPD, DEB_NTP), null)),
            new Row(Set.of("ubuntu"), 24, 99, new Platform("ubuntu24+", "debian", APT,
                    Map.of(Daemon.CHRONY, DEB_CHRONY, Daemon.NTPD, DEB_NTPSEC, Daemon.TIMESYNCD, DEB_TIMESYNCD), null)),
            // 23.10's chrony 4.3-2 already has root:_chrony keys; the row follows 22.04, the LTS
            new Row(Set.of("ubuntu"), 21, 23, new Platform("ubuntu21-23", "debian", APT,
                    Map.of(Daemon.CHRONY, DEB_CHRONY4_ROOTKEYS, Daemon.NTPD, DEB_NTP, Daemon.TIMESYNCD, DEB_TIMESYNCD), null)),
            new Row(Set.of("ubuntu"), 16, 20, new Platform("ubuntu16-20", "debian", APT,
                    Map.of(Daemon.CHRONY, DEB_CHRONY3, Daemon.NTPD, DEB_NTP), null)),
            new Row(Set.of("centos", "rhel", "ol", "scientific"), 7, 7, new Platform("rhel7", "rhel", YUM,
                    Map.of(Daemon.CHRONY, RH7_CHRONY, Daemon.NTPD, RH_NTP), null)),
            new Row(Set.of("rhel", "centos", "rocky", "almalinux", "ol"), 8, 99, new Platform("rhel8+", "rhel", DNF,
                    Map.of(Daemon.CHRONY, RH_CHRONY), RHEL8_NO_NTP)));

    /** What the table supports, for messages: "debian 12+, debian 8-11, ..., almalinux/centos/ol/rhel/rocky 8+". */
    public static String supported() {
        return TABLE.stream().map(r -> String.join("/", new TreeSet<>(r.ids())) + " "
                + (r.maxMajor() >= 99 ? r.minMajor() + "+" : r.minMajor() == r.maxMajor() ? String.valueOf(r.minMajor()) : r.minMajor() + "-" + r.maxMajor()))
                .collect(Collectors.joining(", "));
    }

    /** Names accepted by the {@code tsync_platform} inventory variable, for offline validation. */
    public static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("debian13", "debian:13"), Map.entry("debian12", "debian:12"), Map.entry("debian11", "debian:11"),
            Map.entry("ubuntu24.04", "ubuntu:24"), Map.entry("ubuntu22.04", "ubuntu:22"), Map.entry("centos7", "centos:7"),
            Map.entry("rhel8", "rhel:8"), Map.entry("rhel9", "rhel:9"), Map.entry("rocky8", "rocky:8"), Map.entry("rocky9", "rocky:9"));

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
        ArrayList<String> out = new ArrayList<>();
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
