package dev.softmaxlab.experiments.probe;

import java.util.List;

/**
 * A case and its results, one per path × precision in {@link ProbeConfig} order.
 *
 * @param input   the case
 * @param results paths outer, precisions inner
 * @param scale   the factor a {@link ScaleSweep} multiplied the logits by; NaN when the case is not from one
 */
public record ProbeCaseResult(ProbeCase input, List<ProbeResult> results, double scale) {

    public ProbeCaseResult {
        results = List.copyOf(results);
    }

    public ProbeCaseResult(ProbeCase input, List<ProbeResult> results) {
        this(input, results, Double.NaN);
    }

    /** This result as case {@code i} of {@code sweep}. */
    public ProbeCaseResult scaled(ScaleSweep sweep) {
        return new ProbeCaseResult(input, results, sweep.factor(input.index()));
    }
}
