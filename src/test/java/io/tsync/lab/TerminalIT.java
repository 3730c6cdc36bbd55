package io.tsync.lab;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a person at a terminal sees (a real pseudo-terminal from script(1)) against what a pipe gets. */
@Tag("lab")
class TerminalIT {
    static final String KR = "playbooks/kr.yaml";

    @BeforeAll
    static void lab() {
        Lab.up(3);
    }

    /** Six inventory names over the three lab hosts: more than five hosts, so a terminal shows progress. */
    static Path sixHosts(Path dir) throws Exception {
        List<String> out = new ArrayList<>();
        for (String l : Files.readAllLines(Lab.INVENTORY)) {
            if (l.startsWith("    h")) {
                String addr = l.replaceAll(".*ansible_host: ([0-9.]+).*", "$1");
                String n = l.strip().substring(1, l.strip().indexOf(':'));
                out.add("    a" + n + ": { ansible_host: " + addr + " }");
                out.add("    b" + n + ": { ansible_host: " + addr + " }");
            } else {
                out.add(l);
            }
        }
        assertTrue(out.stream().filter(l -> l.matches("    [ab]\\d+: .*")).count() == 6, String.join("\n", out));
        return Files.write(dir.resolve("six.yaml"), out);
    }

    @Test
    void progressAndColourOnATerminalNeitherWhenPiped(@TempDir Path dir) throws Exception {
        Path inv = sixHosts(dir);
        List<String> check = List.of("apply", "--check", "-i", inv.toString(), KR);

        List<String> plain = new ArrayList<>(List.of("java", "-jar", Lab.JAR.toString()));
        plain.addAll(check);
        Lab.Terminal t = Lab.Terminal.start(dir, Map.of(), plain);
        String screen = t.finish(Duration.ofMinutes(2));
        assertTrue(t.exit() == 0 || t.exit() == 2, screen);
        assertTrue(screen.contains("[0/6 hosts done, "), "progress from the start, before a host is done:\n" + screen);
        assertTrue(screen.matches("(?s).*\\[[1-5]/6 hosts done, \\d+\\.\\d s\\].*"), "progress line on a terminal:\n" + screen);
        assertTrue(screen.contains("\r\u001b[2K"), "the progress line is erased before the next host's line:\n" + screen);
        assertFalse(screen.replace("\u001b[2K", "").contains("\u001b["), "NO_COLOR: no colour codes:\n" + screen);

        List<String> coloured = new ArrayList<>(List.of("env", "-u", "NO_COLOR"));
        coloured.addAll(plain);
        Lab.Terminal c = Lab.Terminal.start(dir, Map.of("TERM", "xterm"), coloured);
        String colourScreen = c.finish(Duration.ofMinutes(2));
        assertTrue(colourScreen.contains("\u001b[32m") || colourScreen.contains("\u001b[33m"), "colour on a terminal:\n" + colourScreen);

        List<String> pipedCmd = new ArrayList<>(List.of("lab/exec"));
        pipedCmd.addAll(coloured);
        Lab.Run piped = Lab.run(Duration.ofMinutes(2), pipedCmd, null, Map.of("TERM", "xterm"));
        assertTrue(piped.exit() == 0 || piped.exit() == 2, piped.all());
        assertTrue(piped.out().contains("RECAP"), piped.all());
        assertFalse(piped.all().contains("hosts done") || piped.all().contains("\u001b["), "piped: no progress, no escape codes:\n" + piped.all());
    }
}
