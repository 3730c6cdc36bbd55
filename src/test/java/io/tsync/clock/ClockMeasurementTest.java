package io.tsync.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The arithmetic of a measured clock: samples to offset ± error, spread, bounds, the host's answer. */
class ClockMeasurementTest {
    static final long T = 1_764_900_000_000_000_000L;

    @Test
    void theShortestRoundTripWinsAndTheOffsetIsAgainstItsMidpoint() {
        // host 2 s ahead; the second sample had the shortest round trip (400 us), the others were delayed one way
        List<ClockSample> samples = List.of(
                new ClockSample(T, T + 9_000_000, T + 2_000_000_000L + 8_000_000),
                new ClockSample(T + 10_000_000, T + 10_400_000, T + 10_000_000 + 2_000_000_000L + 250_000),
                new ClockSample(T + 20_000_000, T + 21_000_000, T + 20_000_000 + 2_000_000_000L + 100_000));
        ClockOffset o = ClockOffset.best(samples);
        assertEquals(2.000_050, o.seconds(), 1e-9);
        assertEquals(0.000_200, o.errorSeconds(), 1e-12);
        assertEquals(ClockOffset.CONTROLLER, o.against());
    }

    @Test
    void aHostBehindHasANegativeOffset() {
        ClockOffset o = ClockOffset.best(List.of(new ClockSample(T, T + 2_000_000, T + 1_000_000 - 259_200_000_000_000L)));
        assertEquals(-259_200.0, o.seconds(), 1e-6);
        assertEquals(0.001, o.errorSeconds(), 1e-12);
    }

    @Test
    void noSamplesOrAnAnswerBeforeTheQuestionAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ClockOffset.best(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ClockSample(T, T - 1, T));
    }

    @Test
    void wrongOnlyWhenEvenTheEdgeOfTheErrorIsBeyondTheBound() {
        Duration max = Duration.ofMillis(100);
        assertFalse(new ClockOffset(0.105, 0.010, "controller").exceeds(max), "within the error of the bound");
        assertTrue(new ClockOffset(0.115, 0.010, "controller").exceeds(max));
        assertTrue(new ClockOffset(-0.2, 0.001, "controller").exceeds(max), "behind counts as much as ahead");
        assertFalse(new ClockOffset(3600, 0.001, "controller").exceeds(Duration.ZERO), "0 turns the check off");
    }

    @Test
    void againstAReferenceTheControllersOffsetIsTakenOffAndTheErrorsAdd() {
        // host 0.3 s ahead of the controller; the server is 0.1 s ahead of the controller: host 0.2 s ahead of the server
        ClockOffset host = new ClockOffset(0.3, 0.001, ClockOffset.CONTROLLER);
        ClockOffset server = new ClockOffset(0.1, 0.002, "ntp1");
        ClockOffset h = host.against("ntp1", server);
        assertEquals(0.2, h.seconds(), 1e-12);
        assertEquals(0.003, h.errorSeconds(), 1e-12);
        assertEquals("ntp1", h.against());
    }

    @Test
    void spreadIsLargestMinusSmallestWithBothErrors() {
        FleetSpread s = FleetSpread.of(Arrays.asList(new ClockOffset(0.010, 0.001, "controller"), null,
                new ClockOffset(-0.020, 0.002, "controller"), new ClockOffset(0.0, 0.0005, "controller")));
        assertEquals(0.030, s.seconds(), 1e-12);
        assertEquals(0.003, s.errorSeconds(), 1e-12);
        assertTrue(s.exceeds(Duration.ofMillis(20)));
        assertFalse(s.exceeds(Duration.ofMillis(28)), "27 ms is possible within the errors");
        assertFalse(s.exceeds(Duration.ZERO));
    }

    @Test
    void spreadOfEqualOffsetsKeepsTheirErrorsAndOfOneHostIsZero() {
        FleetSpread two = FleetSpread.of(List.of(new ClockOffset(0.5, 0.001, "controller"), new ClockOffset(0.5, 0.002, "controller")));
        assertEquals(0, two.seconds(), 0);
        assertEquals(0.003, two.errorSeconds(), 1e-12);
        FleetSpread one = FleetSpread.of(List.of(new ClockOffset(7, 0.001, "controller")));
        assertEquals(new FleetSpread(0, 0), one);
        assertNull(FleetSpread.of(List.of()));
    }

    @Test
    void theHostsAnswerIsReadToTheNanosecond() {
        assertEquals(1_764_900_000_123_456_000L, ClockProbe.parseNanos("1764900000.123456\n"));
        assertEquals(1_764_900_000_123_456_789L, ClockProbe.parseNanos("1764900000.123456789"));
        assertEquals(1_764_900_000_000_000_000L, ClockProbe.parseNanos("1764900000"));
        assertEquals(1_764_900_000_050_000_000L, ClockProbe.parseNanos("1764900000.05"));
        for (String bad : List.of("1764900000.N", "1764900000.%N", "1764900000,123456", "", "-1.5", "1.1234567890")) {
            assertThrows(IllegalArgumentException.class, () -> ClockProbe.parseNanos(bad), bad);
        }
    }

    @Test
    void theProbeReadsEpochRealtimeWithoutAForkAndFallsBackToDate() {
        String c = ClockProbe.command();
        assertTrue(c.contains("echo \\\"$EPOCHREALTIME\\\"") || c.contains("echo \"$EPOCHREALTIME\""), c);
        assertTrue(c.contains("date +%s.%N"), c);
        assertTrue(c.contains("LC_ALL=C"), "a decimal point, not a comma, in $EPOCHREALTIME");
    }

    @Test
    void boundsReadAsOperatorsWriteThem() {
        assertEquals(Duration.ofMillis(100), ClockPolicy.parseBound("100ms"));
        assertEquals(Duration.ofMillis(1500), ClockPolicy.parseBound("1.5s"));
        assertEquals(Duration.ofSeconds(2), ClockPolicy.parseBound("2"));
        assertEquals(Duration.ofNanos(500_000), ClockPolicy.parseBound("500us"));
        assertEquals(Duration.ofMinutes(5), ClockPolicy.parseBound("5m"));
        assertEquals(Duration.ZERO, ClockPolicy.parseBound("0"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClockPolicy.parseBound("-1s"));
        assertTrue(e.getMessage().contains("100ms"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClockPolicy.parseBound("1h"));
    }
}
