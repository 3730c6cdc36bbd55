package io.tsync.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalTimeParsersTest {

    @Test
    void timezoneFromLinkOrFile() {
        assertEquals("Europe/Berlin", LocalTimeParsers.timezone("/usr/share/zoneinfo/Europe/Berlin", ""));
        assertEquals("Europe/Berlin", LocalTimeParsers.timezone("../usr/share/zoneinfo/Europe/Berlin", null));
        assertEquals("America/Sao_Paulo", LocalTimeParsers.timezone("/usr/share/zoneinfo/posix/America/Sao_Paulo", ""));
        assertEquals("Etc/UTC", LocalTimeParsers.timezone("", "Etc/UTC"));
        assertEquals("Asia/Seoul", LocalTimeParsers.timezone("/etc/localtime.real", "Asia/Seoul"));
        assertNull(LocalTimeParsers.timezone("", ""));
        assertNull(LocalTimeParsers.timezone(null, null));
    }

    @Test
    void timezoneFromTheTzSection() {
        assertEquals("Europe/London", LocalTimeParsers.timezone("link=/usr/share/zoneinfo/right/Europe/London\nfile=Etc/UTC"));
        assertEquals("Etc/UTC", LocalTimeParsers.timezone("link=\nfile=Etc/UTC"));
        assertNull(LocalTimeParsers.timezone(""));
    }

    @Test
    void dateWithItsOffset() {
        assertEquals(OffsetDateTime.parse("2026-11-25T21:13:35+01:00"), LocalTimeParsers.dateTime("2026-11-25T21:13:35+0100\n"));
        assertNull(LocalTimeParsers.dateTime(""));
        assertNull(LocalTimeParsers.dateTime("Wed Nov 25 21:13:35 CET 2026"), "not the format asked for");
    }

    @Test
    void keyValueLines() {
        assertEquals(Map.of("a", "1", "b", "x=y", "c", ""), KeyValueLines.parse(" a = 1\nb=x=y\nc=\n=skipped\nno equals"));
        assertEquals("2", KeyValueLines.parse("a=1\na=2").get("a"), "a later key wins");
    }
}
