package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.kernel.ClipCount;
import dev.softmaxlab.core.numeric.CountedArithmetic;
import dev.softmaxlab.core.numeric.NumericEvent;

/**
 * Cross-entropy of probabilities as an autodiff module of the separate paths, optionally after clipping p to
 * [ε, 1-ε] (Keras with from_logits=False). Forward loss = -Σ_j t_j log p_j; backward g_j = -t_j / p_j.
 *
 * <ul>
 *   <li>Sparse label y: gathers p_y, loss = -log p_y, g_y = -1/p_y and g is exactly 0 elsewhere.</li>
 *   <li>Dense target: every class takes part, including t_j = 0, so once some p_j is 0, 0·log 0 = NaN in the loss
 *       and 0/0 = NaN in g. That is what an elementwise framework does.</li>
 *   <li>Clipped: every p_j is clipped (counted as {@code clipped} when it was outside [ε, 1-ε]); the clip's backward
 *       passes g only where ε ≤ p_j ≤ 1-ε and gives 0 elsewhere.</li>
 * </ul>
 * ε and 1-ε are the given bounds rounded to the compute format (in fp16 and bf16, 1-1e-7 rounds to 1).
 *
 * <p>Class weights (PyTorch's {@code weight=}): a sparse row's loss is w_y·(-log p_y) and g_y = -w_y/p_y; a dense
 * target arrives already weighted (t_c = w_c·t_c, {@link RowTargets}), so the formulas above hold as written.
 */
final class ProbabilityCrossEntropyModule {

    private ProbabilityCrossEntropyModule() {
    }

    /**
     * @param p     probabilities, row at offset, not modified
     * @param label the sparse label, or -1 for the dense target t
     * @param t     [C] dense target, read when label &lt; 0
     * @param clip  whether to clip to [lo, hi]
     * @param head  the sparse label's weight w_y (applied when class weights are given)
     * @return the row's loss
     */
    static double forward(CountedArithmetic ops, double[] p, int offset, int classes, int label, double[] t,
            boolean clip, double lo, double hi, int row, HeadRow head) {
        if (clip) {
            ops.events().add(NumericEvent.CLIPPED, countClipped(p, offset, classes, lo, hi));
        }
        if (label >= 0) {
            double py = clipped(p[offset + label], clip, lo, hi);
            double nll = 0.0 - ops.log(py, row, label); // 0.0 - x: a loss of log 1 is +0, not -0
            return head.weighted ? ops.mul(head.labelWeight, nll, row, label) : nll;
        }
        double sum = 0.0;
        boolean termsFinite = true;
        for (int j = 0; j < classes; j++) {
            double pj = clipped(p[offset + j], clip, lo, hi);
            double term = ops.mul(t[j], ops.log(pj, row, j), row, j);
            termsFinite &= Math.abs(term) <= Double.MAX_VALUE;
            sum = ops.arithmetic().accumulate(sum, term);
        }
        return 0.0 - ops.endSum(sum, termsFinite, row, -1);
    }

    /**
     * g_j = -t_j / clip(p_j), masked to 0 by the clip's backward where p_j is outside [lo, hi].
     *
     * @param g [C] upstream gradient for the softmax, written
     */
    static void backward(CountedArithmetic ops, double[] p, int offset, int classes, int label, double[] t,
            boolean clip, double lo, double hi, int row, double[] g, HeadRow head) {
        if (label >= 0) {
            java.util.Arrays.fill(g, 0, classes, 0.0);
            double py = p[offset + label];
            // w_y = 1 without class weights: 1/p_y, the same bits as before weights existed
            g[label] = passes(py, clip, lo, hi)
                    ? 0.0 - ops.div(head.labelWeight, clipped(py, clip, lo, hi), row, label) : 0.0;
            return;
        }
        for (int j = 0; j < classes; j++) {
            double pj = p[offset + j];
            g[j] = passes(pj, clip, lo, hi) ? 0.0 - ops.div(t[j], clipped(pj, clip, lo, hi), row, j) : 0.0;
        }
    }

    /**
     * How many of p's row lie outside [lo, hi] (the {@code clipped} event; a NaN is not clipped). The fast kernels'
     * rows are counted here too.
     *
     * @param p probabilities, row at offset, not modified
     */
    static long countClipped(double[] p, int offset, int classes, double lo, double hi) {
        return ClipCount.outside(p, offset, classes, lo, hi);
    }

    private static double clipped(double p, boolean clip, double lo, double hi) {
        if (!clip) {
            return p;
        }
        return p < lo ? lo : (p > hi ? hi : p);
    }

    private static boolean passes(double p, boolean clip, double lo, double hi) {
        return !clip || (p >= lo && p <= hi) || p != p; // a NaN flows on as NaN, never masked away
    }
}
