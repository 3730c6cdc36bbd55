package io.tsync.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What Python's ast.literal_eval makes of a text (checked against Python 3.11), as Ansible's INI plugin reads values. */
class PythonLiteralTest {
    static Object v(String text) {
        PythonLiteral.Value v = PythonLiteral.eval(text);
        return v == null ? "NOT A LITERAL" : v.value();
    }

    @Test
    void literals() {
        assertEquals(true, v("True"));
        assertEquals(false, v("False"));
        assertNull(v("None"));
        assertEquals(42L, v("42"));
        assertEquals(-7L, v("-7"));
        assertEquals(5L, v("+ 5"));
        assertEquals(31L, v("0x1F"));
        assertEquals(15L, v("0o17"));
        assertEquals(5L, v("0b101"));
        assertEquals(1_000_000L, v("1_000_000"));
        assertEquals(0L, v("00"));
        assertEquals(new BigInteger("9999999999999999999999"), v("9999999999999999999999"));
        assertEquals(1.5, v("1.5"));
        assertEquals(1000.0, v("1e3"));
        assertEquals(0.5, v(".5"));
        assertEquals(5.0, v("5."));
        assertEquals("x", v("'x'"));
        assertEquals("a\tb", v("\"a\\tb\""));
        assertEquals("a\\tb", v("r'a\\tb'"));
        assertEquals("ab", v("\"a\" 'b'"));
        assertEquals("quoted", v("\"quoted\" # comment"));
        assertEquals("é", v("'\\u00e9'"));
        assertEquals("x", v("b'x'"), "bytes, which Ansible turns into text");
        assertEquals(List.of(1L, 2L), v("[1, 2]"));
        assertEquals(List.of(1L, 2L), v("(1,2)"));
        assertEquals(3L, v("(3)"));
        assertEquals(Map.of("a", 1L), v("{'a': 1}"));
        assertEquals(42L, v("  42"));
    }

    @Test
    void notLiterals() {
        for (String s : List.of("yes", "no", "true", "FALSE", "on", "0042", "Asia/Seoul", "two words", "a#b", "1abc", "--5",
                "'unclosed", "[x]", "1_", "0x", "\"a\" junk", "", "inf", "NaN")) {
            assertEquals("NOT A LITERAL", v(s), s);
        }
        // literals to Python that ansible-inventory --list cannot print (it fails on a complex number or a set,
        // prints inf as the invalid JSON Infinity): tsync keeps the text
        for (String s : List.of("1j", "{1, 2}", "1e999")) {
            assertEquals("NOT A LITERAL", v(s), s);
        }
    }
}
