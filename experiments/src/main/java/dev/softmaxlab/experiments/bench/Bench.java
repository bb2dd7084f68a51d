package dev.softmaxlab.experiments.bench;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.core.kernel.KernelProvider;
import dev.softmaxlab.core.loss.KernelChoice;
import dev.softmaxlab.core.loss.KernelVariant;
import dev.softmaxlab.core.loss.LossInput;
import dev.softmaxlab.core.loss.LossOptions;
import dev.softmaxlab.core.loss.LossPath;
import dev.softmaxlab.core.loss.LossResult;
import dev.softmaxlab.core.loss.Targets;
import dev.softmaxlab.core.numeric.NumericEvent;
import dev.softmaxlab.core.precision.PrecisionSpec;
import dev.softmaxlab.experiments.report.Provenance;
import dev.softmaxlab.experiments.report.ToolInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Times the loss paths on seeded logits: first the bit check of every fast kernel against its reference on a sample
 * of rows, then, per shape, precision, path and kernel, {@code warmup} untimed evaluations and {@code iterations}
 * timed ones (forward plus backward, {@code mean} reduction, every option at its default). Logits are uniform in
 * [-3, 3), so nothing overflows or underflows: the timings are those of the clean path, where no event is counted.
 * A combination the path has no fast kernel for ({@link LossPath#kernelFor}) is timed, and reported, as
 * {@code reference}, and has no bit check.
 */
public final class Bench {

    /** Rows compared in the bit check: spread over the batch, at most this many. */
    static final int SAMPLE_ROWS = 32;
    /** The buffers of one shape must fit in this share of the heap. */
    static final double HEAP_SHARE = 0.8;

    private Bench() {
    }

    /**
     * Refuses, before anything runs, a shape whose buffers would not fit in the heap.
     *
     * @param maxHeap the heap the JVM may use, in bytes
     * @throws InvalidInputException naming the shape, the memory it needs and the -Xmx that would do
     */
    public static void checkMemory(BenchConfig config, long maxHeap) {
        for (BenchShape shape : config.shapes()) {
            long need = bytesNeeded(shape, config.dense());
            if (need > HEAP_SHARE * maxHeap) {
                long gib = (long) Math.ceil(need / HEAP_SHARE / (1L << 30)) + 1;
                throw new InvalidInputException("--shape " + shape + " needs about " + gigabytes(need)
                        + " of heap (logits, probabilities and gradient" + (config.dense() ? ", dense targets" : "")
                        + " of " + shape.elements()
                        + " elements) but the JVM may use " + gigabytes(maxHeap) + ": use a smaller shape, or give the"
                        + " JVM more heap with -Xmx" + gib + "g (JAVA_OPTS=-Xmx" + gib + "g softmaxlab bench ...)");
            }
        }
    }

    /** Logits, probabilities and gradient (8 bytes an element), dense targets, and the per-row and per-class rest. */
    static long bytesNeeded(BenchShape shape, boolean dense) {
        return shape.elements() * 8L * (dense ? 4 : 3) + 16L * shape.rows() + 32L * shape.classes();
    }

    /**
     * Runs the benchmark.
     *
     * @param progress hears one line per step (for a progress display), may be ignored
     */
    public static BenchReport run(BenchConfig config, Provenance provenance, Consumer<String> progress) {
        checkMemory(config, Runtime.getRuntime().maxMemory());
        KernelProvider provider = KernelProvider.getInstance();
        BenchReport.Kernels kernels = new BenchReport.Kernels(provider.name(), KernelProvider.choice());
        BenchReport.Settings settings = new BenchReport.Settings(
                config.shapes().stream().map(BenchShape::toString).toList(),
                config.paths().stream().map(LossPath::id).toList(),
                config.precisions().stream().map(p -> p.compute().id()).toList(),
                config.dense() ? "dense" : "sparse", config.threads(), config.variants().id(), config.warmup(),
                config.iterations(), config.seconds(), config.seed());
        List<BenchReport.BitCheck> checks = new ArrayList<>();
        for (BenchShape shape : config.shapes()) {
            LossInput sample = input(shape, config, Math.min(shape.rows(), SAMPLE_ROWS));
            for (PrecisionSpec precision : config.precisions()) {
                for (LossPath path : config.paths()) {
                    KernelVariant fast = fastVariant(path, sample, precision);
                    if (fast != KernelVariant.REFERENCE && config.variants() != BenchConfig.Variants.REFERENCE) {
                        checks.add(bitCheck(shape, sample, precision, path, fast, config.threads()));
                    }
                }
            }
        }
        if (!checks.stream().allMatch(BenchReport.BitCheck::identical)) {
            return new BenchReport(BenchReport.SCHEMA, ToolInfo.current(), provenance, kernels, settings, checks,
                    List.of());
        }
        List<Timing> timings = new ArrayList<>();
        for (BenchShape shape : config.shapes()) {
            LossInput input = input(shape, config, shape.rows());
            for (PrecisionSpec precision : config.precisions()) {
                for (LossPath path : config.paths()) {
                    KernelVariant fast = fastVariant(path, input, precision);
                    for (KernelVariant kernel : kernels(fast, config.variants())) {
                        progress.accept("timing " + shape + " " + precision.compute().id() + " " + path.id() + " "
                                + kernel.id());
                        // a fresh result per combination, without probabilities (as training runs): its working
                        // memory is then this path's own, measured rather than estimated
                        LossResult out = LossResult.withoutProbabilities();
                        timings.add(time(shape, input, out, precision, path, kernel, fast, config));
                    }
                }
            }
        }
        List<BenchReport.Result> results = new ArrayList<>();
        for (Timing t : timings) {
            Double ratio = null;
            for (Timing f : timings) {
                if (f.path.equals("fused") && f.shape.equals(t.shape) && f.precision.equals(t.precision)
                        && f.fast == t.fast) {
                    ratio = t.median / f.median;
                }
            }
            results.add(new BenchReport.Result(t.shape.toString(), t.shape.rows(), t.shape.classes(), t.precision,
                    t.path, t.kernel, config.threads(), t.evaluations, t.median, t.min, t.max,
                    t.bytesMoved / (t.median * t.shape.elements()), t.extraBytes, ratio));
        }
        return new BenchReport(BenchReport.SCHEMA, ToolInfo.current(), provenance, kernels, settings, checks, results);
    }

    /**
     * The kernel the path's fastest variant in this JVM runs on this input at this precision (every option at its
     * default): the provider's, or its reference when the path has no fast kernel for them.
     */
    static KernelVariant fastVariant(LossPath path, LossInput input, PrecisionSpec precision) {
        KernelVariant fastest = KernelVariant.fastest();
        return path.variants().contains(fastest)
                ? path.kernelFor(input, LossOptions.DEFAULTS, precision, fastest) : KernelVariant.REFERENCE;
    }

    private static List<KernelVariant> kernels(KernelVariant fast, BenchConfig.Variants variants) {
        return switch (variants) {
            case FAST -> List.of(fast);
            case REFERENCE -> List.of(KernelVariant.REFERENCE);
            case BOTH -> fast == KernelVariant.REFERENCE ? List.of(fast) : List.of(fast, KernelVariant.REFERENCE);
        };
    }

    /** Seeded logits uniform in [-3, 3) and labels (or their one-hot rows), the first {@code rows} rows of shape. */
    static LossInput input(BenchShape shape, BenchConfig config, int rows) {
        int classes = shape.classes();
        SplittableRandom random = new SplittableRandom(config.seed());
        int[] labels = new int[shape.rows()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = random.nextInt(classes);
        }
        // the sample takes rows spread over the batch, so a check sees its start, middle and end
        int[] rowIndex = new int[rows];
        for (int k = 0; k < rows; k++) {
            rowIndex[k] = (int) ((long) k * shape.rows() / rows);
        }
        double[] logits = new double[Math.multiplyExact(rows, classes)];
        for (int k = 0; k < rows; k++) {
            SplittableRandom rowRandom = new SplittableRandom(config.seed() * 31 + rowIndex[k]);
            for (int j = 0; j < classes; j++) {
                logits[k * classes + j] = 6 * rowRandom.nextDouble() - 3;
            }
        }
        int[] picked = new int[rows];
        for (int k = 0; k < rows; k++) {
            picked[k] = labels[rowIndex[k]];
        }
        if (!config.dense()) {
            return new LossInput(logits, rows, classes, new Targets.Sparse(picked));
        }
        double[] t = new double[logits.length];
        for (int k = 0; k < rows; k++) {
            t[k * classes + picked[k]] = 1.0;
        }
        return new LossInput(logits, rows, classes, new Targets.Dense(t));
    }

    static BenchReport.BitCheck bitCheck(BenchShape shape, LossInput sample, PrecisionSpec precision, LossPath path,
            KernelVariant fast, int threads) {
        LossResult reference = new LossResult();
        LossResult candidate = new LossResult();
        path.evaluate(sample, LossOptions.DEFAULTS, precision, reference, KernelChoice.of(KernelVariant.REFERENCE));
        path.evaluate(sample, LossOptions.DEFAULTS, precision, candidate, new KernelChoice(fast, threads));
        String difference = firstDifference(reference, candidate, sample.rows() * sample.classes());
        if (difference == null) {
            // what is timed: the fast variant without probabilities
            LossResult lean = LossResult.withoutProbabilities();
            path.evaluate(sample, LossOptions.DEFAULTS, precision, lean, new KernelChoice(fast, threads));
            difference = firstDifference(reference, lean, sample.rows() * sample.classes());
        }
        return new BenchReport.BitCheck(shape.toString(), precision.compute().id(), path.id(), fast.id(),
                sample.rows(), difference == null, difference);
    }

    /**
     * Where two results first differ in a bit or an event, or null when they are identical; the probabilities are
     * compared when both results keep them.
     */
    static String firstDifference(LossResult a, LossResult b, int size) {
        if (Double.doubleToRawLongBits(a.loss()) != Double.doubleToRawLongBits(b.loss())) {
            return "loss: " + a.loss() + " vs " + b.loss();
        }
        for (int i = 0; i < a.rows(); i++) {
            if (Double.doubleToRawLongBits(a.rowLosses()[i]) != Double.doubleToRawLongBits(b.rowLosses()[i])) {
                return "row loss " + i + ": " + a.rowLosses()[i] + " vs " + b.rowLosses()[i];
            }
        }
        for (int k = 0; k < size; k++) {
            if (a.keepsProbabilities() && b.keepsProbabilities()
                    && Double.doubleToRawLongBits(a.probabilities()[k]) != Double.doubleToRawLongBits(b.probabilities()[k])) {
                return "probability " + k + ": " + a.probabilities()[k] + " vs " + b.probabilities()[k];
            }
            if (Double.doubleToRawLongBits(a.gradient()[k]) != Double.doubleToRawLongBits(b.gradient()[k])) {
                return "gradient " + k + ": " + a.gradient()[k] + " vs " + b.gradient()[k];
            }
        }
        for (NumericEvent e : NumericEvent.values()) {
            if (a.events().count(e) != b.events().count(e)) {
                return e.id() + ": " + a.events().count(e) + " vs " + b.events().count(e);
            }
        }
        if (!Objects.equals(a.events().firstNonFinite(), b.events().firstNonFinite())
                || a.events().totalNonFinite() != b.events().totalNonFinite()) {
            return "non-finite outputs differ";
        }
        return null;
    }

    /** One combination's figures; extraBytes is what its result held beyond the gradient ({@code workingBytes}). */
    private record Timing(BenchShape shape, String precision, String path, String kernel, boolean fast,
            int evaluations, double median, double min, double max, double bytesMoved, long extraBytes) {
    }

    private static Timing time(BenchShape shape, LossInput input, LossResult out, PrecisionSpec precision,
            LossPath path, KernelVariant kernel, KernelVariant fast, BenchConfig config) {
        KernelChoice choice = new KernelChoice(kernel, config.threads());
        for (int i = 0; i < config.warmup(); i++) {
            path.evaluate(input, LossOptions.DEFAULTS, precision, out, choice);
        }
        double[] ns = new double[Math.max(16, config.iterations())];
        int n = 0;
        long deadline = System.nanoTime() + (long) (config.seconds() * 1e9);
        while (n < config.iterations() || (config.seconds() > 0 && System.nanoTime() < deadline)) {
            long t0 = System.nanoTime();
            path.evaluate(input, LossOptions.DEFAULTS, precision, out, choice);
            long t1 = System.nanoTime();
            if (n == ns.length) {
                ns = Arrays.copyOf(ns, 2 * n);
            }
            ns[n++] = (t1 - t0) / (double) shape.elements();
        }
        double[] sorted = Arrays.copyOf(ns, n);
        Arrays.sort(sorted);
        double median = n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
        // logits read and gradient written (dense targets read too), and the result's working memory, which a path
        // touches at least once (the probabilities, for the paths that form them)
        double bytes = shape.elements() * 8.0 * (config.dense() ? 3 : 2) + out.workingBytes();
        // the fast group: what a user runs by default (a path without a fast kernel is there with its reference)
        boolean fastGroup = config.variants() != BenchConfig.Variants.REFERENCE
                && (kernel != KernelVariant.REFERENCE || fast == KernelVariant.REFERENCE);
        return new Timing(shape, precision.compute().id(), path.id(), kernel.id(), fastGroup, n, median, sorted[0],
                sorted[n - 1], bytes, out.workingBytes());
    }

    private static String gigabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }
}
