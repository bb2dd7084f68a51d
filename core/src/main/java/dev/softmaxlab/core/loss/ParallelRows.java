package dev.softmaxlab.core.loss;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Splits rows [0, B) into contiguous ranges, one per thread, and runs them at once: the caller takes the first
 * range, pooled daemon threads the others. The split decides only which thread computes a row, never how.
 */
final class ParallelRows {

    /** A range of rows [from, to), with its own working memory. */
    interface Range {
        void run(int from, int to);
    }

    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "softmaxlab-rows");
        t.setDaemon(true);
        return t;
    });

    private ParallelRows() {
    }

    static void run(int rows, int threads, Range range) {
        int parts = Math.min(threads, rows);
        if (parts <= 1) {
            range.run(0, rows);
            return;
        }
        Future<?>[] futures = new Future<?>[parts - 1];
        for (int k = 1; k < parts; k++) {
            int from = (int) ((long) rows * k / parts);
            int to = (int) ((long) rows * (k + 1) / parts);
            futures[k - 1] = POOL.submit(() -> range.run(from, to));
        }
        range.run(0, (int) ((long) rows / parts));
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a row range", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            }
        }
    }
}
