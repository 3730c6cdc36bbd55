package io.tsync.status;

import java.util.Locale;

/** The one-word health of a host's time synchronisation, as shown by {@code tsync status}. */
public enum Verdict {
    /** A source is selected and the daemon considers the clock synchronised. */
    SYNCED("synced"),
    /** The daemon runs and some source answers, but none is selected yet. */
    SYNCING("syncing"),
    /** The daemon runs but no source answers, or only the local clock is used. */
    UNSYNCED("unsynced"),
    /** No chrony/ntpd daemon is active, or its control tool cannot talk to it. */
    DAEMON_DOWN("daemon down"),
    /** The clock, as tsync measured it, is further off than --max-offset allows, whatever the daemon says. */
    CLOCK_WRONG("clock wrong"),
    /** The host could not be probed at all (ssh failed). */
    UNREACHABLE("unreachable");

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    /** Human label, e.g. {@code "daemon down"}. */
    public String label() {
        return label;
    }

    /** Machine value used in JSON, e.g. {@code "daemon_down"}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
