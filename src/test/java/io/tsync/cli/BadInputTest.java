package io.tsync.cli;

import static io.tsync.cli.InProcess.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.KeyPair;
import io.tsync.cli.InProcess.Run;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.TestAbortedException;

/**
 * The "Safety" corpus: every case under {@code src/test/resources/bad/} is a playbook and/or an
 * inventory that tsync must refuse before contacting any host. Each case runs through the real CLI
 * in-process, as {@code validate} and as {@code apply --check}, and must exit 3 with
 * {@code file:line:column: message} and a {@code fix:} line on stderr.
 *
 * <p>A case directory holds {@code playbook.yaml} and/or {@code inventory.yaml} (or an INI
 * {@code inventory.ini}, used instead), and any {@code group_vars/} or {@code host_vars/} beside
 * them; the missing ones are taken from {@code bad/_good/}. A directory in place of a file stands
 * for a directory where tsync expects a file. Every inventory's hosts point at 127.0.0.1 and a {@code ${PORT}}
 * placeholder, replaced per run by the port of a listening socket the test owns: after the run,
 * an accept with a short timeout proves nobody connected (a connection made during the run would
 * already be queued in the backlog).
 *
 * <p>{@code expect.txt}: line 1 {@code line:column}, exact: every refusal has a location (line 1,
 * column 1 for a whole-file problem such as size), line 2 a substring the message must contain, then optional {@code key: value} lines:
 * <ul>
 *   <li>{@code file: playbook|inventory|PATH} which file the location is in, PATH relative to the
 *       case (e.g. {@code group_vars/all.yaml}); default: the playbook if the case has its own,
 *       else the inventory;</li>
 *   <li>{@code pending: why} a known main-code bug: the case still runs, and is reported as
 *       skipped (not failed) while it does not pass; delete the line once the bug is fixed.</li>
 *   <li>{@code validate: note} a file only a connection needs (a private key, known_hosts): apply
 *       refuses it as above, validate passes (exit 0) with the same location and message as a
 *       {@code note:} on stderr.</li>
 * </ul>
 * A file {@code generate} makes the test write inputs too large to commit into the temp dir, one
 * per line: {@code huge [FILE]} pads FILE (default the playbook) with comments past the 1 MiB
 * limit; {@code files DIR N} writes N one-variable files into DIR; {@code missing FILE} deletes FILE.
 *
 * <p>{@code mvn test -Dtest=BadInputTest -Dtsync.bad.show=true} prints what tsync said for each case.
 */
class BadInputTest {
    private static final Path BAD = resource("bad");
    private static final Path GOOD = BAD.resolve("_good");
    private static byte[] testKey;

    @TempDir
    Path dir;

    @BeforeAll
    static void privateKey() throws Exception {
        // a real (throwaway) key, so the control run below connects without an agent or ~/.ssh
        KeyPair kp = KeyPair.genKeyPair(new JSch(), KeyPair.ECDSA, 256);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        kp.writePrivateKey(out);
        testKey = out.toByteArray();
    }

