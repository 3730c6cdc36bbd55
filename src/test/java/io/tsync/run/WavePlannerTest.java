package io.tsync.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.model.Serial;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Wave splitting as Ansible's serial does it: counts, percentages, ramps whose last entry repeats, truncation, small fleets. */
class WavePlannerTest {
    static List<String> hosts(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> "h" + i).toList();
    }

    static Serial serial(String... sizes) {
        return new Serial(Arrays.stream(sizes).map(Serial::parseSize).toList());
    }

    static List<Integer> sizes(int hosts, String... serial) {
        return WavePlanner.split(hosts(hosts), serial(serial)).stream().map(List::size).toList();
    }

    @Test
    void aCountMakesEqualWavesAndARemainder() {
        assertEquals(List.of(2, 2, 2), sizes(6, "2"));
        assertEquals(List.of(4, 4, 2), sizes(10, "4"));
    }

    @Test
    void aPercentageIsOfAllTheRunsHostsAndTruncated() {
        // Ansible: int(30 / 100.0 * 10) = 3
        assertEquals(List.of(3, 3, 3, 1), sizes(10, "30%"));
        // 25% of 6 = 1.5 -> 1
        assertEquals(List.of(1, 1, 1, 1, 1, 1), sizes(6, "25%"));
        // Python's float gives 28.999999999999996 for 29 / 100.0 * 100, and int() truncates it: Ansible makes waves of 28
        assertEquals(28, WavePlanner.size(Serial.parseSize("29%"), 100));
        assertEquals(List.of(28, 28, 28, 16), sizes(100, "29%"));
    }

    @Test
    void aPercentageBelowOneHostIsOneHost() {
        assertEquals(List.of(1, 1, 1), sizes(3, "10%"));
    }

    @Test
    void aRampRepeatsItsLastEntry() {
        // [1, 5, "20%"] on 30 hosts: 1, 5, then 6 (20% of 30) until all are placed
        assertEquals(List.of(1, 5, 6, 6, 6, 6), sizes(30, "1", "5", "20%"));
        // the lab case: [1, "50%"] on 6 hosts = 1, 3, 2
        assertEquals(List.of(1, 3, 2), sizes(6, "1", "50%"));
        // [1, "10%", "50%"] on 100 hosts: 1, 10, 50, then the 39 left
        assertEquals(List.of(1, 10, 50, 39), sizes(100, "1", "10%", "50%"));
    }

    @Test
    void fewerHostsThanAWaveMakeOneWave() {
        assertEquals(List.of(2), sizes(2, "5"));
        assertEquals(List.of(1), sizes(1, "1", "50%"));
        // a ramp longer than needed stops when the hosts run out
        assertEquals(List.of(1, 2), sizes(3, "1", "5", "20%"));
    }

    @Test
    void wavesKeepTheGivenOrderAndPlaceEveryHostOnce() {
        List<String> hosts = hosts(17);
        List<List<String>> waves = WavePlanner.split(hosts, serial("2", "30%"));
        List<String> flat = new ArrayList<>();
        waves.forEach(flat::addAll);
        assertEquals(hosts, flat);
        assertEquals(List.of("h1", "h2"), waves.get(0));
        assertEquals(List.of("h3", "h4", "h5", "h6", "h7"), waves.get(1));
    }

    @Test
    void noSerialIsOneWaveAndNoHostsNone() {
        assertEquals(List.of(hosts(4)), WavePlanner.split(hosts(4), null));
        assertEquals(List.of(), WavePlanner.split(List.of(), serial("1")));
    }

    @Test
    void theFailedShareStopsAsAnsiblesMaxFailPercentage() {
        // 0: any failure stops
        assertTrue(WavePlanner.stops(1, 1, 0));
        assertFalse(WavePlanner.stops(0, 10, 0));
        // 20% of 10 = 2 failures allowed, a third stops
        assertFalse(WavePlanner.stops(2, 10, 20));
        assertTrue(WavePlanner.stops(3, 10, 20));
        // 50% of 3 = 1.5 -> 1 allowed
        assertFalse(WavePlanner.stops(1, 3, 50));
        assertTrue(WavePlanner.stops(2, 3, 50));
        assertFalse(WavePlanner.stops(5, 5, 100));
    }

    @Test
    void sizesOutsideTheirRangeAreRefusedWithWhatIsWrong() {
        for (String bad : List.of("0", "0%", "101%", "-1", "ten", "5.5", "")) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Serial.parseSize(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        assertEquals("[1, \"10%\", \"50%\"]", serial("1", "10%", "50%").toString());
    }
}
