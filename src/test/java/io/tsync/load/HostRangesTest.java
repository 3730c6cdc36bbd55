package io.tsync.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostRangesTest {
    @Test
    void numericAlphabeticSteppedAndNested() throws Exception {
        assertEquals(List.of("web01", "web02", "web03"), HostRanges.expand("web[01:03]"));
        assertEquals(List.of("web8", "web9", "web10"), HostRanges.expand("web[8:10]"));
        assertEquals(List.of("dba.example.com", "dbb.example.com"), HostRanges.expand("db[a:b].example.com"));
        assertEquals(List.of("n0", "n5", "n10"), HostRanges.expand("n[0:10:5]"));
        assertEquals(List.of("h0", "h1"), HostRanges.expand("h[:1]"));
        assertEquals(List.of("r1a", "r1b", "r2a", "r2b"), HostRanges.expand("r[1:2][a:b]"));
        assertEquals(List.of("plain"), HostRanges.expand("plain"));
        assertTrue(HostRanges.hasRange("web[01:03]"));
        assertFalse(HostRanges.hasRange("web01"));
    }

    @Test
    void malformedRangesAreRefused() {
        for (String bad : List.of("web[3:1]", "web[01:3]", "web[1:]", "web[1:2:0]", "web[a:3]", "web[1-3]", "web[1:3", "web]1", "db[c:a]")) {
            assertThrows(HostRanges.RangeException.class, () -> HostRanges.expand(bad), bad);
        }
        HostRanges.RangeException e = assertThrows(HostRanges.RangeException.class, () -> HostRanges.expand("h[0:99999999]"));
        assertTrue(e.getMessage().contains("more than " + HostRanges.MAX_HOSTS), e.getMessage());
        assertThrows(HostRanges.RangeException.class, () -> HostRanges.expand("a[0:999]b[0:999]"));
    }
}