    static Stream<String> cases() throws IOException {
        try (Stream<Path> s = Files.list(BAD)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("_")).sorted().toList().stream();
        }
    }

    @Test
    void corpusIsLargeEnough() throws IOException {
        assertTrue(cases().count() >= 45, "at least 45 bad inputs");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedWithLocationAndFixBeforeAnyConnection(String name) throws Exception {
        Path src = BAD.resolve(name);
        Expect expect = Expect.read(src.resolve("expect.txt"));
        try (ServerSocket listener = listener()) {
            Path[] files = stage(src, listener.getLocalPort());
            Path playbook = files[0];
            Path inventory = files[1];
            String file = switch (expect.file) {
                case "playbook" -> playbook.toString();
                case "inventory" -> inventory.toString();
                default -> playbook.resolveSibling(expect.file).toString();
            };
            String where = file + ":" + expect.line + ":" + expect.column + ": ";
            List<String> failures = new ArrayList<>();
            for (String[] args : List.of(
                    new String[] {"validate", "-i", inventory.toString(), playbook.toString()},
                    new String[] {"apply", "--check", "--connect-timeout", "2", "-i", inventory.toString(), playbook.toString()})) {
                Run r = run(args);
                String cmd = args[0] + (args[1].equals("--check") ? " --check" : "");
                if (Boolean.getBoolean("tsync.bad.show")) {
                    System.out.println("== " + name + " (" + cmd + "): exit " + r.exit() + "\n" + r.err());
                }
                if (expect.validateNotes && cmd.equals("validate")) {
                    if (r.exit() != ExitCodes.OK || !r.err().contains("note: " + where) || !r.err().contains(expect.substring)) {
                        failures.add("validate: expected exit 0 and a note starting 'note: " + where + "' containing '" + expect.substring
                                + "', got exit " + r.exit() + ", stderr:\n" + r.err());
                        break;
                    }
                    continue;
                }
                if (r.exit() != ExitCodes.INVALID_INPUT) {
                    failures.add(cmd + ": exit " + r.exit() + ", expected " + ExitCodes.INVALID_INPUT);
                }
                if (!r.err().contains(where)) {
                    failures.add(cmd + ": stderr lacks location '" + where + "'");
                }
                if (!r.err().contains(expect.substring)) {
                    failures.add(cmd + ": stderr lacks '" + expect.substring + "'");
                }
                if (!r.err().contains("\n  fix: ") && !r.err().startsWith("  fix: ")) {
                    failures.add(cmd + ": stderr has no 'fix:' line");
                }
                if (r.err().contains("internal error") || r.err().contains("Exception")) {
                    failures.add(cmd + ": crashed");
                }
                if (!failures.isEmpty()) {
                    failures.add(cmd + " stderr was:\n" + r.err() + (r.out().isEmpty() ? "" : "stdout was:\n" + r.out()));
                    break;
                }
            }
            if (contacted(listener)) {
                failures.add("a host was contacted: the listener on 127.0.0.1:" + listener.getLocalPort() + " accepted a connection");
            }
            if (!failures.isEmpty()) {
                String msg = name + ":\n" + String.join("\n", failures);
                if (expect.pending != null) {
                    throw new TestAbortedException("known bug, pending (" + expect.pending + "):\n" + msg);
                }
                fail(msg);
            }
        }
    }

    /** The control: the good inputs pass validate, so the assertions above can fail. */
    @Test
    void goodPlaybookAndInventoryAreValid() throws Exception {
        try (ServerSocket listener = listener()) {
            Path[] files = stage(GOOD, listener.getLocalPort());
            Run r = run("validate", "-i", files[1].toString(), files[0].toString());
            assertEquals(ExitCodes.OK, r.exit(), () -> "validate of the good inputs failed:\n" + r.err());
            assertTrue(r.out().contains("valid; 3 host(s) selected"), r.out());
            assertEquals("", r.err());
            assertFalse(contacted(listener), "validate connects to nothing");
        }
    }

    /** The control of the no-contact check: apply on the good inputs does connect to the listener. */
    @Test
    void applyOnGoodInputsReachesTheListener() throws Exception {
        try (ServerSocket listener = listener()) {
            Path[] files = stage(GOOD, listener.getLocalPort());
            Path knownHosts = Files.writeString(dir.resolve("known_hosts"), "");
            Run r = run("apply", "--check", "--connect-timeout", "1", "--forks", "3", "--known-hosts", knownHosts.toString(),
                    "-i", files[1].toString(), files[0].toString());
            assertEquals(ExitCodes.HOST_UNREACHABLE, r.exit(), () -> "the listener speaks no SSH:\n" + r.out() + r.err());
            assertTrue(contacted(listener), "the no-contact check must see this connection");
        }
    }

    // ---------------------------------------------------------------------------------------------


    static ServerSocket listener() throws IOException {
        return new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    }

    /** True when a connection is queued: accept returns it at once; a timeout means none came. */
    static boolean contacted(ServerSocket listener) throws IOException {
        listener.setSoTimeout(300);
        try (Socket s = listener.accept()) {
            return true;
        } catch (SocketTimeoutException none) {
            return false;
        }
    }

    /** Copies the good files, then the case's own on top, into the temp dir; returns {playbook, inventory}. */
    Path[] stage(Path caseDir, int port) throws IOException {
        Path work = Files.createTempDirectory(dir, "case");
        try (Stream<Path> s = Files.list(GOOD)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                Files.copy(f, work.resolve(f.getFileName().toString()));
            }
        }
        try (Stream<Path> s = Files.walk(caseDir)) {
            for (Path f : s.sorted().toList()) {
                Path to = work.resolve(caseDir.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    if (Files.isRegularFile(to)) {
                        Files.delete(to); // a directory where tsync expects a file
                    }
                    Files.createDirectories(to);
                } else if (!f.getFileName().toString().equals(".keep")) {
                    Files.copy(f, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Path inventory = work.resolve(Files.exists(work.resolve("inventory.ini")) ? "inventory.ini" : "inventory.yaml");
        if (Files.isRegularFile(inventory)) {
            Files.writeString(inventory, Files.readString(inventory).replace("${PORT}", String.valueOf(port)));
        }
        Files.write(work.resolve("id_test"), testKey);
        Path playbook = work.resolve("playbook.yaml");
        Path gen = work.resolve("generate");
        if (Files.exists(gen)) {
            for (String line : Files.readAllLines(gen)) {
                String[] w = line.strip().split("\\s+");
                switch (w[0]) {
                    case "huge" -> {
                        Path f = w.length > 1 ? work.resolve(w[1]) : playbook;
                        StringBuilder sb = new StringBuilder(Files.readString(f));
                        String pad = "# " + "x".repeat(97) + "\n";
                        while (sb.length() <= (1 << 20) + 4096) {
                            sb.append(pad);
                        }
                        Files.writeString(f, sb.toString());
                    }
                    case "files" -> {
                        Path d = Files.createDirectories(work.resolve(w[1]));
                        for (int i = 0; i < Integer.parseInt(w[2]); i++) {
                            Files.writeString(d.resolve(String.format("v%05d.yaml", i)), "v" + i + ": " + i + "\n");
                        }
                    }
                    case "missing" -> Files.delete(work.resolve(w[1]));
                    default -> throw new IllegalArgumentException(caseDir + ": unknown generate line '" + line + "'");
                }
            }
        }
        return new Path[] {playbook, inventory};
    }

    static final class Expect {
        int line;
        int column;
        String substring;
        String file;
        String pending;
        boolean validateNotes;

        static Expect read(Path p) throws IOException {
            List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
            assertTrue(lines.size() >= 2, p + ": needs 'line:column' and a substring");
            Expect e = new Expect();
            assertTrue(lines.get(0).strip().matches("[1-9][0-9]*:[1-9][0-9]*"), p + ": line 1 must be the exact line:column, got " + lines.get(0));
            String[] lc = lines.get(0).strip().split(":");
            e.line = Integer.parseInt(lc[0]);
            e.column = Integer.parseInt(lc[1]);
            e.substring = lines.get(1);
            assertFalse(e.substring.isBlank(), p + ": empty substring");
            Map<String, String> opts = new LinkedHashMap<>();
            for (String l : lines.subList(2, lines.size())) {
                if (l.isBlank()) {
                    continue;
                }
                int i = l.indexOf(':');
                assertTrue(i > 0, p + ": expected 'key: value', got " + l);
                opts.put(l.substring(0, i).strip(), l.substring(i + 1).strip());
            }
            boolean ownPlaybook = Files.exists(p.resolveSibling("playbook.yaml"))
                    || Files.exists(p.resolveSibling("generate")) && Files.readString(p.resolveSibling("generate")).strip().equals("huge");
            e.file = opts.getOrDefault("file", ownPlaybook ? "playbook" : "inventory");
            e.pending = opts.get("pending");
            e.validateNotes = "note".equals(opts.get("validate"));
            return e;
        }
    }

    static Path resource(String name) {
        try {
            var url = BadInputTest.class.getClassLoader().getResource(name);
            assertNotNull(url, "test resource " + name);
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
