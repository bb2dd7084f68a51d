package dev.softmaxlab.experiments.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One path at one precision on a probe-grid row: the probe's numbers, and their errors against the reference, which
 * is the {@code fused} path evaluated in fp64 with the same loss options (core has no exact reference yet; the names
 * say which reference they use). Errors in ulps are in units of the last place of the reference rounded to the
 * evaluated format (core/NUMERICS.md, "Error measures"); an error is NaN when either side is non-finite.
 *
 * @param loss                            the row's loss
 * @param lossUlpsVsFp64Fused             |loss − reference loss| in ulps of the format
 * @param labelGradient                   dLoss/dz_label (p_label − 1 for a hard label)
 * @param labelGradientUlpsVsFp64Fused    |labelGradient − the reference's| in ulps of the format
 * @param maxAbsGradient                  max_j |dLoss/dz_j|; NaN if any entry is NaN
 * @param maxAbsGradientErrorVsFp64Fused  max_j |g_j − reference g_j|
 * @param totalNonFinite                  non-finite values in the loss and the gradient
 * @param events                          the evaluation's event counts
 */
@JsonPropertyOrder({"loss", "lossUlpsVsFp64Fused", "labelGradient", "labelGradientUlpsVsFp64Fused", "maxAbsGradient",
        "maxAbsGradientErrorVsFp64Fused", "totalNonFinite", "events"})
public record ProbeRowSummary(double loss, double lossUlpsVsFp64Fused, double labelGradient,
                              double labelGradientUlpsVsFp64Fused, double maxAbsGradient,
                              double maxAbsGradientErrorVsFp64Fused, long totalNonFinite, EventCounts events) {
}
