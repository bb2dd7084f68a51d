package dev.softmaxlab.experiments.bench;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.core.loss.LossPath;
import dev.softmaxlab.core.loss.LossPaths;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.List;
import java.util.Objects;

/**
 * What {@code bench} times. The single home of its defaults is {@link #DEFAULTS}.
 *
 * @param shapes     the [B, C] shapes, at least one
 * @param paths      the loss paths, at least one
 * @param precisions the precisions (default accumulation), at least one
 * @param dense      dense one-hot targets instead of sparse labels
 * @param threads    rows are split across this many threads (≥ 1); results do not depend on it
 * @param variants   which kernels to time
 * @param warmup     untimed evaluations before timing (≥ 0)
 * @param iterations timed evaluations (≥ 1); with {@code seconds} the least number
 * @param seconds    when &gt; 0, keep timing each combination until this many seconds have passed
 * @param seed       the seed of the logits and labels
 */
public record BenchConfig(List<BenchShape> shapes, List<LossPath> paths, List<PrecisionSpec> precisions, boolean dense,
        int threads, Variants variants, int warmup, int iterations, double seconds, long seed) {

    /** Which kernels a bench times. */
    public enum Variants {
        /** The fastest variant this JVM runs (the reference where a path has no fast kernel). */
        FAST("fast"),
        /** The instrumented reference kernels. */
        REFERENCE("reference"),
        /** Both, side by side. */
        BOTH("both");

        private final String id;

        Variants(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        /** @throws InvalidInputException naming the value and the choices */
        public static Variants fromId(String id) {
            for (Variants v : values()) {
                if (v.id.equals(id)) {
                    return v;
                }
            }
            throw new InvalidInputException("--variant '" + id + "' is unknown: expected fast, reference or both");
        }
    }

    public static final BenchConfig DEFAULTS = new BenchConfig(
            List.of(new BenchShape(4096, 1000), new BenchShape(64, 32000), new BenchShape(8, 131072)),
            LossPaths.defaults(), List.of(PrecisionSpec.of(Precision.FP32), PrecisionSpec.of(Precision.FP64)), false, 1,
            Variants.FAST, 3, 10, 0.0, 42L);

    public BenchConfig {
        shapes = List.copyOf(shapes);
        paths = List.copyOf(paths);
        precisions = List.copyOf(precisions);
        Objects.requireNonNull(variants, "variants");
        if (shapes.isEmpty() || paths.isEmpty() || precisions.isEmpty()) {
            throw new InvalidInputException("bench needs at least one shape, one path and one precision");
        }
        if (threads < 1) {
            throw new InvalidInputException("--threads " + threads + ": must be at least 1");
        }
        if (warmup < 0) {
            throw new InvalidInputException("--warmup " + warmup + ": must be 0 or more, e.g. 3");
        }
        if (iterations < 1) {
            throw new InvalidInputException("--iterations " + iterations
                    + ": must be at least 1 (one timed evaluation), e.g. 10");
        }
        if (!(seconds >= 0.0 && seconds <= 86_400.0)) {
            throw new InvalidInputException("--seconds " + seconds + ": give a time between 0 and 86400, e.g. 2");
        }
    }
}
