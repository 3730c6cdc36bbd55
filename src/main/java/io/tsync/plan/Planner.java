package io.tsync.plan;

import io.tsync.facts.Facts;
import io.tsync.model.Daemon;
import io.tsync.model.NtpSpec;
import io.tsync.model.Refclock;
import io.tsync.model.Secret;
import io.tsync.platform.Platform;
import io.tsync.platform.Platforms;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The pure heart of tsync: current facts + desired state → the ordered steps that converge the host.
 * Nothing already right appears in the plan; the daemon restarts only when its config changed or
 * it was just installed, and starts only when it is not running.
 */
public final class Planner {
    private Planner() {}

    /** Every service of each daemon family, so that the other families can be stopped by default. */
    static final Set<String> CHRONY_FAMILY = Set.of("chrony", "chronyd");
    static final Set<String> NTP_FAMILY = Set.of("ntp", "ntpd", "ntpsec");
    static final Set<String> TIMESYNCD_FAMILY = Set.of("systemd-timesyncd");
    static final List<String> ALL_TIME_SERVICES = List.of("chrony", "chronyd", "ntp", "ntpd", "ntpsec", "systemd-timesyncd", "openntpd");

    /** The plan cannot be made for this host (for example ntpd on RHEL 9). */
    public static final class PlanRefused extends Exception {
        public PlanRefused(String message) {
            super(message);
        }
    }

