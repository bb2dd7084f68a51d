package dev.softmaxlab.core.kernel;

import dev.softmaxlab.core.precision.Precision;

/**
 * The fast row kernel of a path built on {@code fused} ({@code fused-lowp-grad}, {@code double-softmax},
 * {@code fused-chunked}): a row with a sparse label ({@link #sparseRow}) or with a dense target ({@link #denseRow}),
 * uninstrumented, with the batch end's division of the gradient folded in as {@code fused}'s kernels fold it
 * ({@link FusedSparseRowKernel#finishedSparseRow}: a row it accepts is finished, its gradient divided by D and
 * holding only zeros and normal numbers). Either answers NaN for a row in which the path's reference (or the batch
 * end's counted division) would count an event, and the path re-runs that row through its reference.
 */
public interface HeadRowKernel extends FusedSparseRowKernel {

    /**
     * {@inheritDoc} Every head kernel implements it, with p given.
     */
    @Override
    double finishedSparseRow(double[] logits, int base, int classes, int label, double[] p, double[] grad,
            double divisor, double[] scratch);

    /**
     * Forward and backward of one row with a dense target of mass 1 (one-hot or soft), the batch end folded in as in
     * {@link #finishedSparseRow}.
     *
     * @param logits  [B, C] row-major, the row starts at base; not modified
     * @param targets [B, C] the dense targets as given (rounded to the format here, as the reference rounds them);
     *                not modified
     * @param base    offset of the row in logits, targets, p and grad
     * @param p       [B, C] probabilities, the row at base is written (Modified)
     * @param grad    [B, C] gradient, the row at base is written, divided by divisor (Modified)
     * @param divisor D ≥ 1, what the reduction divides the gradient by; 1 when it does not divide
     * @param scratch [{@link LaneSums#SCRATCH}] working memory, one per thread (Modified)
     * @return the row's loss; or NaN, with garbage in the row of p and grad, when the row must be re-run through the
     *         instrumented reference (something countable happens in it, a gradient entry cancels, or the kernel
     *         has no dense form at its precision)
     */
    double denseRow(double[] logits, double[] targets, int base, int classes, double[] p, double[] grad,
            double divisor, double[] scratch);

    /**
     * The batch end's division of a row's gradient, as the reference's counted division forms it:
     * grad_j = round(grad_j / D) in the format. Nothing to do when D is 1.
     *
     * @param grad [B, C] the row at base divided in place (Modified)
     * @return whether every quotient is zero or a finite normal number of the format (else the batch end would
     *         count it: the row is refused)
     */
    static boolean divide(double[] grad, int base, int classes, double divisor, Precision format) {
        if (divisor == 1.0) {
            return true;
        }
        double minNormal = format.minNormal();
        double maxFinite = format.maxFinite();
        boolean clean = true;
        for (int j = 0; j < classes; j++) {
            double q = format.round(grad[base + j] / divisor);
            double a = Math.abs(q);
            clean &= a == 0.0 || (a >= minNormal && a <= maxFinite);
            grad[base + j] = q;
        }
        return clean;
    }
}
