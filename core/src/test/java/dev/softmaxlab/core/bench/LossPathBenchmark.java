package dev.softmaxlab.core.bench;

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
 * One forward+backward evaluation of a [rows, classes] batch with sparse labels, per path and precision.
 * Inputs are seeded in {@link #setUp()}; the result buffers are reused, as in a training loop.
 *
 * <p>Run (from the repository root; the three jars are JMH 1.37 and its two dependencies from the local Maven
 * repository, which {@code mvn test-compile} has fetched):
 * <pre>
 *   mvn -q -o -pl core test-compile
 *   R=~/.m2/repository
 *   java -cp core/target/test-classes:core/target/classes:$R/org/openjdk/jmh/jmh-core/1.37/jmh-core-1.37.jar:$R/net/sf/jopt-simple/jopt-simple/5.0.4/jopt-simple-5.0.4.jar:$R/org/apache/commons/commons-math3/3.6.1/commons-math3-3.6.1.jar \
 *       org.openjdk.jmh.Main LossPathBenchmark -f 1 -wi 2 -i 3
 * </pre>
 * Add {@code -p classes=1000 -p precision=fp64} to narrow the grid.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LossPathBenchmark {

    @Param({"fused", "separate", "separate-naive", "separate-clipped"})
    public String path;

    @Param({"fp64", "fp32"})
    public String precision;

    @Param({"1000"})
    public int rows;

    @Param({"10", "1000"})
    public int classes;

    private LossPath lossPath;
    private PrecisionSpec spec;
    private LossInput input;
    private final LossResult out = new LossResult();

    @Setup
    public void setUp() {
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
    }

    @Benchmark
    public LossResult evaluate() {
        lossPath.evaluate(input, LossOptions.DEFAULTS, spec, out);
        return out;
    }
}
