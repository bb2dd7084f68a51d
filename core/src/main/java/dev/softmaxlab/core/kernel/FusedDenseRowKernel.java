package dev.softmaxlab.core.kernel;

/**
 * One row of the {@code fused} path with a dense target (a distribution: one-hot or soft), uninstrumented, with the
 * batch end folded in as in {@link FusedSparseRowKernel#finishedSparseRow}: the same bits as the reference
 * ({@code FusedSoftmaxCrossEntropy.row} with mass 1, then the batch end's division) for every row it accepts.
 */
public interface FusedDenseRowKernel {

    /**
     * Forward and backward of one row.
     *
     * @param logits  [B, C] row-major, the row starts at base; not modified
     * @param targets [B, C] the dense targets as given (rounded to the format here, as the reference rounds them);
     *                not modified
     * @param base    offset of the row in logits, targets, p and grad
     * @param p       [B, C] probabilities, the row at base is written (Modified); or null: e_j = exp(z_j - m) is
     *                then kept in grad's row and turned into the gradient in place
     * @param grad    [B, C] gradient, the row at base is written, divided by divisor (Modified)
     * @param divisor D ≥ 1, what the reduction divides the gradient by; 1 when it does not divide
     * @param scratch [{@link LaneSums#SCRATCH}] working memory, one per thread (Modified)
     * @return the row's loss; or NaN, with garbage in the row of p and grad, when the row must be re-run through the
     *         instrumented reference: something countable happens in it, or a gradient entry cancels (p_j ≈ t_j) and
     *         the reference takes it from the exact reference
     */
    double finishedDenseRow(double[] logits, double[] targets, int base, int classes, double[] p, double[] grad,
            double divisor, double[] scratch);
}
