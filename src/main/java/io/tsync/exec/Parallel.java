package io.tsync.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.Function;

/** Runs one task per host with at most {@code forks} at once; results come back in input order. */
public final class Parallel {
    private Parallel() {}

    /**
     * @param onError result for an item whose task threw (or the wait was interrupted), so one
     *                host's internal error never loses the others' results
     */
    public static <T, R> List<R> map(List<T> items, int forks, String threadName, Function<T, R> task, BiFunction<T, Throwable, R> onError) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(forks, items.size())), r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> task.apply(item)));
            }
            List<R> out = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                try {
                    out.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    out.add(onError.apply(items.get(i), e.getCause()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    out.add(onError.apply(items.get(i), e));
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
