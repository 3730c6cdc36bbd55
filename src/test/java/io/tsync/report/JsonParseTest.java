package io.tsync.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Json#parse} reads what {@link Json#write} writes, exactly, and points at what is not JSON. */
class JsonParseTest {
    @Test
    void valuesKeepTheirTypesAndOrder() {
        Object v = Json.parse(" {\"b\": 1, \"a\": [true, false, null, -0.000215432, 1.5e-7, 12345678901234567890, \"x\"], \"c\": {}} ");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("b", 1L);
        expected.put("a", Arrays.asList(true, false, null, new BigDecimal("-0.000215432"), new BigDecimal("1.5e-7"),
                new BigInteger("12345678901234567890"), "x"));
        expected.put("c", Map.of());
        assertEquals(expected, v);
        assertEquals(List.of("b", "a", "c"), List.copyOf(((Map<?, ?>) v).keySet()), "document order");
    }

    @Test
    void stringsUnescapeEverythingTheWriterEscapes() {
        String s = "quote \" backslash \\ slash / \b\f\n\r\t ctrl \u0001 del \u007f ls \u2028 é€ 😀";
        assertEquals(s, Json.parse(Json.quote(s)));
        assertEquals("/é", Json.parse("\"\\/\\u00e9\""));
    }

    @Test
    void whatTheWriterWritesReadsBackTheSame() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", "tsync.status/v1");
        doc.put("offset", -0.000215432);
        doc.put("n", 7);
        doc.put("list", List.of(Map.of("k", "v"), List.of()));
        doc.put("none", null);
        String text = Json.write(doc);
        assertEquals(text, Json.write(Json.parse(text)));
        assertEquals(Json.write(doc, false), Json.write(Json.parse(text), false));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|1:1: unexpected end of the document",
        "{\"a\": 1,}|1:9: expected a \"key\"",
        "{\"a\" 1}|1:6: expected ':'",
        "[1 2]|1:4: expected ']'",
        "{\"a\": 1} x|1:10: unexpected text after the document",
        "\"abc|1:5: unterminated string",
        "tru|1:1: expected a value",
        "{\"a\": 1, \"a\": 2}|1:15: key \"a\" given twice",
        "\"\\x\"|1:4: bad escape \\x",
        "01|1:2: unexpected text after the document"})
    void errorsNameLineAndColumn(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(text));
        assertEquals(message, e.getMessage());
    }

    @Test
    void errorsOnLaterLinesCountLines() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\n  \"a\": 1\n  x\n}"));
        assertTrue(e.getMessage().startsWith("3:3: "), e.getMessage());
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        String deep = "[".repeat(100_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().contains("nested deeper than 512"), e.getMessage());
    }
}
