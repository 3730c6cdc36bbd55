package io.tsync.load;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Python's {@code ast.literal_eval} makes of an INI inventory value, as Ansible's INI plugin reads
 * every value (host lines after shlex, {@code [group:vars]} lines as written after the '='): {@code True},
 * {@code False}, {@code None}, whole numbers (also 0x1F, 0o17, 0b11, 1_000, one leading sign), floating
 * point numbers, quoted strings (Python escapes, adjacent strings joined), and lists, tuples and
 * dicts of those; a trailing {@code # comment} is allowed. Anything else (yes, no, true, Asia/Seoul,
 * 0042) is not a literal, and Ansible keeps the text as it is.
 */
final class PythonLiteral {
    /** A literal's value: Boolean, Long, BigInteger, Double, String, List, Map, or null for None. */
    record Value(Object value) {}

    private final String s;
    private int pos;

    private PythonLiteral(String s) {
        this.s = s;
    }

    /** The literal {@code text} stands for, or null when it is none (Ansible then keeps the text). */
    static Value eval(String text) {
        PythonLiteral p = new PythonLiteral(text);
        try {
            p.blanks(); // literal_eval strips leading spaces and tabs
            Object v = p.expression(0);
            p.blanks();
            if (p.pos < text.length() && text.charAt(p.pos) == '#') {
                p.pos = text.length();
            }
            return p.pos == text.length() ? new Value(v) : null;
        } catch (NotLiteral e) {
            return null;
        }
    }

    private static final class NotLiteral extends Exception {
        NotLiteral() {
            super(null, null, false, false);
        }
    }

    private static final int MAX_DEPTH = 100;

