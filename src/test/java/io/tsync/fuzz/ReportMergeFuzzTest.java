package io.tsync.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tsync.load.InvalidInputException;
import io.tsync.report.Json;
import io.tsync.report.ReportMerge;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code tsync report merge}: the JSON reader, then the merge, over one or more reports (a line
 * {@code @@@} between two starts the next one). A document that parses is written back and must read
 * back equal; a merged report must be writable. Not JSON is the reader's IllegalArgumentException;
 * reports that cannot be merged are invalid input; anything else is a finding.
 * Seeds: src/test/resources/io/tsync/fuzz/ReportMergeFuzzTestInputs/fuzz.
 */
class ReportMergeFuzzTest {
    @FuzzTest
    void fuzz(byte[] input) {
        String[] texts = new String(input, StandardCharsets.UTF_8).split("\n@@@\n", 8);
        List<ReportMerge.Input> inputs = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            Object doc;
            try {
                doc = Json.parse(texts[i]);
            } catch (IllegalArgumentException e) {
                continue;
            }
            String written = Json.write(doc);
            if (!Objects.equals(doc, Json.parse(written))) {
                throw new AssertionError("JSON does not read back as written: " + written);
            }
            inputs.add(new ReportMerge.Input("report-" + i + ".json", doc));
        }
        try {
            Json.write(ReportMerge.merge(inputs).document());
        } catch (InvalidInputException e) {
            if (e.problems().isEmpty()) {
                throw new AssertionError("invalid input without a problem", e);
            }
        }
    }
}
