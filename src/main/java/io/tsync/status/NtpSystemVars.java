package io.tsync.status;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The system variables ntpd reports through {@code ntpq -c rv}. Offsets and delays are converted from ntpq's
 * milliseconds to seconds; components ntpq did not print are {@code null}.
 *
 * @param leap leap status in chrony's words: {@code Normal}, {@code Insert second}, {@code Delete second} or
 *     {@code Not synchronised} (from {@code leap=00/01/10/11})
 * @param stratum this host's stratum (16 while unsynchronised)
 * @param refid reference ID of the system peer
 * @param offsetSeconds last combined offset ({@code offset})
 * @param sysJitterSeconds RMS of the combined offsets ({@code sys_jitter})
 * @param rootDelaySeconds total delay to the primary reference ({@code rootdelay})
 * @param rootDispersionSeconds total dispersion to the primary reference ({@code rootdisp})
 * @param raw every {@code name=value} pair, in output order, quotes removed
 */
public record NtpSystemVars(String leap, Integer stratum, String refid, Double offsetSeconds, Double sysJitterSeconds,
        Double rootDelaySeconds, Double rootDispersionSeconds, Map<String, String> raw) {

    public NtpSystemVars {
        raw = raw == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(raw));
    }
}