    private Object expression(int depth) throws NotLiteral {
        if (depth > MAX_DEPTH || pos >= s.length()) {
            throw new NotLiteral();
        }
        char c = s.charAt(pos);
        if (c == '[' || c == '(' || c == '{') {
            return container(c, depth);
        }
        if (c == '+' || c == '-') {
            pos++;
            blanks();
            Object n = number();
            if (c == '+') {
                return n;
            }
            return n instanceof Long l ? (l == Long.MIN_VALUE ? BigInteger.valueOf(l).negate() : (Object) (-l))
                    : n instanceof BigInteger b ? normal(b.negate()) : (Object) (-(Double) n);
        }
        if (c >= '0' && c <= '9' || c == '.') {
            return number();
        }
        if (Character.isLetter(c) || c == '_') {
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                pos++;
            }
            String word = s.substring(start, pos);
            if (pos < s.length() && (s.charAt(pos) == '\'' || s.charAt(pos) == '"')) {
                pos = start;
                return strings();
            }
            return switch (word) {
                case "True" -> Boolean.TRUE;
                case "False" -> Boolean.FALSE;
                case "None" -> null;
                default -> throw new NotLiteral();
            };
        }
        if (c == '\'' || c == '"') {
            return strings();
        }
        throw new NotLiteral();
    }

    /** [a, b], (a, b), (a) (not a tuple), {k: v}, {a, b} (a set: Ansible cannot print one; not a literal here). */
    private Object container(char open, int depth) throws NotLiteral {
        char close = open == '[' ? ']' : open == '(' ? ')' : '}';
        pos++;
        List<Object> items = new ArrayList<>();
        Map<Object, Object> map = new LinkedHashMap<>();
        boolean comma = false;
        boolean dict = false;
        while (true) {
            space();
            if (pos < s.length() && s.charAt(pos) == close) {
                pos++;
                break;
            }
            Object item = expression(depth + 1);
            space();
            if (open == '{' && pos < s.length() && s.charAt(pos) == ':') {
                if (!items.isEmpty()) {
                    throw new NotLiteral();
                }
                dict = true;
                pos++;
                space();
                if (item instanceof List<?> || item instanceof Map<?, ?>) {
                    throw new NotLiteral(); // unhashable key
                }
                map.put(item, expression(depth + 1));
                space();
            } else if (dict) {
                throw new NotLiteral();
            } else {
                items.add(item);
            }
            if (pos < s.length() && s.charAt(pos) == ',') {
                comma = true;
                pos++;
                continue;
            }
            space();
            if (pos < s.length() && s.charAt(pos) == close) {
                pos++;
                break;
            }
            throw new NotLiteral();
        }
        if (open == '(' && !comma && items.size() == 1) {
            return items.get(0); // parentheses around one value
        }
        if (open == '{') {
            if (!dict && !items.isEmpty()) {
                throw new NotLiteral();
            }
            return map;
        }
        return items;
    }

    private Object number() throws NotLiteral {
        int start = pos;
        if (s.startsWith("0x", pos) || s.startsWith("0X", pos) || s.startsWith("0o", pos) || s.startsWith("0O", pos)
                || s.startsWith("0b", pos) || s.startsWith("0B", pos)) {
            char k = Character.toLowerCase(s.charAt(pos + 1));
            int radix = k == 'x' ? 16 : k == 'o' ? 8 : 2;
            pos += 2;
            String digits = digits(radix, true);
            end();
            return normal(new BigInteger(digits, radix));
        }
        String whole = pos < s.length() && s.charAt(pos) != '.' ? digits(10, false) : "";
        boolean isFloat = false;
        StringBuilder f = new StringBuilder(whole);
        if (pos < s.length() && s.charAt(pos) == '.') {
            isFloat = true;
            pos++;
            f.append('.');
            if (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                f.append(digits(10, false));
            } else if (whole.isEmpty()) {
                throw new NotLiteral();
            }
        }
        if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
            isFloat = true;
            pos++;
            f.append('e');
            if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                f.append(s.charAt(pos++));
            }
            f.append(digits(10, false));
        }
        end();
        if (isFloat) {
            double d = Double.parseDouble(f.toString());
            if (Double.isInfinite(d)) {
                throw new NotLiteral(); // Python's inf, which JSON (and so tsync inventory --json) cannot hold: kept as text
            }
            return d;
        }
        // Python 3 refuses leading zeros in a non-zero whole number (0042), allows 0, 00, 0_0
        if (whole.length() > 1 && whole.charAt(0) == '0' && !whole.chars().allMatch(ch -> ch == '0')) {
            pos = start;
            throw new NotLiteral();
        }
        return normal(new BigInteger(whole));
    }

    /** Digits with single underscores between them ({@code leadingUnderscore}: 0x_1F is allowed). */
    private String digits(int radix, boolean leadingUnderscore) throws NotLiteral {
        StringBuilder d = new StringBuilder();
        boolean needDigit = true;
        if (leadingUnderscore && pos < s.length() && s.charAt(pos) == '_') {
            pos++;
        }
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (Character.digit(c, radix) >= 0 && c < 128) {
                d.append(c);
                needDigit = false;
                pos++;
            } else if (c == '_' && !needDigit) {
                needDigit = true;
                pos++;
            } else {
                break;
            }
        }
        if (needDigit) {
            throw new NotLiteral();
        }
        return d.toString();
    }

    /** A number must not run into a name (1abc, 1j: complex numbers, which Ansible cannot print either). */
    private void end() throws NotLiteral {
        if (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
            throw new NotLiteral();
        }
    }

    private static Object normal(BigInteger b) {
        return b.bitLength() < 64 ? (Object) b.longValue() : b;
    }

    /** One or more adjacent string literals, joined as Python joins them. */
    private String strings() throws NotLiteral {
        StringBuilder out = new StringBuilder();
        do {
            out.append(string());
            space();
        } while (pos < s.length() && (s.charAt(pos) == '\'' || s.charAt(pos) == '"' || prefixed()));
        return out.toString();
    }

    private boolean prefixed() {
        int p = pos;
        while (p < s.length() && p - pos < 2 && Character.isLetter(s.charAt(p))) {
            p++;
        }
        return p > pos && p < s.length() && (s.charAt(p) == '\'' || s.charAt(p) == '"');
    }

    private String string() throws NotLiteral {
        boolean raw = false;
        while (pos < s.length() && Character.isLetter(s.charAt(pos))) {
            char p = Character.toLowerCase(s.charAt(pos));
            if (p == 'r') {
                raw = true;
            } else if (p != 'u' && p != 'b') {
                throw new NotLiteral(); // f-strings are no literal; bytes become text, as Ansible's to_text makes them
            }
            pos++;
        }
        char q = s.charAt(pos);
        boolean triple = s.startsWith(String.valueOf(q).repeat(3), pos);
        pos += triple ? 3 : 1;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= s.length()) {
                throw new NotLiteral();
            }
            char c = s.charAt(pos);
            if (c == q && (!triple || s.startsWith(String.valueOf(q).repeat(3), pos))) {
                pos += triple ? 3 : 1;
                return sb.toString();
            }
            if (c == '\\' && pos + 1 < s.length()) {
                if (raw) {
                    sb.append(c).append(s.charAt(pos + 1));
                    pos += 2;
                } else {
                    escape(sb);
                }
                continue;
            }
            sb.append(c);
            pos++;
        }
    }

    private void escape(StringBuilder sb) throws NotLiteral {
        char e = s.charAt(pos + 1);
        pos += 2;
        switch (e) {
            case '\\', '\'', '"' -> sb.append(e);
            case 'a' -> sb.append('\u0007');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'v' -> sb.append('\u000b');
            case 'x' -> sb.appendCodePoint(hex(2));
            case 'u' -> sb.appendCodePoint(hex(4));
            case 'U' -> {
                int cp = hex(8);
                if (!Character.isValidCodePoint(cp)) {
                    throw new NotLiteral();
                }
                sb.appendCodePoint(cp);
            }
            case 'N' -> throw new NotLiteral(); // named characters: not worth a table here
            default -> {
                if (e >= '0' && e <= '7') {
                    int v = e - '0';
                    for (int i = 0; i < 2 && pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '7'; i++) {
                        v = v * 8 + (s.charAt(pos++) - '0');
                    }
                    sb.append((char) v);
                } else {
                    sb.append('\\').append(e); // Python keeps an unknown escape as written
                }
            }
        }
    }

    private int hex(int n) throws NotLiteral {
        if (pos + n > s.length()) {
            throw new NotLiteral();
        }
        int v = 0;
        for (int i = 0; i < n; i++) {
            int d = Character.digit(s.charAt(pos + i), 16);
            if (d < 0 || s.charAt(pos + i) > 127) {
                throw new NotLiteral();
            }
            v = v * 16 + d;
        }
        pos += n;
        return v;
    }

    private void blanks() {
        while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t' || s.charAt(pos) == '\f')) {
            pos++;
        }
    }

    /** Whitespace between tokens, where a comment cannot start (inside brackets it could; no value needs one). */
    private void space() {
        blanks();
    }
}
