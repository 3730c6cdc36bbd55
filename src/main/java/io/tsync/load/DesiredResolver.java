package io.tsync.load;

import io.tsync.model.Daemon;
import io.tsync.model.Host;
import io.tsync.model.NtpSpec;
import io.tsync.model.Play;
import io.tsync.model.Server;
import io.tsync.plan.Desired;
import io.tsync.platform.Platform;
import io.tsync.platform.Platforms;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A play's desired state for one host, after the host's inventory overrides in tsync's namespace:
 * {@code tsync_timezone} replaces the play's timezone, {@code tsync_ntp} (a mapping with the keys
 * of a play's {@code ntp}) replaces the keys it names, and {@code tsync_platform} (e.g. rhel9)
 * declares the host's platform so a daemon it lacks is refused before connecting.
 */
public final class DesiredResolver {
    private DesiredResolver() {}

    public static Desired resolve(Play play, Host host) throws InvalidInputException {
        String tz = play.timezone();
        Host.Var tzVar = host.vars().get("tsync_timezone");
        if (tzVar != null) {
            tz = PlaybookLoader.overrideTimezone(tzVar.node(), tzVar.location());
        }
        NtpSpec ntp = play.ntp();
        Host.Var ntpVar = host.vars().get("tsync_ntp");
        if (ntpVar != null) {
            ntp = PlaybookLoader.override(play.ntp(), ntpVar.node(), ntpVar.location());
        }
        if (ntp != null) {
            ntp = withoutSelf(ntp, host);
        }
        Host.Var platformVar = host.vars().get("tsync_platform");
        if (platformVar != null) {
            String name = String.valueOf(platformVar.value());
            Optional<Platform> p = Platforms.byAlias(name);
            if (p.isEmpty()) {
                throw new InvalidInputException(new Problem(platformVar.location().file(), platformVar.location().line(),
                        platformVar.location().column(), "unknown tsync_platform '" + name.replace("\n", "\\n") + "' for host " + host.name(),
                        "use one of: " + String.join(", ", new TreeSet<>(Platforms.ALIASES.keySet()))));
            }
            if (ntp != null && p.get().daemon(ntp.daemon()).isEmpty()) {
                var at = ntpVar != null ? ntpVar.location() : play.location();
                throw new InvalidInputException(new Problem(at.file(), at.line(), at.column(),
                        "host " + host.name() + " (" + name + ") has no " + ntp.daemon().key() + " package",
                        ntp.daemon() == Daemon.NTPD ? "use daemon: chrony for this host (tsync_ntp: { daemon: chrony })"
                                : p.get().whyNot(ntp.daemon()).isEmpty() ? "use another daemon" : p.get().whyNot(ntp.daemon())));
            }
            if (ntp != null) {
                // what this platform's build of the daemon lacks (ntpsec: no peers, no xleave)
                List<Problem> lacks = NtpChecks.problems(ntp, p.get().daemon(ntp.daemon()).orElseThrow()).stream()
                        .map(x -> new Problem(x.file(), x.line(), x.column(), "host " + host.name() + " (" + name + "): " + x.message(), x.fix()))
                        .toList();
                if (!lacks.isEmpty()) {
                    throw new InvalidInputException(lacks);
                }
            }
        }
        return new Desired(tz, ntp);
    }

    /**
     * Servers that peer each other share one list: a peer entry naming the host itself (its inventory
     * name or ansible_host) is left out of that host's config.
     */
    static NtpSpec withoutSelf(NtpSpec ntp, Host host) {
        List<Server> kept = ntp.servers().stream()
                .filter(s -> !(s.peer() && (s.host().equalsIgnoreCase(host.name()) || s.host().equalsIgnoreCase(host.address()))))
                .toList();
        return kept.size() == ntp.servers().size() ? ntp : ntp.withServers(kept);
    }
}
