package io.tsync.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The INI inventory loader with group_vars/ and host_vars/ (see {@link FuzzFiles} for the input's layout).
 * Seeds: src/test/resources/io/tsync/fuzz/IniInventoryFuzzTestInputs/fuzz; docs/fuzzing.md.
 */
class IniInventoryFuzzTest {
    private static final FuzzFiles FILES = new FuzzFiles("ini-inventory");

    @FuzzTest
    void fuzz(byte[] input) {
        Inventories.load(FILES.write(input, "hosts.ini"));
    }
}
