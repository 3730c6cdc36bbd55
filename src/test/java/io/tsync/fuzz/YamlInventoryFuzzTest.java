package io.tsync.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The YAML inventory loader with group_vars/ and host_vars/ (see {@link FuzzFiles} for the input's layout).
 * Seeds: src/test/resources/io/tsync/fuzz/YamlInventoryFuzzTestInputs/fuzz; docs/fuzzing.md.
 */
class YamlInventoryFuzzTest {
    private static final FuzzFiles FILES = new FuzzFiles("yaml-inventory");

    @FuzzTest
    void fuzz(byte[] input) {
        Inventories.load(FILES.write(input, "inventory.yaml"));
    }
}
