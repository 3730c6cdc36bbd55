package io.tsync.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LastRunTest {
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    static final Instant T1 = Instant.parse("2026-12-01T10:00:03Z");
    static final String SHA = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b";

    @Test
    void writtenAsJsonAndReadBack(@TempDir Path dir) throws IOException {
        LastRun run = new LastRun("git://10.0.0.1/time", "main", SHA, "local.yaml", T0, T1, "changed", 5, 0, null);
        Path file = dir.resolve("pull/last-run.json");
        run.write(file);
        assertEquals("""
                {
                  "schema": "tsync.pull/v1",
                  "url": "git://10.0.0.1/time",
                  "branch": "main",
                  "commit": "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b",
                  "playbook": "local.yaml",
                  "started": "2026-12-01T10:00:00Z",
                  "finished": "2026-12-01T10:00:03Z",
                  "outcome": "changed",
                  "changed": 5,
                  "exit": 0,
                  "message": null
                }
                """, Files.readString(file));
        assertEquals(run, LastRun.read(file));
        assertNull(LastRun.read(dir.resolve("none.json")));
    }

    @Test
    void oneLineForStatus() {
        assertEquals("last pull: 2026-12-01T10:00:03Z commit 1a2b3c4d5e6f ok, 0 changed (local.yaml)",
                new LastRun("u", "main", SHA, "local.yaml", T0, T1, "ok", 0, 0, null).summary());
        assertEquals("last pull: 2026-12-01T10:00:03Z unreachable, 0 changed, exit 5: git could not fetch branch main from u (exit 128): fatal: x",
                new LastRun("u", "main", null, null, T0, T1, "unreachable", 0, 5,
                        "git could not fetch branch main from u (exit 128): fatal: x\n  nothing was changed on this host").summary());
    }

    @Test
    void outcomesFollowApplysExitCodes() {
        assertEquals("ok", LastRun.outcome(0, 0));
        assertEquals("changed", LastRun.outcome(0, 3));
        assertEquals("drift", LastRun.outcome(2, 0));
        assertEquals("invalid", LastRun.outcome(3, 0));
        assertEquals("failed", LastRun.outcome(4, 1));
        assertEquals("unreachable", LastRun.outcome(5, 0));
        assertEquals("not-synced", LastRun.outcome(6, 4));
        assertEquals("interrupted", LastRun.outcome(130, 0));
    }

    @Test
    void anotherDocumentIsRefusedNamingTheFile() {
        IOException e = assertThrows(IOException.class, () -> LastRun.parse("{\"schema\": \"tsync.apply/v1\"}", "/var/lib/tsync/pull/last-run.json"));
        assertEquals("/var/lib/tsync/pull/last-run.json is not a tsync.pull/v1 document", e.getMessage());
        assertThrows(IOException.class, () -> LastRun.parse("{", "f"));
    }
}
