package io.tsync.model;

import java.util.List;

/**
 * The desired NTP setup of a host.
 *
 * @param stop conflicting services to stop and disable; {@code null} means the default: every other
 *     known time daemon (chrony/chronyd, ntp/ntpd/ntpsec, systemd-timesyncd)
 */
public record NtpSpec(Daemon daemon, List<Server> servers, MakeStep makestep, boolean stepNow,
                      List<String> allow, String driftfile, boolean rtcsync, List<String> stop) {
    public NtpSpec {
        servers = List.copyOf(servers);
        allow = List.copyOf(allow);
        stop = stop == null ? null : List.copyOf(stop);
    }
}
