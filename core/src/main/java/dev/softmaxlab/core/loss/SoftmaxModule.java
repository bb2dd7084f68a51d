package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.numeric.CountedArithmetic;

/**
 * The softmax as an autodiff module of the separate paths: forward p = softmax(z), backward
 * grad_j = p_j (g_j - Σ_k p_k g_k) from the upstream g = dL/dp. Every elementwise result is rounded to the compute
 * format and counted; sums accumulate in the accumulation format.
 */
final class SoftmaxModule {

    private SoftmaxModule() {
    }

    /**
     * p_j = exp(z_j - m) / Σ_k exp(z_k - m), m = max_j z_j starting from -∞; with {@code shift} false (the naive
     * softmax) m is not subtracted at all.
     *
     * @param z   [C] logits in the compute format, not modified
     * @param p   probabilities, the row at offset is written
     * @param lse where the max and the sum are recorded for the z-loss (max 0 without the shift), or null
     */
    static void forward(CountedArithmetic ops, double[] z, int classes, int row, boolean shift, double[] p,
            int offset, HeadRow lse) {
        double m = 0.0;
        if (shift) {
            m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) {
                m = Math.max(m, z[j]); // a NaN logit makes m NaN, as in a framework's max
            }
            for (int j = 0; j < classes; j++) {
                p[offset + j] = ops.exp(ops.sub(z[j], m, row, j), row, j);
            }
        } else {
            for (int j = 0; j < classes; j++) {
                p[offset + j] = ops.exp(z[j], row, j);
            }
        }
        double s = ops.sum(p, offset, offset + classes, row, -1);
        if (lse != null) {
            lse.softmaxSum(m, s);
        }
        for (int j = 0; j < classes; j++) {
            p[offset + j] = ops.div(p[offset + j], s, row, j);
        }
    }

    /**
     * grad_j = p_j · (g_j - Σ_k p_k g_k). Every class takes part in the dot product, also where g_k = 0, as an
     * elementwise framework computes it (so 0·∞ there is NaN).
     *
     * @param p    probabilities, row at offset, not modified
     * @param g    [C] upstream gradient dL/dp, not modified
     * @param grad gradient, row at offset written
     */
    static void backward(CountedArithmetic ops, double[] p, int offset, double[] g, int classes, int row,
            double[] grad, int gradOffset) {
        double dot = 0.0;
        boolean termsFinite = true;
        for (int k = 0; k < classes; k++) {
            double term = ops.mul(p[offset + k], g[k], row, k);
            termsFinite &= Math.abs(term) <= Double.MAX_VALUE;
            dot = ops.arithmetic().accumulate(dot, term);
        }
        dot = ops.endSum(dot, termsFinite, row, -1);
        for (int j = 0; j < classes; j++) {
            grad[gradOffset + j] = ops.mul(p[offset + j], ops.sub(g[j], dot, row, j), row, j);
        }
    }
}
