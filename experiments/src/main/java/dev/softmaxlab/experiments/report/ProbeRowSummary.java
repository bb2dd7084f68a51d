package dev.softmaxlab.experiments.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One path at one precision on a probe-grid row: the probe's numbers, and their errors against the exact reference
 * (core's double-double cross-entropy of the fp64 logits, with the label-smoothed target when label smoothing is on;
 * core/NUMERICS.md). Errors in ulps are in units of the last place of the reference rounded to the evaluated format;
 * an error is NaN when the path's value is not finite, and null when there is no exact reference for the row: a
 * logit that is not finite in fp64, or a loss option the exact reference does not model (any but label smoothing, and
 * the clip ε, chunk size and chunk carry, which are the clipped and chunked paths' own deviations and so part of
 * their error).
 *
 * @param loss                        the row's loss
 * @param lossUlpsVsExact             |loss − exact loss| in ulps of the format
 * @param labelGradient               dLoss/dz_label
 * @param labelGradientUlpsVsExact    |labelGradient − the exact one| in ulps of the format
 * @param labelGradientRelativeError  |labelGradient − g| / |g| for the exact one g (1 when labelGradient is 0, all
 *                                    digits lost; 0 over 0 is 0)
 * @param maxAbsGradient              max_j |dLoss/dz_j|; NaN if any entry is NaN
 * @param maxAbsGradientErrorVsExact  max_j |g_j − exact g_j|
 * @param totalNonFinite              non-finite values in the loss and the gradient
 * @param events                      the evaluation's event counts
 */
@JsonPropertyOrder({"loss", "lossUlpsVsExact", "labelGradient", "labelGradientUlpsVsExact",
        "labelGradientRelativeError", "maxAbsGradient",
        "maxAbsGradientErrorVsExact", "totalNonFinite", "events"})
public record ProbeRowSummary(double loss, Double lossUlpsVsExact, double labelGradient,
                              Double labelGradientUlpsVsExact, Double labelGradientRelativeError,
                              double maxAbsGradient,
                              Double maxAbsGradientErrorVsExact, long totalNonFinite, EventCounts events) {
}
