package dev.softmaxlab.experiments.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Maps a stream of inputs through a function on a fixed pool and hands the outputs to a sink in input order. The
 * caller's thread reads inputs and writes outputs while the pool computes, with a bounded window of work in flight, so
 * memory stays flat however long the stream. Outputs are identical whatever the thread count as long as the function
 * depends only on its input.
 *
 * <p>An exception from the function (a bad line) surfaces in input order: every earlier output is written first, then
 * it is thrown, just as a single thread would.
 */
public final class OrderedPipeline {

    /** Supplies inputs; null ends the stream. */
    @FunctionalInterface
    public interface Source<I> {
        I next() throws IOException;
    }

    /** Receives outputs in input order. */
    @FunctionalInterface
    public interface Sink<O> {
        void accept(O output) throws IOException;
    }

    private OrderedPipeline() {
    }

    /**
     * Runs the pipeline.
     *
     * @param threads 1 runs everything on the caller's thread; more use a pool of that many workers
     */
    public static <I, O> void run(Source<I> source, Function<I, O> work, Sink<O> sink, int threads)
            throws IOException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        }
        if (threads == 1) {
            for (I in = source.next(); in != null; in = source.next()) {
                sink.accept(work.apply(in));
            }
            return;
        }
        int window = threads * 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "probe-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            ArrayDeque<Future<O>> inFlight = new ArrayDeque<>(window);
            IOException readError = null;
            while (true) {
                I in;
                try {
                    in = source.next();
                } catch (IOException e) {
                    readError = e;
                    break;
                } catch (RuntimeException e) {
                    drain(inFlight, sink);
                    throw e;
                }
                if (in == null) {
                    break;
                }
                I input = in;
                inFlight.add(pool.submit(() -> work.apply(input)));
                if (inFlight.size() >= window) {
                    sink.accept(take(inFlight.poll()));
                }
            }
            drain(inFlight, sink);
            if (readError != null) {
                throw readError;
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static <O> void drain(ArrayDeque<Future<O>> inFlight, Sink<O> sink) throws IOException {
        while (!inFlight.isEmpty()) {
            sink.accept(take(inFlight.poll()));
        }
    }

    private static <O> O take(Future<O> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error er) {
                throw er;
            }
            throw new UncheckedIOException(new IOException(c));
        }
    }
}
