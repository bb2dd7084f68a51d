package dev.softmaxlab.experiments.probe;

import dev.softmaxlab.core.numeric.NumericEvents;
import dev.softmaxlab.core.precision.PrecisionSpec;
import dev.softmaxlab.experiments.report.ReferenceError;

/**
 * One path at one precision on one case.
 *
 * @param path           the path id
 * @param precision      compute and accumulation precision
 * @param loss           the row's loss
 * @param maxAbsGradient max_j |grad_j|; NaN if any gradient entry is NaN (a NaN is never hidden by a max)
 * @param gradient       dLoss/dlogits, [C]; null when not kept
 * @param probabilities  the path's softmax probabilities, [C]; null when not kept
 * @param events         this evaluation's events (a copy, owned by this result)
 * @param error          against the fp64 fused result on the logits rounded to this precision; null when not asked
 */
public record ProbeResult(String path, PrecisionSpec precision, double loss, double maxAbsGradient,
                          double[] gradient, double[] probabilities, NumericEvents events, ReferenceError error) {

    /** A result without the reference error. */
    public ProbeResult(String path, PrecisionSpec precision, double loss, double maxAbsGradient, double[] gradient,
                       double[] probabilities, NumericEvents events) {
        this(path, precision, loss, maxAbsGradient, gradient, probabilities, events, null);
    }

    /** max |g_j| over the first n entries; NaN if any is NaN. */
    static double maxAbs(double[] g, int n) {
        double max = 0;
        for (int j = 0; j < n; j++) {
            double a = Math.abs(g[j]);
            if (Double.isNaN(a)) {
                return Double.NaN;
            }
            if (a > max) {
                max = a;
            }
        }
        return max;
    }
}
