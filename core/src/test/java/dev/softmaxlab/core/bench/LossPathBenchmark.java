package dev.softmaxlab.core.bench;

import dev.softmaxlab.core.loss.KernelChoice;
import dev.softmaxlab.core.loss.KernelVariant;
import dev.softmaxlab.core.loss.LossInput;
import dev.softmaxlab.core.loss.LossOptions;
import dev.softmaxlab.core.loss.LossPath;
import dev.softmaxlab.core.loss.LossPaths;
import dev.softmaxlab.core.loss.LossResult;
import dev.softmaxlab.core.loss.Targets;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
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
 * One forward+backward evaluation of a [rows, classes] batch with sparse labels, per path, precision and kernel
 * variant, so that a path's reference kernel and its fast kernels are measured side by side. Inputs are seeded in
 * {@link #setUp()}; the result buffers are reused, as in a training loop. A variant the path does not have runs its
 * reference; {@code vector} needs jdk.incubator.vector, which the fork adds.
 *
 * <p>Run with the {@code jmh} profile (from the repository root):
 * <pre>
 *   mvn -q -Pjmh -pl core test-compile exec:exec -Djmh.args="-p shape=4096x1000 -p precision=fp32 -wi 2 -i 5"
 * </pre>
 * Time is per evaluation; divide by rows × classes for ns per element ({@code softmaxlab bench} prints that).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class LossPathBenchmark {

    @Param({"fused", "separate", "separate-naive", "separate-clipped"})
    public String path;

    @Param({"fp64", "fp32"})
    public String precision;

    @Param({"4096x1000", "64x32000", "8x131072"})
    public String shape;

    @Param({"reference", "scalar", "vector"})
    public String variant;

    private LossPath lossPath;
    private PrecisionSpec spec;
    private LossInput input;
    private KernelChoice choice;
    private final LossResult out = new LossResult();

    @Setup
    public void setUp() {
        int x = shape.indexOf('x');
        int rows = Integer.parseInt(shape.substring(0, x));
        int classes = Integer.parseInt(shape.substring(x + 1));
        SplittableRandom random = new SplittableRandom(42);
        double[] logits = new double[rows * classes];
        for (int k = 0; k < logits.length; k++) {
            logits[k] = 6 * random.nextDouble() - 3;
        }
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = random.nextInt(classes);
        }
        input = new LossInput(logits, rows, classes, new Targets.Sparse(labels));
        lossPath = LossPaths.byId(path);
        spec = PrecisionSpec.of(Precision.fromId(precision));
        KernelVariant v = KernelVariant.valueOf(variant.toUpperCase(java.util.Locale.ROOT));
        choice = KernelChoice.of(lossPath.variants().contains(v) ? v : KernelVariant.REFERENCE);
    }

    @Benchmark
    public LossResult evaluate() {
        lossPath.evaluate(input, LossOptions.DEFAULTS, spec, out, choice);
        return out;
    }
}
