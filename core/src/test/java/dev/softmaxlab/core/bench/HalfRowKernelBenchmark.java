package dev.softmaxlab.core.bench;

import dev.softmaxlab.core.kernel.FusedSparseRowKernel;
import dev.softmaxlab.core.kernel.KernelProvider;
import dev.softmaxlab.core.kernel.LaneSums;
import dev.softmaxlab.core.kernel.SeparateForm;
import dev.softmaxlab.core.kernel.SeparateSparseRowKernel;
import dev.softmaxlab.core.precision.Precision;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The bf16 and fp16 row kernels alone (no evaluation around them), on 64 rows of 1000 classes, to measure what event
 * accounting costs: {@code clean} rows, where nothing is counted (bf16: logits in [-3, 3]; fp16: logits in [-1, 1],
 * none within 1e-3 of 0, so that every logit, exp, probability and gradient entry is a normal number of the format),
 * and {@code tail} rows, whose exps and probabilities fall below the format's normals and are counted (bf16: logits
 * in [-100, 0]; fp16: in [-3, 3], as {@code softmaxlab bench} draws them). It calls the kernels' plain entry points
 * ({@code finishedSparseRow}, {@code sparseRow}), which exist with and without the counting and do the same work as
 * the counting ones on a clean row, so the same class measures a build before the counting was added and one after.
 * The fused rows are finished for a sum (D = 1). Time is per row block: divide by 64 000 for ns per element.
 *
 * <pre>
 *   mvn -q -Pjmh -pl core test-compile exec:exec -Djmh.args="HalfRowKernelBenchmark -p rows=clean"
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class HalfRowKernelBenchmark {

    private static final int ROWS = 64;
    private static final int CLASSES = 1000;

    @Param({"fused", "separate"})
    public String path;

    @Param({"bf16", "fp16"})
    public String precision;

    @Param({"vector", "scalar"})
    public String variant;

    @Param({"clean", "tail"})
    public String rows;

    private final double[] logits = new double[ROWS * CLASSES];
    private final int[] labels = new int[ROWS];
    private final double[] p = new double[ROWS * CLASSES];
    private final double[] grad = new double[ROWS * CLASSES];
    private final double[] scratch = new double[LaneSums.SCRATCH];
    private FusedSparseRowKernel fused;
    private SeparateSparseRowKernel separate;
    private double lo;
    private double hi;

    @Setup
    public void setUp() {
        Precision f = Precision.fromId(precision);
        KernelProvider provider = variant.equals("vector") ? KernelProvider.vector().orElseThrow()
                : KernelProvider.scalar();
        fused = provider.fusedHalf(f);
        separate = provider.separateNarrow(f, SeparateForm.SHIFTED);
        lo = f.round(1e-7);
        hi = f.round(1 - 1e-7);
        SplittableRandom r = new SplittableRandom(42);
        boolean clean = rows.equals("clean");
        for (int k = 0; k < logits.length; k++) {
            double z;
            if (f == Precision.BF16) {
                z = clean ? 6 * r.nextDouble() - 3 : -100 * r.nextDouble();
            } else if (clean) {
                do {
                    z = 2 * r.nextDouble() - 1;
                } while (Math.abs(z) < 1e-3);
            } else {
                z = 6 * r.nextDouble() - 3;
            }
            logits[k] = z;
        }
        for (int i = 0; i < ROWS; i++) {
            labels[i] = r.nextInt(CLASSES);
        }
    }

    /** The sum of the 64 rows' losses (NaN when a row was refused: the tail rows before the counting existed). */
    @Benchmark
    public double rowBlock() {
        double sum = 0.0;
        for (int i = 0; i < ROWS; i++) {
            int base = i * CLASSES;
            sum += path.equals("fused")
                    ? fused.finishedSparseRow(logits, base, CLASSES, labels[i], null, grad, 1.0, scratch)
                    : separate.sparseRow(logits, base, CLASSES, labels[i], lo, hi, p, grad, scratch);
        }
        return sum;
    }
}
