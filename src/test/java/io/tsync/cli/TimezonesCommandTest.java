package io.tsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TimezonesCommandTest {
    @Test
    void listsMatchingTimezonesOffline() {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = Main.run("timezones", "seoul");
        } finally {
            System.setOut(old);
        }
        assertEquals(0, code);
        assertEquals("Asia/Seoul", buf.toString(StandardCharsets.UTF_8).strip());
    }
}
