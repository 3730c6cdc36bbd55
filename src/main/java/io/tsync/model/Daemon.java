package io.tsync.model;

/** The NTP daemons tsync manages. */
public enum Daemon {
    CHRONY("chrony"), NTPD("ntpd");

    private final String key;

    Daemon(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static Daemon fromKey(String key) {
        for (Daemon d : values()) {
            if (d.key.equals(key)) {
                return d;
            }
        }
        return null;
    }
}
