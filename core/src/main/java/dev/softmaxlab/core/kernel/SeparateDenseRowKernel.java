package dev.softmaxlab.core.kernel;

/**
 * One row of a separate path ({@link SeparateForm}) with a dense target q (a distribution, one-hot or soft, or a
 * label after label smoothing), uninstrumented: the same bits as the reference chain ({@code SeparateChain}:
 * {@code SoftmaxModule} and {@code ProbabilityCrossEntropyModule}, forward then backward) for every row it accepts.
 *
 * <p>The chain, per row of C classes (the softmax exactly as in {@link SeparateSparseRowKernel}):
 * <pre>
 *   t_j    = round(q_j)                     the target in the compute format
 *   p_j    = e_j / s
 *   loss   = 0 - Σ_j t_j log(clip(p_j))     left to right; every class takes part, also where t_j = 0
 *   g_j    = 0 - t_j / clip(p_j)            0 when clipped and p_j is outside [lo, hi]
 *   dot    = Σ_k p_k g_k                    left to right
 *   grad_j = p_j (g_j - dot)
 * </pre>
 * In a row the kernel accepts every p_j is a normal number, so a class with t_j = 0 adds 0·log p_j = ±0 to a sum
 * that starts at +0: the sum keeps its bits, and the kernel may skip that log (the one costly operation per class).
 * The clip's event is counted by the caller, as for sparse rows.
 */
public interface SeparateDenseRowKernel {

    /**
     * Forward and backward of one row.
     *
     * @param logits  [B, C] row-major, the row starts at base; not modified
     * @param base    offset of the row in logits, p and grad
     * @param q       [C] the row's target in double, before the rounding to the compute format (the kernel rounds
     *                it, and refuses the row when a t_j is subnormal); not modified
     * @param lo      the clip's lower bound ε in the compute format (read by the clipped form only)
     * @param hi      the clip's upper bound 1-ε in the compute format (read by the clipped form only)
     * @param p       [B, C] probabilities, the row at base is written (Modified)
     * @param grad    [B, C] gradient, the row at base is written, not yet scaled by the reduction (Modified)
     * @return the row's loss; or NaN, with garbage in the row of p and grad, when the row is not clean (the reference
     *         would count an event in it) and must be re-run through the instrumented reference
     */
    double denseRow(double[] logits, int base, int classes, double[] q, double lo, double hi, double[] p,
            double[] grad);
}
