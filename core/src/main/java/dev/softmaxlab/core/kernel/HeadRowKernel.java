package dev.softmaxlab.core.kernel;

/**
 * The fast row kernel of a path built on {@code fused} ({@code fused-lowp-grad}, {@code double-softmax},
 * {@code fused-chunked}): a row with a sparse label ({@link #sparseRow}) or with a dense target ({@link #denseRow}),
 * uninstrumented, the gradient left for the batch end to divide. Either answers NaN for a row in which the path's
 * reference would count an event, and the path re-runs that row through its reference.
 */
public interface HeadRowKernel extends FusedSparseRowKernel {

    /**
     * Forward and backward of one row with a dense target of mass 1 (one-hot or soft), the gradient not yet scaled
     * by the reduction.
     *
     * @param logits  [B, C] row-major, the row starts at base; not modified
     * @param targets [B, C] the dense targets as given (rounded to the format here, as the reference rounds them);
     *                not modified
     * @param base    offset of the row in logits, targets, p and grad
     * @param p       [B, C] probabilities, the row at base is written (Modified)
     * @param grad    [B, C] gradient, the row at base is written, not yet scaled by the reduction (Modified)
     * @param scratch [{@link LaneSums#SCRATCH}] working memory, one per thread (Modified)
     * @return the row's loss; or NaN, with garbage in the row of p and grad, when the row must be re-run through the
     *         instrumented reference (something countable happens in it, a gradient entry cancels, or the kernel
     *         has no dense form at its precision)
     */
    double denseRow(double[] logits, double[] targets, int base, int classes, double[] p, double[] grad,
            double[] scratch);
}
