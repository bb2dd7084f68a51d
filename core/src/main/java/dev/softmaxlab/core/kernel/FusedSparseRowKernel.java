package dev.softmaxlab.core.kernel;

/**
 * One row of the {@code fused} path with a sparse label, uninstrumented: the same bits as the reference
 * ({@code FusedSoftmaxCrossEntropy.row}, then the batch end's division of the gradient) for every row it accepts.
 */
public interface FusedSparseRowKernel {

    /**
     * Forward and backward of one row, the gradient not yet scaled by the reduction.
     *
     * @param logits [B, C] row-major, the row starts at base; not modified
     * @param base   offset of the row in logits, p and grad
     * @param label  the sparse label, in [0, C)
     * @param p      [B, C] probabilities, the row at base is written (Modified)
     * @param grad   [B, C] gradient, the row at base is written, not yet scaled by the reduction (Modified)
     * @param scratch [{@link LaneSums#SCRATCH}] working memory, one per thread (Modified)
     * @return the row's loss; or NaN, with garbage in the row of p and grad, when the row is not clean (the reference
     *         would count an event in it) and must be re-run through the instrumented reference
     */
    double sparseRow(double[] logits, int base, int classes, int label, double[] p, double[] grad, double[] scratch);

    /**
     * Forward and backward of one row with the batch end folded into the last pass: grad_j = (e_j / s) / D, the
     * reference's two roundings in the reference's order (the row's division, then the reduction's). A row it
     * accepts is finished: its gradient is scaled and holds only zeros and normal numbers, so the batch end has
     * nothing to divide and nothing to count there. A row whose scaled gradient would hold a subnormal is refused
     * too, so that the counted division of the batch end sees it.
     *
     * @param logits  [B, C] row-major, the row starts at base; not modified
     * @param base    offset of the row in logits, p and grad
     * @param label   the sparse label, in [0, C)
     * @param p       [B, C] probabilities, the row at base is written (Modified); or null when the caller does not
     *                want them: then e_j = exp(z_j - m) is kept in grad's row and turned into the gradient in place
     * @param grad    [B, C] gradient, the row at base is written, divided by divisor (Modified)
     * @param divisor D, what the reduction divides the gradient by ({@code Reductions.gradientDivisor}); 1 when it
     *                does not divide
     * @param scratch [{@link LaneSums#SCRATCH}] working memory, one per thread (Modified)
     * @return the row's loss (not divided); or NaN, with garbage in the row of p and grad, when the row must be
     *         re-run through the instrumented reference and finished by the batch end. The default, for kernels that
     *         only have {@link #sparseRow}, refuses every row unless divisor is 1 and p is given.
     */
    default double finishedSparseRow(double[] logits, int base, int classes, int label, double[] p, double[] grad,
            double divisor, double[] scratch) {
        // a kernel that does not fold the batch end in finishes nothing: it can only run the plain row, unscaled
        return divisor == 1.0 && p != null ? sparseRow(logits, base, classes, label, p, grad, scratch) : Double.NaN;
    }

    /**
     * {@link #finishedSparseRow} that may also accept a row whose only events are finite ones ({@link RowEvents}:
     * subnormal results, exps that underflow to 0), computing those results as the reference does and leaving the
     * row's counts in {@code scratch[RowEvents.SUBNORMAL_SLOT]} and {@code scratch[RowEvents.EXP_UNDERFLOW_SLOT]}:
     * the reference's counts for the row, the batch end's division of its gradient included (a row the kernel
     * finishes is not divided or counted again). Every row with a non-finite value is still refused, so
     * {@code firstNonFinite} stays the reference's. The caller adds the counts of each accepted row to the
     * evaluation's events. The default accepts only rows with no event, and leaves zero counts.
     *
     * @return as {@link #finishedSparseRow}; on an accepted row the counts are in scratch
     */
    default double countingFinishedSparseRow(double[] logits, int base, int classes, int label, double[] p,
            double[] grad, double divisor, double[] scratch) {
        double loss = finishedSparseRow(logits, base, classes, label, p, grad, divisor, scratch);
        RowEvents.clear(scratch);
        return loss;
    }
}
