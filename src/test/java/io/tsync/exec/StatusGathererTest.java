package io.tsync.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The platform line of the status exec: os-release's ID and VERSION_ID, read only from their own section. */
class StatusGathererTest {
    @Test
    void platformFromOsRelease() {
        assertEquals("debian12", StatusGatherer.platform("@platform\nID=debian\nVERSION_ID=\"12\"\n@tsync-status 1\n"));
        assertEquals("ubuntu24.04", StatusGatherer.platform("@platform\nVERSION_ID=\"24.04\"\nID=ubuntu\n"));
        assertEquals("rocky9.3", StatusGatherer.platform("@os\nID=ignored\n@end\n@platform\nID=\"rocky\"\nVERSION_ID='9.3'\n"));
        assertEquals("debian", StatusGatherer.platform("@platform\nID=debian\n"), "testing/sid have no VERSION_ID");
        assertNull(StatusGatherer.platform("@platform\n@tsync-status 1\n"), "no os-release");
        assertNull(StatusGatherer.platform("@platform\nID=\"a b\"\n"), "not a label-safe word");
        assertNull(StatusGatherer.platform(""));
    }
}
