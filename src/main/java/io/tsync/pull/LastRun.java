package io.tsync.pull;

import io.tsync.report.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the last pull did, kept in {@value #FILE} for {@code tsync status --local} and for monitoring
 * (schema {@code tsync.pull/v1}).
 *
 * @param commit   the commit applied (null when the repository could not be fetched)
 * @param playbook relative to the checkout (null when none was chosen)
 * @param outcome  ok, changed, drift (--check), invalid, failed, unreachable, not-synced or interrupted
 * @param exit     the pull's exit code, as apply's
 * @param message  why it did not apply, or null
 */
public record LastRun(String url, String branch, String commit, String playbook, Instant started, Instant finished,
                      String outcome, int changed, int exit, String message) {
    public static final String STATE_DIR = "/var/lib/tsync/pull";
    public static final String FILE = STATE_DIR + "/last-run.json";
    public static final String SCHEMA = "tsync.pull/v1";

    /** The outcome word for an exit code (apply's codes) and the number of changes applied. */
    public static String outcome(int exit, int changed) {
        return switch (exit) {
            case 0 -> changed > 0 ? "changed" : "ok";
            case 2 -> "drift";
            case 3 -> "invalid";
            case 4 -> "failed";
            case 5 -> "unreachable";
            case 6 -> "not-synced";
            case 130, 143 -> "interrupted";
            default -> "error";
        };
    }

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", SCHEMA);
        m.put("url", url);
        m.put("branch", branch);
        m.put("commit", commit);
        m.put("playbook", playbook);
        m.put("started", started == null ? null : started.toString());
        m.put("finished", finished == null ? null : finished.toString());
        m.put("outcome", outcome);
        m.put("changed", changed);
        m.put("exit", exit);
        m.put("message", message);
        return Json.write(m, true) + "\n";
    }

    /** Reads what {@link #toJson()} wrote; an unreadable document is an IOException naming the file. */
    public static LastRun parse(String json, String file) throws IOException {
        Object doc;
        try {
            doc = Json.parse(json);
        } catch (RuntimeException e) {
            throw new IOException(file + " is not JSON: " + e.getMessage());
        }
        if (!(doc instanceof Map<?, ?> m) || !SCHEMA.equals(m.get("schema"))) {
            throw new IOException(file + " is not a " + SCHEMA + " document");
        }
        return new LastRun(str(m, "url"), str(m, "branch"), str(m, "commit"), str(m, "playbook"), time(m, "started"), time(m, "finished"),
                str(m, "outcome"), num(m, "changed"), num(m, "exit"), str(m, "message"));
    }

    /** "last pull: 2026-12-01T10:00:03Z commit 1a2b3c4d5e6f ok, 0 changed (local.yaml)", one line. */
    public String summary() {
        StringBuilder sb = new StringBuilder("last pull: ").append(finished != null ? finished : started);
        if (commit != null) {
            sb.append(" commit ").append(commit, 0, Math.min(12, commit.length()));
        }
        sb.append(' ').append(outcome).append(", ").append(changed).append(" changed");
        if (exit != 0) {
            sb.append(", exit ").append(exit);
        }
        if (playbook != null) {
            sb.append(" (").append(playbook).append(')');
        }
        if (message != null && !message.isBlank()) {
            sb.append(": ").append(message.lines().findFirst().orElse(""));
        }
        return sb.toString();
    }

    /** Written beside its old version and renamed over it: a reader never sees half a file. */
    public void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        Files.writeString(tmp, toJson());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * What the last {@code tsync pull} on this machine did: null when it never ran, or when its record
     * cannot be read (said on {@code warnings}; a broken record must not fail {@code status --local}).
     */
    public static LastRun onThisMachine(PrintStream warnings) {
        try {
            return read(Path.of(FILE));
        } catch (IOException e) {
            warnings.println("tsync: warning: " + e.getMessage());
            return null;
        }
    }

    /** The last run recorded in {@code file}, or null when there is none. */
    public static LastRun read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        return parse(Files.readString(file), file.toString());
    }

    private static String str(Map<?, ?> m, String k) {
        Object v = m.get(k);
        return v == null ? null : v.toString();
    }

    private static int num(Map<?, ?> m, String k) {
        return m.get(k) instanceof Number n ? n.intValue() : -1;
    }

    private static Instant time(Map<?, ?> m, String k) {
        try {
            return m.get(k) == null ? null : Instant.parse(m.get(k).toString());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
