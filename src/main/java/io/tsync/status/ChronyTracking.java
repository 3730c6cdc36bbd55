package io.tsync.status;

import java.time.Instant;

/**
 * The report of {@code chronyc -c -n tracking}: the system clock's state as chronyd sees it.
 *
 * <p>Offsets, delays and intervals are in seconds; frequencies in ppm, with chronyc's sign convention (in CSV a
 * negative {@code systemTimeSeconds} means the system clock is fast of NTP time, a positive {@code frequencyPpm}
 * that it runs slow).
 *
 * @param referenceId reference ID as 8 hex digits, e.g. {@code C000020B}; {@code 7F7F0101} is local mode,
 *     {@code 00000000} none
 * @param referenceName name or address of the reference, {@code null} if chronyc printed none
 * @param stratum this host's stratum
 * @param refTime time of the last reference update, {@code null} if never
 * @param systemTimeSeconds offset between the system clock and chronyd's NTP clock
 * @param lastOffsetSeconds offset at the last clock update
 * @param rmsOffsetSeconds long-term average offset
 * @param frequencyPpm frequency error of the system clock
 * @param residualFrequencyPpm residual frequency of the selected reference
 * @param skewPpm estimated error bound on the frequency
 * @param rootDelaySeconds total network delay to the stratum-1
 * @param rootDispersionSeconds total dispersion back to the stratum-1
 * @param updateIntervalSeconds interval between the last two clock updates
 * @param leapStatus {@code Normal}, {@code Insert second}, {@code Delete second} or {@code Not synchronised}
 */
public record ChronyTracking(String referenceId, String referenceName, int stratum, Instant refTime,
        double systemTimeSeconds, double lastOffsetSeconds, double rmsOffsetSeconds, double frequencyPpm,
        double residualFrequencyPpm, double skewPpm, double rootDelaySeconds, double rootDispersionSeconds,
        double updateIntervalSeconds, String leapStatus) {

    /** Reference ID chronyd reports while serving its own clock ({@code local} directive): 127.127.1.1. */
    public static final String LOCAL_REFERENCE_ID = "7F7F0101";

    /** Whether chronyd runs in local mode: synchronised to nothing but its own clock. */
    public boolean localMode() {
        return LOCAL_REFERENCE_ID.equalsIgnoreCase(referenceId) || "127.127.1.1".equals(referenceId);
    }

    /** Whether chronyd considers the clock synchronised (leap status other than "Not synchronised"). */
    public boolean synchronised() {
        return !ChronyParsers.LEAP_UNSYNCHRONISED.equals(leapStatus);
    }
}
