package io.tsync.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hostile values survive quoting as data: a real /bin/sh echoes them back and runs nothing. */
class ShellTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"plain", "it's", "a;touch PWNED", "$(touch PWNED)", "`touch PWNED`", "x\ntouch PWNED", "'; touch PWNED; '",
        "\"$HOME\"", "\\", "*", "a b\tc", "${IFS}touch${IFS}PWNED", "'\\''"})
    void quotedValueIsEchoedVerbatimAndNothingRuns(String value) throws Exception {
        String out = sh("printf '%s' " + Shell.quote(value));
        assertEquals(value, out);
        assertEquals(List.of(), listDir(), "no command ran");
    }

    String sh(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/bin/sh", "-c", script).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    List<String> listDir() throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(x -> x.getFileName().toString()).toList();
        }
    }
}
