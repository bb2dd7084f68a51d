package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.numeric.CountedArithmetic;

/**
 * The effective target of one row: a sparse label with its class weight, or a dense target q after label smoothing
 * and class weights, as PyTorch's {@code F.cross_entropy} defines them (core/NUMERICS.md, "Loss-head options").
 */
final class RowTargets {

    private RowTargets() {
    }

    /** The row's label when the target is sparse in effect (sparse input, no smoothing), else -1. */
    static int sparseLabel(LossInput input, LossOptions options, int row) {
        if (options.labelSmoothing() == 0.0 && input.targets() instanceof Targets.Sparse sparse) {
            return sparse.labels()[row];
        }
        return -1;
    }

    /**
     * Fills the head's target part for a row that is not ignored. A sparse row without smoothing keeps its label and
     * weight w_y. Any other row gets the dense q of PyTorch's definition in t[0..C), each value computed in double
     * and rounded once to the compute format (op {@code roundInput}):
     * <pre>
     *   sparse y, smoothing α:  q_c = (1-α)·w_y·[c = y] + (α/C)·w_c
     *   dense t,  smoothing α:  q_c = w_c·((1-α)·t_c + α/C)
     * </pre>
     * so that the row's loss is Σ_c q_c·(-log p_c). Without class weights Σ q = 1 (the head's mass is 1, as for any
     * distribution); with them the mass is Σ_c q_c, accumulated and rounded like any sum.
     *
     * @param t [C], written when the target is dense in effect
     */
    static void fill(LossInput input, LossOptions options, int row, CountedArithmetic ops, double[] t, HeadRow head) {
        ClassWeights w = options.classWeights();
        head.weighted = !w.isUniform();
        head.label = sparseLabel(input, options, row);
        if (input.targets() instanceof Targets.Sparse sparse) {
            int y = sparse.labels()[row];
            head.labelWeight = head.weighted ? ops.roundInput(w.weight(y), row, y) : 1.0;
        } else {
            head.labelWeight = 1.0;
        }
        head.mass = 1.0;
        if (head.label >= 0) {
            return;
        }
        fillDense(input, options, row, ops, t);
        if (head.weighted) {
            head.mass = ops.sum(t, 0, input.classes(), row, -1);
        }
    }

    /**
     * Writes the row's dense target q into t[0..C) (see {@link #fill}), each value rounded to the compute format and
     * counted (op {@code roundInput}).
     *
     * @param t [C], modified
     */
    static void fillDense(LossInput input, LossOptions options, int row, CountedArithmetic ops, double[] t) {
        denseTarget(input, options, row, t);
        for (int j = 0; j < input.classes(); j++) {
            t[j] = ops.roundInput(t[j], row, j);
        }
    }

    /**
     * The row's dense target q in double, before the rounding to the compute format (see {@link #fill}). Without
     * class weights this is (1-α)·t + α/C, and a sparse label with α &gt; 0 becomes dense here. Counts nothing, so
     * the fast kernels call it from any thread; {@link #fillDense} rounds and counts these very values.
     *
     * @param q [C], modified
     */
    static void denseTarget(LossInput input, LossOptions options, int row, double[] q) {
        int c = input.classes();
        double alpha = options.labelSmoothing();
        double uniform = alpha / c;
        ClassWeights w = options.classWeights();
        if (input.targets() instanceof Targets.Sparse sparse) {
            int y = sparse.labels()[row];
            if (w.isUniform()) {
                for (int j = 0; j < c; j++) {
                    q[j] = (j == y ? 1.0 - alpha : 0.0) + uniform;
                }
            } else {
                double wy = w.weight(y);
                for (int j = 0; j < c; j++) {
                    q[j] = (j == y ? (1.0 - alpha) * wy : 0.0) + uniform * w.weight(j);
                }
            }
        } else {
            double[] values = ((Targets.Dense) input.targets()).values();
            int base = row * c;
            for (int j = 0; j < c; j++) {
                double v = values[base + j];
                double smoothed = alpha == 0.0 ? v : (1.0 - alpha) * v + uniform;
                q[j] = w.isUniform() ? smoothed : w.weight(j) * smoothed;
            }
        }
    }

    /** Rounds the row's logits to the compute format (op {@code roundInput}) into z[0..C). */
    static void roundLogits(LossInput input, int row, CountedArithmetic ops, double[] z) {
        int c = input.classes();
        double[] logits = input.logits();
        int base = row * c;
        for (int j = 0; j < c; j++) {
            z[j] = ops.roundInput(logits[base + j], row, j);
        }
    }
}
