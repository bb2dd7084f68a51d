package dev.softmaxlab.experiments.probe;

import dev.softmaxlab.core.loss.LossHead;
import dev.softmaxlab.core.loss.LossOptions;
import dev.softmaxlab.core.loss.LossPath;
import dev.softmaxlab.core.loss.LossPaths;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.List;
import java.util.Objects;

/**
 * What a probe evaluates each case through: every path at every precision, in the order given (paths outer,
 * precisions inner). Each case is a batch of one row, so the reduction does not change the numbers.
 *
 * @param paths      the paths, in report order
 * @param precisions compute and accumulation precision of each evaluation
 * @param accumulate the accumulation precision chosen for bf16/fp16 (recorded in the report's config)
 * @param options    the loss-head options (label smoothing, clip ε, ignore index, class weights, z-loss, softcap,
 *                   chunking); each path gets those it uses ({@link #heads()})
 * @param vectors    which per-class vectors the JSON carries
 */
public record ProbeConfig(List<LossPath> paths, List<PrecisionSpec> precisions, Precision accumulate,
                          LossOptions options, Vectors vectors) {

    /** The precisions a probe evaluates when none are chosen: every format (the one home of this default). */
    public static final List<Precision> DEFAULT_PRECISIONS = List.of(Precision.values());

    public ProbeConfig {
        paths = List.copyOf(paths);
        precisions = List.copyOf(precisions);
        Objects.requireNonNull(accumulate, "accumulate");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(vectors, "vectors");
        if (paths.isEmpty() || precisions.isEmpty()) {
            throw new IllegalArgumentException("a probe needs at least one path and one precision");
        }
        LossPaths.headsFor(paths, options); // refuses an option none of the paths uses
    }

    /** One head per path, in order, each with the options its path uses. */
    public List<LossHead> heads() {
        return LossPaths.headsFor(paths, options);
    }

    /** Evaluations per case: paths × precisions. */
    public int evaluationsPerCase() {
        return paths.size() * precisions.size();
    }
}
