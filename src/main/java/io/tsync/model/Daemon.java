package io.tsync.model;

/** The time daemons tsync manages: chrony, ntpd (classic ntp or ntpsec) and systemd-timesyncd (an SNTP client). */
public enum Daemon {
    CHRONY("chrony"), NTPD("ntpd"), TIMESYNCD("timesyncd");

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
