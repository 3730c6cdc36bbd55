package io.tsync.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tsync.facts.FactsJson;
import io.tsync.facts.FactsTable;
import io.tsync.facts.HostFacts;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The facts probe's output as a host may send it (a broken or hostile host sends anything): parsed,
 * then printed as {@code tsync facts} and {@code --json} do. Output that is not facts is a failed host
 * ({@link HostFacts#failed}), never an exception. Seeds: src/test/resources/io/tsync/fuzz/FactsFuzzTestInputs/fuzz.
 */
class FactsFuzzTest {
    @FuzzTest
    void fuzz(byte[] input) {
        HostFacts h = HostFacts.parse("h1", new String(input, StandardCharsets.UTF_8));
        FactsJson.write(List.of(h));
        FactsTable.render(List.of(h));
    }
}