    /** A host's steps, and what the operator should know that is no step (a step skipped, a setting overridden). */
    public record Plan(List<Step> steps, List<String> warnings) {
        public Plan {
            steps = List.copyOf(steps);
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * @param rendered the config file content the renderer produced for this host (null without ntp)
     */
    public static List<Step> plan(Facts facts, Platform platform, Desired desired, String rendered) throws PlanRefused {
        return plan(facts, platform, desired, rendered, null).steps();
    }

    /**
     * @param rendered the config file content the renderer produced for this host (null without ntp)
     * @param keyFile  the key file's content when the spec has keys and their values were read, else null
     */
    public static Plan plan(Facts facts, Platform platform, Desired desired, String rendered, Secret keyFile) throws PlanRefused {
        List<Step> steps = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (desired.timezone() != null && !desired.timezone().equals(facts.timezone())) {
            if (!facts.tzdb()) {
                steps.add(new Step.InstallPackage(Platforms.TZDATA, platform.packages(),
                        "the host has no tz database (/usr/share/zoneinfo); " + desired.timezone() + " needs it"));
            }
            steps.add(new Step.SetTimezone(facts.timezone(), desired.timezone(),
                    "timezone is " + facts.timezone() + ", want " + desired.timezone()));
        }
        if (desired.ntp() == null) {
            return new Plan(steps, warnings);
        }
        NtpSpec ntp = desired.ntp();
        Daemon daemon = ntp.daemon();
        Platform.DaemonSpec spec = platform.daemon(daemon).orElseThrow(() -> new PlanRefused(
                daemon.key() + " is not available on " + platform.id()
                        + (platform.whyNot(daemon).isEmpty() ? "" : ": " + platform.whyNot(daemon))));
        for (Refclock r : ntp.advanced().refclocks()) {
            if (!facts.ptpDevices().contains(r.device())) {
                throw new PlanRefused((r.at() == null ? "" : r.at() + ": ") + "refclock " + r.device() + ": no such device on this host (it has "
                        + (facts.ptpDevices().isEmpty() ? "no PTP clock" : String.join(", ", facts.ptpDevices())) + "); load the hypervisor's PTP driver "
                        + "(KVM: modprobe ptp_kvm; Hyper-V: hv_utils; AWS: the ENA driver with its PHC enabled) or remove the refclock");
            }
        }

        Facts.Unit own = facts.unit(spec.service());
        String ownId = own == null ? spec.service() + ".service" : own.id();
        boolean installed = facts.installed(spec.pkg());
        // Debian's deb-systemd-helper masks a removed package's unit (systemd-timesyncd on Debian 11 after
        // chrony replaced it) and the package's postinst lifts that mask on install: not an administrator's
        boolean maskLiftedByInstall = !installed && own != null && facts.maskedOnRemoval().contains(own.id());
        if (own != null && own.masked() && !maskLiftedByInstall) {
            // a mask is an administrator's deliberate act: refuse before changing anything, never unmask silently
            throw new PlanRefused(ownId + " is masked (systemctl mask): an administrator turned it off on purpose and tsync does not unmask it, "
                    + "so nothing was changed on this host. To let tsync manage " + spec.service() + ", run 'systemctl unmask " + spec.service()
                    + "' on the host and apply again; otherwise leave the host out of this play");
        }
        Set<String> family = daemon == Daemon.CHRONY ? CHRONY_FAMILY : daemon == Daemon.NTPD ? NTP_FAMILY : TIMESYNCD_FAMILY;
        List<String> stopList = ntp.stop() != null ? ntp.stop() : ALL_TIME_SERVICES;
        Set<String> stopped = new LinkedHashSet<>();
        for (String name : stopList) {
            if (family.contains(name) || name.equals(spec.service())) {
                continue;
            }
            Facts.Unit u = facts.unit(name);
            if (u == null || !u.loaded() || u.id().equals(ownId) || !(u.active() || u.enabled())) {
                continue;
            }
            String unit = u.id().endsWith(".service") ? u.id().substring(0, u.id().length() - 8) : u.id();
            if (stopped.add(unit)) {
                steps.add(new Step.StopService(unit, unit + " is " + (u.active() ? "running" : "enabled")
                        + " and conflicts with " + spec.service()));
            }
        }

        if (!installed) {
            steps.add(new Step.InstallPackage(spec.pkg(), platform.packages(),
                    spec.pkg() + " is not installed"));
        }
        boolean keysChange = false;
        if (!ntp.advanced().keys().isEmpty() && spec.keyFile() != null) {
            Step.WriteKeys w = keys(facts, spec.keyFile(), spec.service(), keyFile);
            if (w != null) {
                steps.add(w);
                keysChange = true;
            }
        }
        boolean certsChange = false;
        if (ntp.advanced().ntsTrustedCerts() != null && spec.trustedCerts() != null) {
            Step.WriteTrustedCerts w = trustedCerts(facts, spec.trustedCerts(), spec.service(), ntp.advanced().ntsTrustedCerts().pem());
            if (w != null) {
                steps.add(w);
                certsChange = true;
            }
        }
        String current = facts.files().get(spec.configPath());
        boolean configChanges = !Objects.equals(current, rendered);
        if (configChanges) {
            steps.add(new Step.WriteConfig(spec.configPath(), spec.service(), rendered, current, spec.checkConfig(),
                    current == null ? spec.configPath() + " does not exist" : spec.configPath() + " differs from the desired content"));
        }
        boolean running = installed && own != null && own.active();
        boolean enabled = installed && own != null && own.enabled();
        if (!enabled) {
            steps.add(new Step.EnableService(spec.service(), installed ? spec.service() + " is not enabled at boot"
                    : spec.service() + " is being installed; make sure it starts at boot"));
        }
        // an earlier run replaced the config and lost its connection before the restart: the file is
        // right, the daemon still runs the previous one
        boolean pending = running && facts.restartPending().contains(spec.service());
        boolean restarted = false;
        if (configChanges || keysChange || certsChange || !installed || pending) {
            steps.add(new Step.RestartService(spec.service(), configChanges ? "the configuration changed" : keysChange ? "the key file changed"
                    : certsChange ? "the NTS trusted certificates changed"
                    : !installed ? "package was just installed"
                    : "an earlier run replaced " + spec.configPath() + " but did not get to restart " + spec.service() + " on it",
                    certsChange && installed ? spec.kept().ntsdumpdirOrDefault() : null));
            restarted = true;
        } else if (!running) {
            steps.add(new Step.StartService(spec.service(), spec.service() + " is not running"));
            restarted = true;
        }
        if (restarted && ntp.stepNow() && daemon == Daemon.CHRONY) {
            String cannot = facts.clock().whyChronyCannotStep();
            if (cannot == null) {
                steps.add(new Step.StepClock("step_now is set and chronyd was (re)started"));
            } else {
                warnings.add("step_now skipped: " + cannot + "; chronyd still measures and reports the offset (tsync status)");
            }
        }
        if (daemon == Daemon.TIMESYNCD) {
            String ours = spec.configPath().substring(spec.configPath().lastIndexOf('/') + 1);
            for (String d : facts.timesyncdDropins()) {
                if (d.compareTo(ours) > 0) {
                    warnings.add("timesyncd drop-in " + d + " sorts after " + ours + " and overrides the settings it shares with it");
                }
            }
        }
        return new Plan(steps, warnings);
    }

    /** The trusted certificates step, or null when the host's file already has the content (by SHA-256), owner and mode. */
    static Step.WriteTrustedCerts trustedCerts(Facts facts, Platform.KeyFile want, String unit, String pem) {
        Facts.KeyFileState have = facts.keyFiles().get(want.path());
        String why = have == null ? want.path() + " does not exist"
                : !new Secret(pem).sha256().equals(have.sha256()) ? want.path() + " does not hold the playbook's nts_trusted_certs"
                : ownershipDrift(have, want);
        return why == null ? null : new Step.WriteTrustedCerts(want.path(), unit, want.owner(), want.group(), want.mode(), pem, have != null, why);
    }

    /** The key file step, or null when the host's file already has the content, owner and mode. */
    static Step.WriteKeys keys(Facts facts, Platform.KeyFile want, String unit, Secret content) {
        Facts.KeyFileState have = facts.keyFiles().get(want.path());
        String why = have == null ? want.path() + " does not exist"
                : content != null && have.sha256() == null ? want.path() + " could not be read to compare"
                : content != null && !content.sha256().equals(have.sha256()) ? want.path() + " does not hold the playbook's keys"
                : ownershipDrift(have, want);
        return why == null ? null : new Step.WriteKeys(want.path(), unit, want.owner(), want.group(), want.mode(), content, have != null, why);
    }

    /** Why a managed file's owner or mode differ from the platform row's, or null when both are right. */
    private static String ownershipDrift(Facts.KeyFileState have, Platform.KeyFile want) {
        if (!(have.owner() + ":" + have.group()).equals(want.ownership())) {
            return want.path() + " is owned by " + have.owner() + ":" + have.group() + ", want " + want.ownership();
        }
        return have.mode().equals(want.mode()) ? null : want.path() + " has mode " + have.mode() + ", want " + want.mode();
    }
}
