package io.tsync.status;

import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** Says in a few words how a host's sources stand, for the opening of its status detail. */
final class SourceSummary {
    private SourceSummary() {}

    /** A short summary like {@code 3 sources, all ? (unreachable)} or {@code 4 sources: 1 *, 2 +, 1 ?}. */
    static String of(List<Source> sources) {
        Map<Character, Integer> counts = HostStatus.countStates(sources);
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        if (total == 0) {
            return "no sources";
        }
        String noun = total == 1 ? " source" : " sources";
        List<Character> present = HostStatus.STATES.stream().filter(c -> counts.get(c) > 0).toList();
        if (present.size() == 1) {
            char c = present.get(0);
            return total + noun + ", " + (total == 1 ? "" : "all ") + c + " (" + meaning(c, sources) + ")";
        }
        StringJoiner j = new StringJoiner(", ", total + noun + ": ", "");
        present.forEach(c -> j.add(counts.get(c) + " " + c));
        return j.toString();
    }

    private static String meaning(char state, List<Source> sources) {
        return switch (state) {
            case '*' -> "selected";
            case '+' -> "combined";
            case '-' -> "not combined";
            case 'x' -> "falseticker";
            case '~' -> "too variable";
            default -> sources.stream().filter(s -> s.state() == '?' && !s.poolPlaceholder())
                    .allMatch(s -> !s.reachable()) ? "unreachable" : "not selectable yet";
        };
    }
}
