package io.tsync.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refusals the bad-input corpus (src/test/resources/bad/) cannot stage: a file or folder tsync
 * may not read (the corpus runs as root in CI, which reads anything), and text too long for the
 * parser that no file under the size limit can hold. Each is located like every other refusal.
 */
class SafeYamlTest {
    @TempDir
    Path dir;

    static Problem refusal(org.junit.jupiter.api.function.Executable load) {
        return assertThrows(InvalidInputException.class, load).problems().get(0);
    }

    @Test
    void textLongerThanTheParserTakesIsLocatedAtTheStart() {
        Problem p = refusal(() -> SafeYaml.read("big.yaml", "x: " + "\u00e9".repeat(SafeYaml.MAX_BYTES) + "\n"));
        assertEquals("big.yaml:1:1: document is larger than 1024 KiB", p.render().lines().findFirst().orElseThrow());
    }

    @Test
    void anUnreadablePlaybookIsLocatedAtTheStart() throws Exception {
        Path f = Files.writeString(dir.resolve("site.yaml"), "hosts: all\ntimezone: Asia/Seoul\n");
        lock(f);
        try {
            assumeFalse(Files.isReadable(f), "root reads any file");
            Problem p = refusal(() -> PlaybookLoader.load(f));
            assertEquals(f + ":1:1", p.file() + ":" + p.line() + ":" + p.column());
            assertTrue(p.message().startsWith("cannot read file: "), p.render());
        } finally {
            unlock(f);
        }
    }

    @Test
    void anUnreadableInventoryAndVarsFolderAreLocatedAtTheStart() throws Exception {
        Path inv = Files.writeString(dir.resolve("inventory.yaml"), "all:\n  hosts:\n    web1: { ansible_host: 10.0.0.1 }\n");
        Path vars = Files.createDirectories(dir.resolve("group_vars/all"));
        Files.writeString(vars.resolve("a.yaml"), "x: 1\n");
        lock(vars);
        try {
            assumeFalse(Files.isReadable(vars), "root reads any folder");
            Problem p = refusal(() -> InventoryLoader.load(inv));
            assertEquals(vars + ":1:1", p.file() + ":" + p.line() + ":" + p.column());
            assertTrue(p.message().startsWith("cannot list directory: "), p.render());
        } finally {
            unlock(vars);
        }
        lock(inv);
        try {
            Problem q = refusal(() -> InventoryLoader.load(inv));
            assertEquals(inv + ":1:1", q.file() + ":" + q.line() + ":" + q.column());
            assertTrue(q.message().startsWith("cannot read file: "), q.render());
        } finally {
            unlock(inv);
        }
    }

    static void lock(Path p) throws Exception {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("---------"));
    }

    static void unlock(Path p) throws Exception {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    }
}
