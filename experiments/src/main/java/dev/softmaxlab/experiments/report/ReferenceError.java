package dev.softmaxlab.experiments.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * How far a path's loss and logit gradient are from the reference: the fp64 {@code fused} result on the same logits
 * rounded to the path's precision (core/NUMERICS.md, "Error against a reference"). A non-finite path value gives a
 * non-finite error, which is reported, not hidden.
 *
 * @param lossAbs              |loss - ref|
 * @param lossRel              |loss - ref| / |ref| (Infinity when ref = 0 and loss differs, 0 when both are 0)
 * @param lossUlps             |loss - ref| in ulps of the path's precision at ref
 * @param gradientMaxAbs       max_i |g_i - ref_i|
 * @param gradientRel          ||g - ref||₂ / ||ref||₂
 * @param gradientCosine       cosine similarity of g and ref (NaN when either is all zero or non-finite)
 */
@JsonPropertyOrder({"lossAbs", "lossRel", "lossUlps", "gradientMaxAbs", "gradientRel", "gradientCosine"})
public record ReferenceError(double lossAbs, double lossRel, double lossUlps, double gradientMaxAbs,
                             double gradientRel, double gradientCosine) {
}
