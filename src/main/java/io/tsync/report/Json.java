package io.tsync.report;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny dependency-free JSON writer, and the reader of what it writes ({@link #parse}).
 *
 * <p>Supported values: {@code null}, {@link Boolean}, {@link Number} (finite only), {@link CharSequence},
 * {@link Character} (as a one-character string), {@link Map} (keys written with {@link String#valueOf}, in the
 * map's iteration order, so use a {@link LinkedHashMap} to keep insertion order), {@link Iterable} and
 * object arrays. Anything else is rejected with an {@link IllegalArgumentException}.
 *
 * <p>Pretty output indents by two spaces and puts one member per line; compact output has no whitespace at all.
 * Doubles are written in plain decimal notation (no exponent) when that is reasonably short.
 */
public final class Json {
    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final int MAX_DEPTH = 512;

    private Json() {}

    /** Writes {@code value} as pretty-printed JSON. */
    public static String write(Object value) {
        return write(value, true);
    }

    /** Writes {@code value} as JSON, pretty-printed (two-space indent) or compact. */
    public static String write(Object value, boolean pretty) {
        StringBuilder out = new StringBuilder();
        new Writer(out, pretty).value(value, 0);
        return out.toString();
    }

    /** Returns {@code s} as a quoted JSON string literal. */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2);
        appendString(out, s);
        return out.toString();
    }

    private static void appendString(StringBuilder out, CharSequence s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    // control characters must be escaped; U+2028/2029 and DEL are escaped to be safe in any embedding
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        out.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
                                .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    static String number(Number n) {
        String s;
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("JSON cannot represent " + d);
            }
            String shortest = n instanceof Float ? Float.toString(n.floatValue()) : Double.toString(d);
            if (d == 0) {
                return "0";
            }
            double abs = Math.abs(d);
            if (abs >= 1e-12 && abs < 1e21) {
                s = new BigDecimal(shortest).stripTrailingZeros().toPlainString();
            } else {
                s = shortest;
            }
        } else if (n instanceof BigDecimal bd) {
            s = bd.toString();
        } else if (n instanceof BigInteger || n instanceof Long || n instanceof Integer || n instanceof Short
                || n instanceof Byte) {
            s = n.toString();
        } else {
            s = n.toString();
        }
        if (!NUMBER.matcher(s).matches()) {
            throw new IllegalArgumentException("not a JSON number: " + s + " (" + n.getClass().getName() + ")");
        }
        return s;
    }

    /**
     * Reads one JSON document (RFC 8259): objects as {@link LinkedHashMap} in document
     * order, arrays as {@link ArrayList}, whole numbers as {@link Long} (or
     * {@link BigInteger}), other numbers as {@link BigDecimal} (exactly as written), strings,
     * booleans and {@code null}.
     *
     * @throws IllegalArgumentException naming the line and column of the first error
     */
    public static Object parse(String text) {
        Reader r = new Reader(text);
        r.space();
        Object v = r.value(0);
        r.space();
        if (r.pos < text.length()) {
            throw r.error("unexpected text after the document");
        }
        return v;
    }

    private static final class Reader {
        private final String s;
        private int pos;

        Reader(String s) {
            this.s = s;
        }

        Object value(int depth) {
            if (depth > MAX_DEPTH) {
                throw error("nested deeper than " + MAX_DEPTH);
            }
            if (pos >= s.length()) {
                throw error("unexpected end of the document");
            }
            char c = s.charAt(pos);
            switch (c) {
                case '{' -> {
                    pos++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    space();
                    if (peek('}')) {
                        return m;
                    }
                    do {
                        space();
                        if (pos >= s.length() || s.charAt(pos) != '"') {
                            throw error("expected a \"key\"");
                        }
                        String k = string();
                        space();
                        expect(':');
                        space();
                        if (m.containsKey(k)) {
                            throw error("key \"" + k + "\" given twice");
                        }
                        m.put(k, value(depth + 1));
                        space();
                    } while (peek(','));
                    expect('}');
                    return m;
                }
                case '[' -> {
                    pos++;
                    List<Object> l = new ArrayList<>();
                    space();
                    if (peek(']')) {
                        return l;
                    }
                    do {
                        space();
                        l.add(value(depth + 1));
                        space();
                    } while (peek(','));
                    expect(']');
                    return l;
                }
                case '"' -> {
                    return string();
                }
                default -> {
                    if (s.startsWith("true", pos)) {
                        pos += 4;
                        return Boolean.TRUE;
                    }
                    if (s.startsWith("false", pos)) {
                        pos += 5;
                        return Boolean.FALSE;
                    }
                    if (s.startsWith("null", pos)) {
                        pos += 4;
                        return null;
                    }
                    return number();
                }
            }
        }

        private Object number() {
            Matcher m = NUMBER.matcher(s).region(pos, s.length());
            if (!m.lookingAt()) {
                throw error("expected a value");
            }
            String t = m.group();
            pos = m.end();
            if (m.group(2) == null && m.group(3) == null) {
                BigInteger i = new BigInteger(t);
                return i.bitLength() < 64 ? (Object) i.longValue() : i;
            }
            BigDecimal d = new BigDecimal(t);
            // "0E-0", "5E0" and "1.5e1" have no fraction and are written back as "0", "5" and "15": read them as the
            // integers they are, so that a document reads back as it is written (found by ReportMergeFuzzTest)
            if (d.scale() == 0) {
                BigInteger i = d.unscaledValue();
                return i.bitLength() < 64 ? (Object) i.longValue() : i;
            }
            return d;
        }

        private String string() {
            pos++; // the opening quote
            StringBuilder b = new StringBuilder();
            while (true) {
                if (pos >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(pos++);
                if (c == '"') {
                    return b.toString();
                }
                if (c < 0x20) {
                    throw error("control character in a string");
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                if (pos >= s.length()) {
                    throw error("unterminated string");
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length() || !s.substring(pos, pos + 4).matches("[0-9a-fA-F]{4}")) {
                            throw error("bad \\u escape");
                        }
                        b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    default -> throw error("bad escape \\" + e);
                }
            }
        }

        void space() {
            while (pos < s.length() && " \t\r\n".indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
        }

        private boolean peek(char c) {
            if (pos < s.length() && s.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw error("expected '" + c + "'");
            }
        }

        IllegalArgumentException error(String what) {
            int line = 1;
            int col = 1;
            for (int i = 0; i < Math.min(pos, s.length()); i++) {
                if (s.charAt(i) == '\n') {
                    line++;
                    col = 1;
                } else {
                    col++;
                }
            }
            return new IllegalArgumentException(line + ":" + col + ": " + what);
        }
    }

    private static final class Writer {
        private final StringBuilder out;
        private final boolean pretty;

        Writer(StringBuilder out, boolean pretty) {
            this.out = out;
            this.pretty = pretty;
        }

        void value(Object v, int depth) {
            if (depth > MAX_DEPTH) {
                throw new IllegalArgumentException("JSON value nested deeper than " + MAX_DEPTH + " (cycle?)");
            }
            if (v == null) {
                out.append("null");
            } else if (v instanceof Boolean b) {
                out.append(b ? "true" : "false");
            } else if (v instanceof Number n) {
                out.append(number(n));
            } else if (v instanceof CharSequence s) {
                appendString(out, s);
            } else if (v instanceof Character c) {
                appendString(out, String.valueOf(c));
            } else if (v instanceof Map<?, ?> m) {
                map(m, depth);
            } else if (v instanceof Iterable<?> it) {
                array(it.iterator(), depth);
            } else if (v instanceof Object[] arr) {
                array(Arrays.asList(arr).iterator(), depth);
            } else {
                throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON");
            }
        }

        private void map(Map<?, ?> m, int depth) {
            if (m.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (e.getKey() == null) {
                    throw new IllegalArgumentException("JSON object keys cannot be null");
                }
                if (!first) {
                    out.append(',');
                }
                first = false;
                newline(depth + 1);
                appendString(out, String.valueOf(e.getKey()));
                out.append(pretty ? ": " : ":");
                value(e.getValue(), depth + 1);
            }
            newline(depth);
            out.append('}');
        }

        private void array(Iterator<?> it, int depth) {
            if (!it.hasNext()) {
                out.append("[]");
                return;
            }
            out.append('[');
            boolean first = true;
            while (it.hasNext()) {
                Object v = it.next();
                if (!first) {
                    out.append(',');
                }
                first = false;
                newline(depth + 1);
                value(v, depth + 1);
            }
            newline(depth);
            out.append(']');
        }

        private void newline(int depth) {
            if (pretty) {
                out.append('\n');
                out.append("  ".repeat(depth));
            }
        }
    }
}
