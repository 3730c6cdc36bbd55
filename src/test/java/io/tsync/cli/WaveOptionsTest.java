package io.tsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsync.model.Rollout;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** apply's --serial, --max-fail-percentage and --wave-timeout are checked before any host is contacted; the command line wins over the playbook. */
class WaveOptionsTest {
    @TempDir
    Path dir;

    private InProcess.Run apply(ServerSocket listener, String... options) throws Exception {
        Path inv = dir.resolve("inventory.yaml");
        Files.writeString(inv, "all:\n  hosts:\n    web1: { ansible_host: 127.0.0.1, ansible_port: " + listener.getLocalPort() + " }\n");
        String[] args = new String[3 + options.length];
        args[0] = "apply";
        args[1] = "-i";
        args[2] = inv.toString();
        System.arraycopy(options, 0, args, 3, options.length);
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = "playbooks/kr.yaml";
        return InProcess.run(all);
    }

    private static boolean contacted(ServerSocket listener) throws Exception {
        listener.setSoTimeout(200);
        try (var s = listener.accept()) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Test
    void badValuesExitThreeNamingTheOptionAndTheFixWithNoConnection() throws Exception {
        String[][] cases = {
                {"--serial", "0", "--serial 0: wave size '0' is out of range"},
                {"--serial", "1,,50%", "--serial 1,,50%: wave size '' is neither a host count (5) nor a percentage (20%)"},
                {"--serial", "120%", "wave size '120%' is out of range"},
                {"--max-fail-percentage", "101", "--max-fail-percentage 101 is out of range"},
                {"--wave-timeout", "0", "--wave-timeout 0 leaves no time to sync"},
        };
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            for (String[] c : cases) {
                InProcess.Run r = apply(listener, c[0], c[1]);
                assertEquals(3, r.exit(), c[0] + " " + c[1] + ": " + r.err());
                assertTrue(r.err().contains(c[2]), r.err());
                assertTrue(r.err().contains("fix: "), r.err());
            }
            assertTrue(!contacted(listener), "a host was contacted");
        }
    }

    @Test
    void theCommandLineWinsOverThePlaybook() throws Exception {
        Path pb = dir.resolve("waves.yaml");
        Files.writeString(pb, "hosts: all\ntimezone: Asia/Seoul\nserial: [1, \"50%\"]\nmax_fail_percentage: 20\non_unsynced: rollback\n");
        WaveOptions o = new WaveOptions();
        o.waveTimeout = java.time.Duration.ofSeconds(60);
        Rollout fromPlaybook = o.resolve(pb);
        assertEquals("[1, \"50%\"]", fromPlaybook.serial().toString());
        assertEquals(20, fromPlaybook.failPercentage());
        assertTrue(fromPlaybook.rollback());
        assertEquals(pb + ":3:9", fromPlaybook.location().toString());
        o.serial = "2";
        o.maxFailPercentage = 0;
        Rollout cli = o.resolve(pb);
        assertEquals("2", cli.serial().toString());
        assertEquals(0, cli.failPercentage());
        assertTrue(cli.rollback(), "the playbook's on_unsynced stays when --rollback-unsynced is not given");
        o.serial = "x";
        assertThrows(io.tsync.load.InvalidInputException.class, () -> o.resolve(pb));
    }
}
