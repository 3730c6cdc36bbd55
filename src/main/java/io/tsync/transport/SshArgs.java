package io.tsync.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The OpenSSH command-line options an inventory gives in {@code ansible_ssh_common_args} /
 * {@code ansible_ssh_extra_args}, read as Ansible hands them to ssh: split as a POSIX shell would
 * (Ansible uses shlex), each option named by its ssh_config keyword ({@code -J} is ProxyJump,
 * {@code -o ProxyCommand=...} is ProxyCommand).
 */
public final class SshArgs {
    private SshArgs() {}

    /** One option as ssh_config names it, and how it was written (for messages). */
    public record Option(String keyword, String value, String written) {}

    /** ssh's flags that take an argument, by the ssh_config keyword they set (ssh(1)). */
    private static final Map<Character, String> WITH_ARGUMENT = Map.ofEntries(
            Map.entry('B', "BindInterface"), Map.entry('b', "BindAddress"), Map.entry('c', "Ciphers"),
            Map.entry('D', "DynamicForward"), Map.entry('E', "LogFile"), Map.entry('e', "EscapeChar"),
            Map.entry('F', "ConfigFile"), Map.entry('I', "PKCS11Provider"), Map.entry('i', "IdentityFile"),
            Map.entry('J', "ProxyJump"), Map.entry('L', "LocalForward"), Map.entry('l', "User"),
            Map.entry('m', "MACs"), Map.entry('O', "ControlCommand"), Map.entry('o', ""), Map.entry('p', "Port"),
            Map.entry('Q', "Query"), Map.entry('R', "RemoteForward"), Map.entry('S', "ControlPath"),
            Map.entry('W', "StdioForward"), Map.entry('w', "Tunnel"));

    /** Flags without an argument that change how a host is reached. */
    private static final Map<Character, Option> REACH_FLAGS = Map.of(
            '4', new Option("AddressFamily", "inet", "-4"), '6', new Option("AddressFamily", "inet6", "-6"));

    /**
     * The options in {@code args}, in order. Words that are not options (ssh would take the first as
     * the destination) are left out; so are flags without an argument, but -4 and -6.
     *
     * @throws IllegalArgumentException when the quoting is unbalanced
     */
    public static List<Option> parse(String args) {
        List<Option> out = new ArrayList<>();
        if (args == null) {
            return out;
        }
        List<String> w = split(args);
        for (int i = 0; i < w.size(); i++) {
            String word = w.get(i);
            if (!word.startsWith("-") || word.length() < 2 || word.equals("--")) {
                continue;
            }
            for (int j = 1; j < word.length(); j++) {
                char f = word.charAt(j);
                String keyword = WITH_ARGUMENT.get(f);
                if (keyword == null) {
                    if (REACH_FLAGS.containsKey(f)) {
                        out.add(REACH_FLAGS.get(f));
                    }
                    continue;
                }
                String value;
                String written;
                if (j + 1 < word.length()) {
                    value = word.substring(j + 1);
                    written = word;
                } else if (i + 1 < w.size()) {
                    value = w.get(++i);
                    written = "-" + f + " " + value;
                } else {
                    value = "";
                    written = word;
                }
                out.add(keyword.isEmpty() ? option(value, written) : new Option(keyword, value, written));
                break;
            }
        }
        return out;
    }

    /** {@code -o Key=Value} or {@code -o "Key Value"}: the keyword as ssh_config spells it, case kept. */
    private static Option option(String kv, String written) {
        String s = kv.strip();
        int cut = 0;
        while (cut < s.length() && s.charAt(cut) != '=' && !Character.isWhitespace(s.charAt(cut))) {
            cut++;
        }
        String key = s.substring(0, cut);
        String rest = s.substring(cut).strip();
        if (rest.startsWith("=")) {
            rest = rest.substring(1).strip();
        }
        return new Option(key, rest, "-o " + kv);
    }

    /** The value of the first option named {@code keyword} (case-insensitive), or null. */
    public static Option first(List<Option> options, String keyword) {
        return options.stream().filter(o -> o.keyword().equalsIgnoreCase(keyword)).findFirst().orElse(null);
    }

    /**
     * Splits as a POSIX shell (and Python's shlex) would: whitespace separates words, single quotes
     * keep everything, double quotes keep everything but a backslash before {@code " \ $ `}, a
     * backslash outside quotes keeps the next character.
     *
     * @throws IllegalArgumentException on an unclosed quote
     */
    public static List<String> split(String s) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'') {
                int end = s.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed ' in: " + s);
                }
                cur.append(s, i + 1, end);
                i = end;
                inWord = true;
            } else if (c == '"') {
                int j = i + 1;
                for (; j < s.length() && s.charAt(j) != '"'; j++) {
                    char d = s.charAt(j);
                    if (d == '\\' && j + 1 < s.length() && "\"\\$`".indexOf(s.charAt(j + 1)) >= 0) {
                        d = s.charAt(++j);
                    }
                    cur.append(d);
                }
                if (j >= s.length()) {
                    throw new IllegalArgumentException("unclosed \" in: " + s);
                }
                i = j;
                inWord = true;
            } else if (c == '\\' && i + 1 < s.length()) {
                cur.append(s.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(cur.toString());
        }
        return words;
    }
}
