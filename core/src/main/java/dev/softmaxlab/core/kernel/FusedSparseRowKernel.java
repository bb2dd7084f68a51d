package dev.softmaxlab.core.kernel;

/**
 * One row of the {@code fused} path with a sparse label, uninstrumented: the same bits as the reference
 * ({@code FusedSoftmaxCrossEntropy.row}) for every row it accepts.
 */
public interface FusedSparseRowKernel {

    /**
     * Forward and backward of one row.
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
}
