package io.tsync.render;

import io.tsync.model.Daemon;
import io.tsync.model.NtpKey;
import io.tsync.model.Secret;
import java.util.List;
import java.util.Locale;

/**
 * The content of a daemon's key file, built here in Java and never through a template, so that no
 * template error, override or trace can show a key. chrony: {@code ID TYPE HEX:DIGITS}; ntp and
 * ntpsec: {@code ID TYPE digits} (a key longer than 20 characters is read as hex).
 */
public final class KeyFiles {
    private KeyFiles() {}

    /** The file's content, or null when a key's value was not read (validate, status without the secrets). */
    public static Secret render(Daemon daemon, List<NtpKey> keys) {
        StringBuilder b = new StringBuilder("# Managed by tsync: symmetric NTP keys (ids");
        for (NtpKey k : keys) {
            b.append(' ').append(k.id());
        }
        b.append(") from the controller; do not edit by hand.\n");
        for (NtpKey k : keys) {
            if (k.value() == null) {
                return null;
            }
            String digits = k.value().reveal();
            b.append(k.id()).append(' ').append(k.type()).append(' ')
                    .append(daemon == Daemon.CHRONY ? "HEX:" + digits.toUpperCase(Locale.ROOT) : digits.toLowerCase(Locale.ROOT)).append('\n');
        }
        return new Secret(b.toString());
    }
}
