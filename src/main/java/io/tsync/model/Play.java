package io.tsync.model;

/**
 * One play of a playbook: which hosts, and their desired timezone and NTP setup (either may be absent);
 * {@code rollout}: its serial, max_fail_percentage and on_unsynced ({@link Rollout#NONE} when it has none).
 */
public record Play(String name, String hosts, String timezone, NtpSpec ntp, Location location, Rollout rollout) {
    public Play {
        rollout = rollout == null ? Rollout.NONE : rollout;
    }

    public Play(String name, String hosts, String timezone, NtpSpec ntp, Location location) {
        this(name, hosts, timezone, ntp, location, Rollout.NONE);
    }
}
