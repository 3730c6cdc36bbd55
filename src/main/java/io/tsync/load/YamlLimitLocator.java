package io.tsync.load;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * Where a limit on aliases or nesting was crossed. SnakeYAML's composer counts aliases of lists
 * and mappings and the nesting depth and throws a bare message; {@link SafeYaml} finds recursive
 * and exploding aliases on the node tree, where an alias is no longer told apart from its anchor.
 * Replaying the document's parser events (no composing, so no limit trips again) finds the alias
 * or the value at which the count ran over, counted the same way.
 */
final class YamlLimitLocator {
    private YamlLimitLocator() {}

    /** The alias that is one more than {@code max} aliases of lists or mappings; null if none is. */
    static AliasEvent aliasOverLimit(String text, int max) {
        Map<String, Boolean> collection = new HashMap<>();
        int count = 0;
        try {
            for (Event e : events(text)) {
                if (e instanceof AliasEvent a) {
                    if (collection.getOrDefault(a.getAnchor(), false) && ++count > max) {
                        return a;
                    }
                } else if (e instanceof NodeEvent n && n.getAnchor() != null) {
                    collection.put(n.getAnchor(), e instanceof CollectionStartEvent);
                }
            }
        } catch (YAMLException e) {
            // a later syntax error: the limit was not crossed before it
        }
        return null;
    }

    /** The first value (scalar, list or mapping) nested deeper than {@code max}; null if none is. */
    static Event nodeTooDeep(String text, int max) {
        int depth = 0;
        try {
            for (Event e : events(text)) {
                if (e instanceof ScalarEvent || e instanceof CollectionStartEvent) {
                    if (depth > max) {
                        return e;
                    }
                    if (e instanceof CollectionStartEvent) {
                        depth++;
                    }
                } else if (e instanceof CollectionEndEvent) {
                    depth--;
                }
            }
        } catch (YAMLException e) {
            // as above
        }
        return null;
    }

    /** The alias used inside the value its own anchor names (a value containing itself); null if none is. */
    static AliasEvent recursiveAlias(String text) {
        Deque<String> open = new ArrayDeque<>();
        try {
            for (Event e : events(text)) {
                if (e instanceof AliasEvent a) {
                    if (open.contains(a.getAnchor())) {
                        return a;
                    }
                } else if (e instanceof CollectionStartEvent c) {
                    open.push(c.getAnchor() == null ? "" : c.getAnchor());
                } else if (e instanceof CollectionEndEvent) {
                    open.pop();
                }
            }
        } catch (YAMLException e) {
            // as above
        }
        return null;
    }

    /**
     * The event at which the document, every alias expanded to the value it names, first counts more
     * than {@code max} values (keys included, as {@link SafeYaml} counts them); null if it never does.
     */
    static Event expansionOverLimit(String text, long max) {
        Map<String, Long> size = new HashMap<>();
        Deque<long[]> starts = new ArrayDeque<>();
        Deque<String> anchors = new ArrayDeque<>();
        long count = 0;
        try {
            for (Event e : events(text)) {
                if (e instanceof AliasEvent a) {
                    count += size.getOrDefault(a.getAnchor(), 1L);
                } else if (e instanceof ScalarEvent sc) {
                    count++;
                    if (sc.getAnchor() != null) {
                        size.put(sc.getAnchor(), 1L);
                    }
                } else if (e instanceof CollectionStartEvent c) {
                    count++;
                    starts.push(new long[] {count});
                    anchors.push(c.getAnchor() == null ? "" : c.getAnchor());
                } else if (e instanceof CollectionEndEvent) {
                    long start = starts.pop()[0];
                    String anchor = anchors.pop();
                    if (!anchor.isEmpty()) {
                        size.put(anchor, count - start + 1);
                    }
                }
                if (count > max) {
                    return e;
                }
            }
        } catch (YAMLException e) {
            // as above
        }
        return null;
    }

    private static Iterable<Event> events(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(Math.max(options.getCodePointLimit(), text.length() + 1));
        return new Yaml(options).parse(new StringReader(text));
    }
}
