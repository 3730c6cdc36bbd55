package io.tsync.plan;

import io.tsync.facts.Facts;
import io.tsync.model.Daemon;
import io.tsync.platform.Platform;
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
    static final List<String> ALL_TIME_SERVICES = List.of("chrony", "chronyd", "ntp", "ntpd", "ntpsec", "systemd-timesyncd", "openntpd");

    /** The plan cannot be made for this host (for example ntpd on RHEL 9). */
    public static final class PlanRefused extends Exception {
        public PlanRefused(String message) {
            super(message);
        }
    }

    /**
     * @param rendered the config file content the renderer produced for this host (null without ntp)
     */
    public static List<Step> plan(Facts facts, Platform platform, Desired desired, String rendered) throws PlanRefused {
        List<Step> steps = new ArrayList<>();
        if (desired.timezone() != null && !desired.timezone().equals(facts.timezone())) {
            steps.add(new Step.SetTimezone(facts.timezone(), desired.timezone(),
                    "timezone is " + facts.timezone() + ", want " + desired.timezone()));
        }
        if (desired.ntp() == null) {
            return List.copyOf(steps);
        }
        Daemon daemon = desired.ntp().daemon();
        Platform.DaemonSpec spec = platform.daemon(daemon).orElseThrow(() -> new PlanRefused(
                daemon.key() + " is not available on " + platform.id()
                        + (platform.noNtpHint() == null ? "" : ": " + platform.noNtpHint())));

        Facts.Unit own = facts.unit(spec.service());
        String ownId = own == null ? spec.service() + ".service" : own.id();
        Set<String> family = daemon == Daemon.CHRONY ? CHRONY_FAMILY : NTP_FAMILY;
        List<String> stopList = desired.ntp().stop() != null ? desired.ntp().stop() : ALL_TIME_SERVICES;
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

        boolean installed = facts.installed(spec.pkg());
        if (!installed) {
            steps.add(new Step.InstallPackage(spec.pkg(), platform.packages(),
                    spec.pkg() + " is not installed"));
        }
        String current = facts.files().get(spec.configPath());
        boolean configChanges = !Objects.equals(current, rendered);
        if (configChanges) {
            steps.add(new Step.WriteConfig(spec.configPath(), rendered, current, spec.checkConfig(),
                    current == null ? spec.configPath() + " does not exist" : spec.configPath() + " differs from the desired content"));
        }
        boolean running = installed && own != null && own.active();
        boolean enabled = installed && own != null && own.enabled();
        if (!enabled) {
            steps.add(new Step.EnableService(spec.service(), installed ? spec.service() + " is not enabled at boot"
                    : spec.service() + " is being installed; make sure it starts at boot"));
        }
        boolean restarted = false;
        if (configChanges || (!installed)) {
            steps.add(new Step.RestartService(spec.service(), configChanges ? "the configuration changed" : "package was just installed"));
            restarted = true;
        } else if (!running) {
            steps.add(new Step.StartService(spec.service(), spec.service() + " is not running"));
            restarted = true;
        }
        if (restarted && desired.ntp().stepNow() && daemon == Daemon.CHRONY) {
            steps.add(new Step.StepClock("step_now is set and chronyd was (re)started"));
        }
        return List.copyOf(steps);
    }
}
