package io.tsync.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SourceSummaryTest {
    private static List<Source> chrony(String csv) {
        return ChronyParsers.sources(csv);
    }

    @Test
    void countsByState() {
        assertEquals("no sources", SourceSummary.of(List.of()));
        assertEquals("4 sources: 1 *, 1 +, 1 -, 1 ?", SourceSummary.of(chrony(Samples.read("chrony-sources-synced.csv"))));
        assertEquals("1 source, * (selected)", SourceSummary.of(chrony("^,*,192.0.2.11,2,2,377,2,0.0,0.0,0.0")));
    }

    @Test
    void unselectableSourcesSayWhetherTheyAnswer() {
        assertEquals("2 sources, all ? (unreachable)", SourceSummary.of(chrony("^,?,192.0.2.1,0,6,0,4294967295,0,0,0\n^,?,192.0.2.2,0,6,0,4294967295,0,0,0")));
        assertEquals("2 sources, all ? (not selectable yet)", SourceSummary.of(chrony("^,?,192.0.2.1,2,6,1,4,0,0,0\n^,?,192.0.2.2,0,6,0,4294967295,0,0,0")));
    }
}
