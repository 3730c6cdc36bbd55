package io.tsync.load;

import io.tsync.model.Host;
import io.tsync.model.Location;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Ansible's INI inventory format, into the same {@link RawInventory} the YAML layout produces.
 *
 * <pre>
 * lone ansible_host=192.0.2.9          # before any section: ungrouped
 * [seoul]
 * web[01:03] ansible_user=deploy       # a range: web01, web02, web03
 * db1:2222 ansible_host=192.0.2.21     # NAME:PORT sets ansible_port
 * [seoul:vars]
 * tsync_timezone=Asia/Seoul
 * [asia:children]
 * seoul
 * </pre>
 *
 * Comments start with {@code #} or {@code ;} at the start of a line, or with {@code #} outside quotes
 * on a host line. Values are typed as Ansible types them, by Python's
 * {@code ast.literal_eval} ({@link PythonLiteral}) in both places: on a host line after shell-like
 * splitting (so {@code a="42"} is the number 42, {@code a="'42'"} the text), in {@code [g:vars]} on the
 * whole text after the '=' (a trailing comment stays part of a value that is not a literal). So
 * {@code True}/{@code False} are booleans, {@code None} is null, {@code 2222} and {@code 1.5} are numbers,
 * and {@code yes}, {@code no}, {@code true} or {@code 0042} stay text; ansible_become=yes still means
 * become, as Ansible's boolean() reads it. Mappings and lists (such as {@code tsync_ntp}) cannot be
 * written in INI: they belong in group_vars/ or host_vars/ YAML.
 * As in Ansible, {@code [g:vars]} needs g declared somewhere, and so does every group of a
 * {@code [g:children]} section (this catches misspelt group names).
 */
final class IniInventoryParser {
    /** In the order the fix names them: a did-you-mean tie goes to the first (Set.of would vary its order from run to run). */
    private static final List<String> KINDS = List.of("hosts", "vars", "children");
    private static final String VARIABLE = "[A-Za-z_][A-Za-z0-9_]*";

    private final RawInventory raw;
    private final String file;
    /**
     * Groups named by [g], [g:hosts] or [g:children] (in file order, so a did-you-mean tie goes to the group declared
     * first), and where a group was needed before its declaration.
     */
    private final Set<String> declared = new LinkedHashSet<>();
    private final Map<String, Location> pending = new LinkedHashMap<>();
    private final Map<String, String> pendingWhy = new LinkedHashMap<>();

    private IniInventoryParser(RawInventory raw) {
        this.raw = raw;
        this.file = raw.file;
    }

    static void parse(RawInventory raw, String text) {
        new IniInventoryParser(raw).run(text);
    }

    private void run(String text) {
        String kind = "hosts";
        RawInventory.Group group = raw.group("ungrouped", new Location(file, 1, 1));
        declared.add("ungrouped");
        declared.add("all");
        int lineNo = 0;
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1); // a byte order mark, as some Windows editors write
        }
        for (String line : (Iterable<String>) text.lines()::iterator) {
            lineNo++;
            if (hasControlCharacter(line, lineNo)) {
                continue;
            }
            int start = 0;
            while (start < line.length() && Character.isWhitespace(line.charAt(start))) {
                start++;
            }
            if (start == line.length() || line.charAt(start) == '#' || line.charAt(start) == ';') {
                continue;
            }
            if (line.charAt(start) == '[') {
                String[] sec = section(line, start, lineNo);
                if (sec == null) {
                    group = null;
                    continue;
                }
                Location at = new Location(file, lineNo, start + 1);
                group = raw.group(sec[0], at);
                kind = sec[1];
                if (!kind.equals("vars")) {
                    declare(sec[0]);
                } else if (!declared.contains(sec[0])) {
                    need(sec[0], at, "section [" + sec[0] + ":vars] is for a group that is not declared");
                }
                continue;
            }
            if (group == null) {
                continue; // the section header was wrong; it has been reported
            }
            switch (kind) {
                case "vars" -> varLine(group, line, start, lineNo);
                case "children" -> childLine(group, line, start, lineNo);
                default -> hostLine(group, line, start, lineNo);
            }
        }
        pending.forEach((g, at) -> raw.problem(at, pendingWhy.get(g) + ": '" + g + "'" + RawInventory.didYouMean(g, declared),
                "declare it with a [" + g + "] section (it may be empty) or fix the name"));
    }

    /** Control characters (other than tab) could hide text in a terminal or reach a config file: refused, as in YAML. */
    private boolean hasControlCharacter(String line, int lineNo) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || c == '\u2028' || c == '\u2029') {
                raw.problem(new Location(file, lineNo, i + 1), String.format("control character U+%04X is not allowed", (int) c),
                        "remove it (it is invisible in most editors)");
                return true;
            }
        }
        return false;
    }

    private void declare(String g) {
        declared.add(g);
        pending.remove(g);
        pendingWhy.remove(g);
    }

    private void need(String g, Location at, String why) {
        if (!declared.contains(g) && !pending.containsKey(g)) {
            pending.put(g, at);
            pendingWhy.put(g, why);
        }
    }

    /** [name] or [name:kind], or null after reporting what is wrong. */
    private String[] section(String line, int start, int lineNo) {
        int close = line.indexOf(']', start);
        Location at = new Location(file, lineNo, start + 1);
        if (close < 0) {
            raw.problem(at, "section header '" + line.strip() + "' has no closing ']'", "write [group], [group:vars] or [group:children]");
            return null;
        }
        String rest = line.substring(close + 1).strip();
        if (!rest.isEmpty() && !rest.startsWith("#") && !rest.startsWith(";")) {
            raw.problem(new Location(file, lineNo, close + 2), "text after the section header: '" + rest + "'",
                    "put a section header alone on its line; host lines go below it");
            return null;
        }
        String inside = line.substring(start + 1, close).strip();
        String name = inside;
        String kind = "hosts";
        int colon = inside.indexOf(':');
        if (colon >= 0) {
            name = inside.substring(0, colon).strip();
            kind = inside.substring(colon + 1).strip();
            if (!KINDS.contains(kind)) {
                raw.problem(new Location(file, lineNo, start + 2 + colon + 1), "section [" + inside + "] has unknown type ':" + kind + "'",
                        "use [" + name + "] for hosts, [" + name + ":vars] for variables or [" + name + ":children] for child groups"
                                + RawInventory.didYouMean(kind, KINDS));
                return null;
            }
        }
        if (name.isEmpty() || !RawInventory.isGroupName(name)) {
            raw.problem(new Location(file, lineNo, start + 2), "group name '" + name + "' has characters outside letters, digits, '_', '.', '-'",
                    "rename the group");
            return null;
        }
        return new String[] {name, kind};
    }

    private void childLine(RawInventory.Group group, String line, int start, int lineNo) {
        String name = stripComment(line.substring(start)).strip();
        Location at = new Location(file, lineNo, start + 1);
        if (!RawInventory.isGroupName(name)) {
            raw.problem(at, "'" + name + "' in [" + group.name + ":children] is not a group name",
                    "list one child group per line; hosts go in a [" + group.name + "] section");
            return;
        }
        if (name.equals("all")) {
            raw.problem(at, "group 'all' cannot be a child of '" + group.name + "'", "remove this line; every group is already in all");
            return;
        }
        raw.addChild(group, name);
        need(name, at, "[" + group.name + ":children] names a group that is not declared");
    }

    private void varLine(RawInventory.Group group, String line, int start, int lineNo) {
        int eq = line.indexOf('=', start);
        Location at = new Location(file, lineNo, start + 1);
        if (eq < 0) {
            raw.problem(at, "expected key=value in [" + group.name + ":vars], got '" + stripComment(line.substring(start)).strip() + "'",
                    "write one variable per line as name=value");
            return;
        }
        String key = line.substring(start, eq).strip();
        if (!key.matches(VARIABLE)) {
            raw.problem(at, "'" + key + "' is not a variable name", "use letters, digits and '_', not starting with a digit");
            return;
        }
        int vs = eq + 1;
        while (vs < line.length() && Character.isWhitespace(line.charAt(vs))) {
            vs++;
        }
        Location vat = new Location(file, lineNo, vs + 1);
        // as Ansible: the whole rest of the line, a '# comment' included unless the value is a Python literal
        String value = line.substring(vs).strip();
        Host.Var v = value(key, value, vat);
        if (v != null) {
            group.vars.put(key, v);
        }
    }

    private void hostLine(RawInventory.Group group, String line, int start, int lineNo) {
        List<Token> tokens = tokens(line, start, lineNo);
        if (tokens == null || tokens.isEmpty()) {
            return;
        }
        Token first = tokens.get(0);
        Location at = new Location(file, lineNo, first.col);
        if (first.eq >= 0) {
            raw.problem(at, "a host line starts with the host name, not with '" + first.text + "'",
                    "put the host name first (name key=value ...), or group variables in a [" + group.name + ":vars] section");
            return;
        }
        String pattern = first.text;
        Map<String, Host.Var> vars = new LinkedHashMap<>();
        int colon = lastColonOutsideBrackets(pattern);
        if (colon >= 0 && colonsOutsideBrackets(pattern) == 1) {
            String port = pattern.substring(colon + 1);
            pattern = pattern.substring(0, colon);
            if (!port.matches("[0-9]{1,5}")) {
                raw.problem(new Location(file, lineNo, first.col + colon + 1), "'" + first.text + "': the part after ':' must be a port number",
                        "write NAME:PORT (e.g. web1:2222) or NAME ansible_port=PORT");
                return;
            }
            vars.put("ansible_port", new Host.Var(Long.parseLong(port),
                    node(Tag.INT, port, lineNo, first.col + colon + 1), new Location(file, lineNo, first.col + colon + 1)));
        }
        List<String> names = List.of(pattern);
        if (HostRanges.hasRange(pattern)) {
            try {
                names = HostRanges.expand(pattern);
            } catch (HostRanges.RangeException e) {
                raw.problem(at, e.getMessage(), e.fix);
                return;
            }
        }
        for (String h : names) {
            if (!RawInventory.isHostName(h)) {
                raw.problem(at, "host name '" + h + "' is not a valid name",
                        "use letters, digits, '-', '_' and '.'; put the address in ansible_host=ADDRESS");
                return;
            }
        }
        boolean ok = true;
        for (Token t : tokens.subList(1, tokens.size())) {
            Location tat = new Location(file, lineNo, t.col);
            if (t.eq < 0) {
                raw.problem(tat, "expected key=value after the host name, got '" + t.text + "'",
                        "write variables as key=value (no spaces around '='; quote values with spaces)");
                ok = false;
                continue;
            }
            String key = t.text.substring(0, t.eq);
            if (!key.matches(VARIABLE)) {
                raw.problem(tat, "'" + key + "' is not a variable name", "use letters, digits and '_', not starting with a digit");
                ok = false;
                continue;
            }
            Host.Var v = value(key, t.text.substring(t.eq + 1), new Location(file, lineNo, t.valueCol));
            if (v == null) {
                ok = false;
            } else {
                vars.put(key, v);
            }
        }
        if (!ok) {
            return;
        }
        for (String h : names) {
            raw.addHost(group, h, at, vars);
        }
    }

    private static int colonsOutsideBrackets(String s) {
        int n = 0;
        int depth = 0;
        for (char c : s.toCharArray()) {
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == ':' && depth == 0) {
                n++;
            }
        }
        return n;
    }

    private static int lastColonOutsideBrackets(String s) {
        int depth = 0;
        int last = -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == ':' && depth == 0) {
                last = i;
            }
        }
        return last;
    }

    /**
     * A typed, located variable value, as Ansible types it: the text read as a Python literal
     * ({@link PythonLiteral}), else the text itself; null after reporting a value tsync cannot hold.
     */
    private Host.Var value(String key, String value, Location at) {
        if (key.equals("tsync_ntp")) {
            raw.problem(at, "tsync_ntp is a mapping, which an INI inventory cannot hold",
                    "put it in YAML beside the inventory: group_vars/GROUP.yaml (or host_vars/HOST.yaml) with 'tsync_ntp:' and its keys");
            return null;
        }
        PythonLiteral.Value lit = PythonLiteral.eval(value);
        Object plain = lit == null ? value : lit.value();
        if (plain instanceof List<?> || plain instanceof Map<?, ?>) {
            raw.problem(at, "'" + key + "' is a mapping or list, which tsync does not read from an INI inventory",
                    "put it in YAML beside the inventory: group_vars/GROUP.yaml or host_vars/HOST.yaml, or quote it to mean the text");
            return null;
        }
        Tag tag = plain == null ? Tag.NULL : plain instanceof Boolean ? Tag.BOOL : plain instanceof Double ? Tag.FLOAT
                : plain instanceof Number ? Tag.INT : Tag.STR;
        String text = plain == null ? "null" : String.valueOf(plain);
        Host.Var v = new Host.Var(plain, node(tag, text, at.line(), at.column()), at);
        RawInventory.checkVar(raw.problems, key, v);
        return v;
    }

    /** A SnakeYAML scalar node standing for an INI value, so the checks written for YAML apply unchanged. */
    private ScalarNode node(Tag tag, String value, int line, int column) {
        Mark start = new Mark(file, 0, line - 1, column - 1, new int[0], 0);
        Mark end = new Mark(file, 0, line - 1, column - 1 + value.length(), new int[0], 0);
        return new ScalarNode(tag, value, start, end, DumperOptions.ScalarStyle.PLAIN);
    }

    /** Text before a comment: '#' (or ';') at the start or after whitespace, outside quotes. */
    private static String stripComment(String s) {
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if ((c == '#' || c == ';') && (i == 0 || Character.isWhitespace(s.charAt(i - 1)))) {
                return s.substring(0, i);
            }
        }
        return s;
    }

    /** The quoted string starting at {@code line[at]}; end[0] receives the index after the closing quote. */
    private String quoted(String line, int at, int[] end, int lineNo) {
        char q = line.charAt(at);
        StringBuilder sb = new StringBuilder();
        for (int i = at + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == q) {
                end[0] = i + 1;
                return sb.toString();
            }
            if (c == '\\' && q == '"' && i + 1 < line.length() && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                sb.append(line.charAt(++i)); // as shlex: other backslashes in double quotes stay
            } else {
                sb.append(c);
            }
        }
        raw.problem(new Location(file, lineNo, at + 1), "unclosed " + (q == '"' ? "double" : "single") + " quote",
                "close the quote on the same line");
        return null;
    }

    private record Token(String text, int col, int eq, int valueCol) {}

    /** The words of a host line as Python's shlex splits them (quotes group, backslash escapes, '#' outside quotes starts a comment). */
    private List<Token> tokens(String line, int from, int lineNo) {
        List<Token> out = new ArrayList<>();
        int i = from;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (c == '#') {
                break;
            }
            int col = i + 1;
            StringBuilder sb = new StringBuilder();
            int eq = -1;
            int valueCol = -1;
            boolean comment = false;
            while (i < line.length() && !Character.isWhitespace(line.charAt(i))) {
                c = line.charAt(i);
                if (c == '#') {
                    comment = true; // as shlex: a '#' outside quotes ends the word and the line
                    break;
                }
                if (c == '"' || c == '\'') {
                    int[] end = new int[1];
                    String q = quoted(line, i, end, lineNo);
                    if (q == null) {
                        return null;
                    }
                    sb.append(q);
                    i = end[0];
                    continue;
                }
                if (c == '\\' && i + 1 < line.length()) {
                    sb.append(line.charAt(i + 1));
                    i += 2;
                    continue;
                }
                if (c == '=' && eq < 0) {
                    eq = sb.length();
                    valueCol = i + 2;
                }
                sb.append(c);
                i++;
            }
            out.add(new Token(sb.toString(), col, eq, valueCol));
            if (comment) {
                break;
            }
        }
        return out;
    }
}
