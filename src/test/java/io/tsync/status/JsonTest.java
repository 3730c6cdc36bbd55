package io.tsync.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tsync.report.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tests of {@link Json}, the dependency-free JSON writer (it lives in io.tsync.report). */
class JsonTest {

    @Test
    void scalars() {
        assertEquals("null", Json.write(null, false));
        assertEquals("true", Json.write(true, false));
        assertEquals("false", Json.write(Boolean.FALSE));
        assertEquals("42", Json.write(42, false));
        assertEquals("-7", Json.write(-7L, false));
        assertEquals("9223372036854775807", Json.write(Long.MAX_VALUE, false));
        assertEquals("123456789012345678901234567890", Json.write(new BigInteger("123456789012345678901234567890")));
        assertEquals("1.50", Json.write(new BigDecimal("1.50")));
        assertEquals("\"a\"", Json.write("a", false));
        assertEquals("\"x\"", Json.write('x', false));
    }

    @Test
    void doublesArePlainDecimalsThatRoundTrip() {
        assertEquals("0.000002685", Json.write(0.000002685));
        assertEquals("-0.0000000025", Json.write(-2.5e-9));
        assertEquals("1", Json.write(1.0));
        assertEquals("0", Json.write(0.0));
        assertEquals("0", Json.write(-0.0));
        assertEquals("-2.499999523", Json.write(-2.499999523));
        assertEquals("0.1", Json.write(0.1));
        assertEquals("1795637162.199537", Json.write(1795637162.199537));
        assertEquals("0.5", Json.write(0.5f));
        for (double d : new double[] {1e-30, 1.7976931348623157e308, 4.9e-324, 123456.789e20, -3.3e-13}) {
            String s = Json.write(d);
            assertEquals(d, ((BigDecimal) MiniJson.parse(s)).doubleValue(), s);
        }
    }

    @Test
    void nonFiniteAndUnknownValuesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Float.NEGATIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
        assertThrows(IllegalArgumentException.class, () -> Json.write(java.time.Instant.EPOCH));
        Map<String, Object> nullKey = new HashMap<>();
        nullKey.put(null, 1);
        assertThrows(IllegalArgumentException.class, () -> Json.write(nullKey));
    }

    @Test
    void stringEscaping() {
        assertEquals("\"\\\"\\\\/\"", Json.write("\"\\/", false));
        assertEquals("\"\\b\\f\\n\\r\\t\"", Json.write("\b\f\n\r\t", false));
        assertEquals("\"\\u0000\\u0001\\u001f\\u007f\"", Json.write("\u0000\u0001\u001f\u007f", false));
        assertEquals("\"\\u2028\\u2029\"", Json.write("\u2028\u2029", false));
        assertEquals("\"Zürich 東京 \uD83D\uDD52\"", Json.write("Zürich 東京 \uD83D\uDD52", false));
        assertEquals("\"\\u001b[31mred\\u001b[0m\"", Json.quote("\u001b[31mred\u001b[0m"));
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x80; c++) {
            all.append(c);
        }
        assertEquals(all.toString(), MiniJson.parse(Json.write(all.toString())));
    }

    @Test
    void compactKeepsInsertionOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", 1);
        m.put("a", List.of(true, "s", 2.5));
        m.put("m", null);
        m.put("empty", Map.of());
        m.put("none", List.of());
        assertEquals("{\"z\":1,\"a\":[true,\"s\",2.5],\"m\":null,\"empty\":{},\"none\":[]}", Json.write(m, false));
    }

    @Test
    void prettyIndentsByTwo() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("k", "v");
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put("list", List.of(1, inner));
        m.put('*', 3);
        m.put("e", new ArrayList<>());
        String expected = """
                {
                  "list": [
                    1,
                    {
                      "k": "v"
                    }
                  ],
                  "*": 3,
                  "e": []
                }""";
        assertEquals(expected, Json.write(m));
        assertEquals(expected, Json.write(m, true));
    }

    @Test
    void arraysAndIterables() {
        assertEquals("[1,\"two\",null]", Json.write(new Object[] {1, "two", null}, false));
        assertEquals("[3,4]", Json.write(new java.util.TreeSet<>(Arrays.asList(4, 3)), false));
    }

    @Test
    void outputParsesBackToTheSameStructure() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", "line1\nline2\t\"quoted\"");
        m.put("nested", List.of(Map.of("n", 1), List.of(), "x"));
        m.put("flag", false);
        for (boolean pretty : new boolean[] {true, false}) {
            Object back = MiniJson.parse(Json.write(m, pretty));
            assertEquals(
                    Map.of("text", "line1\nline2\t\"quoted\"", "nested",
                            List.of(Map.of("n", BigDecimal.ONE), List.of(), "x"), "flag", false),
                    back);
        }
    }
}
