package dev.softmaxlab.experiments.audit;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.tensor.RowReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs an audit: streams the logits (and dense targets) in blocks of rows, evaluates each block's rows on the workers
 * ({@link RowAuditor}, one per worker, taking rows and then headroom searches from shared counters) while the next
 * block is read, then feeds
 * the block's records to the accumulators and the row sink in row order. Every number of the report depends only on
 * the rows, never on which worker ran them: the report is identical for any thread count.
 *
 * <p>Memory: two blocks of at most {@link #BLOCK_BYTES} of doubles each, plus per worker the paths' [C] buffers, plus
 * a few doubles per row for the quantiles. The file itself is never held.
 */
public final class Auditor {

    /**
     * The doubles of one block, in bytes (the block holds at least one row). The workers wait for each other at the
     * end of a block, so a block should hold many rows: at 131072 classes, 32 MiB is 32 rows, and the wait (about
     * half a row per worker) costs a few percent rather than the tenth it cost at 8 rows.
     */
    static final long BLOCK_BYTES = 32L << 20;

    /** Hears about progress, from the merging thread. */
    public interface Listener {
        void rowsDone(long done, long total);
    }

    /** Receives each row's record in row order (for --rows); the record is reused after the call. */
    public interface RowSink {
        void accept(RowRecord row) throws IOException;
    }

    /**
     * How long each part took, in seconds: reading (I/O and conversion, on the main thread, overlapped with the
     * evaluation), evaluation (wall), total (wall); and, summed over the workers, the exact reference, the paths and
     * the headroom searches.
     */
    public record Timing(double readSeconds, double evaluateSeconds, double totalSeconds, double exactSeconds,
                         double pathsSeconds, double headroomSeconds) {
    }

    /** The report and the timing. */
    public record Result(AuditReport report, Timing timing) {
    }

    private Auditor() {
    }

    /** Bytes of logits data read and the seconds it took. */
    public record ReadRate(long bytes, double seconds) {
    }

    /** Reads and converts every row of the logits, nothing else: the reader's speed (a benchmark aid). */
    public static ReadRate readOnly(AuditInput input) throws IOException {
        int c = input.classes();
        int blockRows = (int) Math.max(1, Math.min(1024, BLOCK_BYTES / (8L * c)));
        double[] block = new double[blockRows * c];
        long start = System.nanoTime();
        double sink = 0;
        try (RowReader r = new RowReader(input.logits())) {
            int n;
            while ((n = r.read(block, blockRows)) > 0) {
                sink += block[(n - 1) * c];
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (sink == 42.4242) {
            System.out.print(""); // keeps the conversion from being optimized away
        }
        return new ReadRate(input.logits().dataBytes(), seconds);
    }

    public static Result run(AuditInput input, AuditConfig config, int threads, Listener listener, RowSink rows)
            throws IOException {
        long n = input.rows();
        int c = input.classes();
        int blockRows = (int) Math.max(1, Math.min(1024, BLOCK_BYTES / (8L * c)));
        int combos = config.combos();
        List<PathPrecisionAccumulator> acc = new ArrayList<>();
        for (int k = 0; k < combos; k++) {
            acc.add(new PathPrecisionAccumulator(k, config.path(k).id(), config.precision(k), config.worstRows()));
        }
        InputAccumulator inputAcc = new InputAccumulator();
        RowAuditor[] workers = new RowAuditor[threads];
        for (int w = 0; w < threads; w++) {
            workers[w] = new RowAuditor(config);
        }
        Block[] blocks = {new Block(blockRows, c, combos, input.targets() != null),
            new Block(blockRows, c, combos, input.targets() != null)};
        long start = System.nanoTime();
        long readNanos = 0;
        long evalNanos = 0;
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "audit-worker");
            t.setDaemon(true);
            return t;
        });
        try (RowReader logits = new RowReader(input.logits());
             RowReader targets = input.targets() != null ? new RowReader(input.targets()) : null) {
            long t0 = System.nanoTime();
            int current = 0;
            blocks[current].fill(logits, targets, 0);
            readNanos += System.nanoTime() - t0;
            long first = 0;
            while (blocks[current].rows > 0) {
                Block b = blocks[current];
                long e0 = System.nanoTime();
                List<Future<?>> tasks = new ArrayList<>();
                b.startEvaluation(threads);
                for (int w = 0; w < threads; w++) {
                    int worker = w;
                    long base = first;
                    tasks.add(pool.submit(() -> b.evaluate(workers[worker], base, input, config)));
                }
                long r0 = System.nanoTime();
                Block next = blocks[1 - current];
                next.fill(logits, targets, first + b.rows);
                readNanos += System.nanoTime() - r0;
                await(tasks);
                evalNanos += System.nanoTime() - e0;
                for (int i = 0; i < b.rows; i++) {
                    RowRecord rec = b.records[i];
                    inputAcc.add(rec);
                    for (PathPrecisionAccumulator a : acc) {
                        if (!rec.skipped) {
                            a.add(rec);
                        }
                    }
                    if (rows != null) {
                        rows.accept(rec);
                    }
                }
                first += b.rows;
                if (listener != null) {
                    listener.rowsDone(first, n);
                }
                current = 1 - current;
            }
        } finally {
            pool.shutdownNow();
        }
        List<AuditReport.PathPrecision> paths = new ArrayList<>();
        for (PathPrecisionAccumulator a : acc) {
            paths.add(a.report());
        }
        AuditReport report = new AuditReport(inputAcc.stats(c, input.logits().dtype().id(), input.logits().shape()),
                paths, inputAcc.misuse());
        double total = (System.nanoTime() - start) / 1e9;
        long exactNanos = 0;
        long pathNanos = 0;
        long headroomNanos = 0;
        for (RowAuditor w : workers) {
            exactNanos += w.exactNanos;
            pathNanos += w.pathNanos;
            headroomNanos += w.headroomNanos;
        }
        return new Result(report, new Timing(readNanos / 1e9, evalNanos / 1e9, total, exactNanos / 1e9,
                pathNanos / 1e9, headroomNanos / 1e9));
    }

    private static void await(List<Future<?>> tasks) throws IOException {
        for (Future<?> f : tasks) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof InvalidInputException iie) {
                    throw iie;
                }
                if (cause instanceof UncheckedIOException u) {
                    throw u.getCause();
                }
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

    /** Whether row i of n is one of the `count` evenly spaced headroom rows. */
    static boolean sampled(long i, long n, int count) {
        if (count <= 0) {
            return false;
        }
        if (count >= n) {
            return true;
        }
        return (i + 1) * count / n != i * count / n;
    }

    /** One block of rows: the values read, and one record per row. */
    private static final class Block {
        final int capacity;
        final int classes;
        final double[] logits;
        final double[] targets;
        final RowRecord[] records;
        final AtomicInteger nextRow = new AtomicInteger();
        final AtomicInteger nextSearch = new AtomicInteger();
        CountDownLatch rowsDone;
        int rows;

        Block(int capacity, int classes, int combos, boolean dense) {
            this.capacity = capacity;
            this.classes = classes;
            this.logits = new double[capacity * classes];
            this.targets = dense ? new double[capacity * classes] : null;
            this.records = new RowRecord[capacity];
            for (int i = 0; i < capacity; i++) {
                records[i] = new RowRecord(combos);
            }
        }

        void fill(RowReader logitsReader, RowReader targetsReader, long first) throws IOException {
            rows = logitsReader.read(logits, capacity);
            if (targetsReader != null && rows > 0) {
                int t = targetsReader.read(targets, rows);
                if (t != rows) {
                    throw new IllegalStateException("targets and logits were checked to have the same rows");
                }
            }
        }

        /** Resets the shared counters before the block's workers start. */
        void startEvaluation(int workers) {
            nextRow.set(0);
            nextSearch.set(0);
            rowsDone = new CountDownLatch(workers);
        }

        /**
         * One worker's share of the block. First the rows, taken one at a time from a shared counter (a row's record
         * depends only on the row, so who takes it does not matter); then, once every worker is through the rows,
         * the headroom searches of the sampled rows, one (row, combo, knob) at a time, so that a sampled row's
         * dozens of path evaluations are spread over all the workers instead of holding up one of them.
         */
        void evaluate(RowAuditor auditor, long first, AuditInput input, AuditConfig config) {
            long[] labels = input.labels();
            try {
                for (int i = nextRow.getAndIncrement(); i < rows; i = nextRow.getAndIncrement()) {
                    long index = first + i;
                    long label = labels != null ? labels[(int) index] : -1;
                    auditor.evaluate(logits, i * classes, classes, label, targets, index,
                            sampled(index, input.rows(), config.headroomRows()), records[i]);
                }
            } finally {
                rowsDone.countDown();
            }
            try {
                rowsDone.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            RowAuditor.Knob[] knobs = RowAuditor.Knob.values();
            int combos = config.combos();
            int perRow = combos * knobs.length;
            for (int s = nextSearch.getAndIncrement(); s < rows * perRow; s = nextSearch.getAndIncrement()) {
                int i = s / perRow;
                RowRecord rec = records[i];
                if (!rec.sampled || rec.skipped) {
                    continue;
                }
                int k = (s % perRow) / knobs.length;
                long label = labels != null ? labels[(int) (first + i)] : -1;
                auditor.headroom(logits, i * classes, classes, label, targets, rec, k, knobs[s % knobs.length]);
            }
        }
    }
}
