package dev.softmaxlab.core.kernel;

/**
 * One row of a separate path ({@link SeparateForm}) with a sparse label, uninstrumented: the same bits as the
 * reference chain ({@code SeparateChain}: {@code SoftmaxModule} and {@code ProbabilityCrossEntropyModule}, forward
 * then backward) for every row it accepts.
 *
 * <p>The chain, per row of C classes with label y (m = max_j z_j for the shifted forms, no m for the naive one):
 * <pre>
 *   e_j  = exp(z_j - m)                 e_j = exp(z_j) when naive
 *   s    = Σ_j e_j                      left to right, as the reference's plain sum
 *   p_j  = e_j / s
 *   loss = 0 - log(clip(p_y))           clip(p) = min(max(p, lo), hi) when clipped, else p
 *   g_y  = 0 - 1/clip(p_y)              0 when clipped and p_y is outside [lo, hi]; g_j = 0 for j ≠ y
 *   dot  = Σ_k p_k g_k = p_y g_y        the other terms are +0 and leave the sum unchanged
 *   grad_j = p_j (g_j - dot)
 * </pre>
 * The clip's event ({@code clipped}: how many p_j lie outside [lo, hi], {@link ClipCount}) is counted in the
 * kernel's pass by the clipped form: on a row it accepts, it leaves the count in
 * {@code scratch[}{@link ClipCount#SCRATCH_SLOT}{@code ]}.
 */
public interface SeparateSparseRowKernel {

    /**
     * Forward and backward of one row.
     *
     * @param logits  [B, C] row-major, the row starts at base; not modified
     * @param base    offset of the row in logits, p and grad
     * @param label   the sparse label, in [0, C)
     * @param lo      the clip's lower bound ε in the compute format (read by the clipped form only)
     * @param hi      the clip's upper bound 1-ε in the compute format (read by the clipped form only)
     * @param p       [B, C] probabilities, the row at base is written (Modified)
     * @param grad    [B, C] gradient, the row at base is written, not yet scaled by the reduction (Modified)
     * @param scratch [{@link LaneSums#SCRATCH}] working memory, one per thread (Modified); after an accepted row of
     *                the clipped form, {@code scratch[ClipCount.SCRATCH_SLOT]} is the row's clipped count
     * @return the row's loss; or NaN, with garbage in the row of p and grad, when the row is not clean (the reference
     *         would count an event in it) and must be re-run through the instrumented reference
     */
    double sparseRow(double[] logits, int base, int classes, int label, double lo, double hi, double[] p,
            double[] grad, double[] scratch);

    /**
     * {@link #sparseRow} that may also accept a row whose only events are finite ones ({@link RowEvents}: subnormal
     * results, exps that underflow to 0), computing those results as the reference does and leaving the row's counts
     * in {@code scratch[RowEvents.SUBNORMAL_SLOT]} and {@code scratch[RowEvents.EXP_UNDERFLOW_SLOT]} (and the clipped
     * form's clip count in its slot, as {@link #sparseRow}). Every row with a non-finite value is still refused, so
     * {@code firstNonFinite} stays the reference's. The default accepts only rows with no event, and leaves zero
     * counts.
     *
     * @return as {@link #sparseRow}; on an accepted row the counts are in scratch
     */
    default double countingSparseRow(double[] logits, int base, int classes, int label, double lo, double hi,
            double[] p, double[] grad, double[] scratch) {
        double loss = sparseRow(logits, base, classes, label, lo, hi, p, grad, scratch);
        RowEvents.clear(scratch);
        return loss;
    }
}
