package io.tsync.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** --slice K/N: N workers together handle every host exactly once, and a host keeps its slice as the fleet changes. */
class SliceTest {
    static List<String> fleet(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    static List<Slice> all(int n) {
        List<Slice> out = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            out.add(new Slice(k, n));
        }
        return out;
    }

    @Test
    void slicesAreDisjointAndCoverTheSelectionInItsOrder() {
        List<String> hosts = fleet("web", 500);
        for (int n = 1; n <= 9; n++) {
            Map<String, Integer> seen = new HashMap<>();
            for (Slice s : all(n)) {
                List<String> mine = s.select(hosts, Function.identity());
                assertEquals(hosts.stream().filter(mine::contains).toList(), mine, "a slice keeps the selection's order");
                mine.forEach(h -> seen.merge(h, 1, Integer::sum));
            }
            assertEquals(hosts.size(), seen.size(), n + " slices cover every host");
            assertTrue(seen.values().stream().allMatch(c -> c == 1), n + " slices: each host in exactly one");
        }
        assertEquals(hosts, new Slice(1, 1).select(hosts, Function.identity()), "1/1 is everything");
    }

    @Test
    void aHostKeepsItsSliceWhenHostsAreAddedRemovedOrReordered() {
        List<String> before = fleet("db", 200);
        Map<String, Integer> sliceOf = new HashMap<>();
        for (Slice s : all(5)) {
            s.select(before, Function.identity()).forEach(h -> sliceOf.put(h, s.index()));
        }
        List<String> after = new ArrayList<>(before.subList(50, 200));
        after.addAll(fleet("new", 100));
        Collections.shuffle(after, new Random(7));
        for (Slice s : all(5)) {
            for (String h : s.select(after, Function.identity())) {
                if (sliceOf.containsKey(h)) {
                    assertEquals(sliceOf.get(h), s.index(), h + " moved to another slice");
                }
            }
        }
    }

    /** The hash is a contract (docs/scale.md): a worker on another machine or another tsync version cuts the same slices. */
    @ParameterizedTest
    @CsvSource({"h1,4,4", "h2,4,3", "h3,4,1", "h4,4,4", "h12,4,3", "web1.example.com,10,10", "h1,1,1"})
    void theSliceOfANameIsFixed(String name, int count, int expected) {
        assertEquals(expected, Slice.of(name, count));
    }

    @Test
    void largeFleetsSplitEvenly() {
        List<String> hosts = fleet("node-", 20_000);
        for (Slice s : all(8)) {
            int size = s.select(hosts, Function.identity()).size();
            assertTrue(Math.abs(size - 2500) < 200, "slice " + s + " has " + size + " of 20000 hosts");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1/4|1|4", " 4/4 |4|4", "1/1|1|1", "007/10|7|10"})
    void parsesKOverN(String text, int k, int n) {
        assertEquals(new Slice(k, n), Slice.parse(text));
        assertEquals(k + "/" + n, Slice.parse(text).toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0/4|K must be from 1 to N (4)",
        "5/4|K must be from 1 to N (4)",
        "1/0|the number of slices N must be from 1 to 100000",
        "1/100001|the number of slices N must be from 1 to 100000",
        "2|is not a slice K/N",
        "a/b|is not a slice K/N",
        "-1/4|is not a slice K/N",
        "1/4/2|is not a slice K/N",
        "''|is not a slice K/N"})
    void refusesWhatIsNotASliceSayingWhy(String text, String why) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Slice.parse(text));
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }
}
