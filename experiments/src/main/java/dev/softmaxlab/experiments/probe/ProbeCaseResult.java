package dev.softmaxlab.experiments.probe;

import java.util.List;

/**
 * A case and its results, one per path × precision in {@link ProbeConfig} order.
 *
 * @param input   the case
 * @param results paths outer, precisions inner
 */
public record ProbeCaseResult(ProbeCase input, List<ProbeResult> results) {

    public ProbeCaseResult {
        results = List.copyOf(results);
    }
}
