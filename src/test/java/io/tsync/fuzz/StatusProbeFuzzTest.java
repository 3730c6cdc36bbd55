package io.tsync.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tsync.status.HostStatus;
import io.tsync.status.StatusJson;
import io.tsync.status.StatusPrometheus;
import io.tsync.status.StatusProbe;
import io.tsync.status.StatusTable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The status probe's whole output as a host may send it, seeded with every daemon's: systemctl show,
 * timedatectl show-timesync / timesync-status / show (systemd-timesyncd), and the chronyc and ntpq
 * sections, then the table, JSON and Prometheus views of the result. Anything a host prints is a
 * status (at worst "probe output not recognised"), never an exception.
 * Seeds: src/test/resources/io/tsync/fuzz/StatusProbeFuzzTestInputs/fuzz.
 */
class StatusProbeFuzzTest {
    @FuzzTest
    void fuzz(byte[] input) {
        HostStatus s = StatusProbe.parse("h1", new String(input, StandardCharsets.UTF_8));
        StatusTable.render(List.of(s), false);
        StatusJson.render(List.of(s));
        StatusPrometheus.render(List.of(new StatusPrometheus.Host(s, "debian12", null)), Duration.ofSeconds(1), Instant.EPOCH);
    }
}
