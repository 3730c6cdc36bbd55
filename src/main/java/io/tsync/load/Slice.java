package io.tsync.load;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.function.Function;

/**
 * Slice {@code index} of {@code count} ({@code --slice K/N}), as AWX's job slicing: N workers each run
 * one slice and together handle every selected host exactly once.
 *
 * <p>A host's slice follows from its inventory name alone: the first 8 bytes of the SHA-256 of the
 * UTF-8 name, as an unsigned number, modulo N, plus 1. Not from its position: adding or removing
 * hosts never moves another host to another slice (a position-based cut would shift every host
 * after the change), and a slice does not depend on the inventory's order, on {@code --limit} or on
 * the machine; slicing then limiting equals limiting then slicing. The price: slices are only about
 * equal, like buckets of a hash (12 hosts in 4 slices may be 5, 3, 2, 2), and a slice may be empty.
 * Changing N reshuffles hosts, as any cut would.
 */
public record Slice(int index, int count) {
    /** Large enough for any fleet; small enough that a typo (a date, a port) is caught. */
    public static final int MAX_COUNT = 100_000;

    public Slice {
        if (count < 1 || count > MAX_COUNT || index < 1 || index > count) {
            throw new IllegalArgumentException("not a slice: " + index + "/" + count);
        }
    }

    /**
     * {@code K/N} with 1 ≤ K ≤ N.
     *
     * @throws IllegalArgumentException with the message an operator reads, naming the fix
     */
    public static Slice parse(String text) {
        String t = text == null ? "" : text.strip();
        if (!t.matches("\\d{1,9}/\\d{1,9}")) {
            throw new IllegalArgumentException("'" + text + "' is not a slice K/N: write two whole numbers, e.g. --slice 2/4 for the second of 4 slices");
        }
        int k = Integer.parseInt(t.substring(0, t.indexOf('/')));
        int n = Integer.parseInt(t.substring(t.indexOf('/') + 1));
        if (n < 1 || n > MAX_COUNT) {
            throw new IllegalArgumentException("'" + text + "': the number of slices N must be from 1 to " + MAX_COUNT);
        }
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("'" + text + "': K must be from 1 to N (" + n + "); slices are numbered 1/" + n + " to " + n + "/" + n
                    + " (a 0-based index such as $JOB_COMPLETION_INDEX needs +1)");
        }
        return new Slice(k, n);
    }

    /** The slice, 1 to {@code count}, that the host named {@code name} falls in. */
    public static int of(String name, int count) {
        byte[] d;
        try {
            d = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (d[i] & 0xff);
        }
        return (int) Long.remainderUnsigned(v, count) + 1;
    }

    public boolean contains(String name) {
        return of(name, count) == index;
    }

    /** The items of this slice, in their order. */
    public <T> List<T> select(List<T> items, Function<T, String> name) {
        return items.stream().filter(i -> contains(name.apply(i))).toList();
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
