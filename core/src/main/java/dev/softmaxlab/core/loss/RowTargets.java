package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.numeric.CountedArithmetic;

/** The effective target of one row: a sparse label, or a dense distribution after label smoothing. */
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
     * Writes the row's dense target (1-α)·t + α/C into t[0..C), each value computed in double and rounded once to the
     * compute format (an input rounding: op {@code roundInput}). A sparse label with α > 0 becomes dense here.
     *
     * @param t [C], modified
     */
    static void fillDense(LossInput input, LossOptions options, int row, CountedArithmetic ops, double[] t) {
        int c = input.classes();
        double alpha = options.labelSmoothing();
        double uniform = alpha / c;
        if (input.targets() instanceof Targets.Sparse sparse) {
            int y = sparse.labels()[row];
            for (int j = 0; j < c; j++) {
                t[j] = ops.roundInput((j == y ? 1.0 - alpha : 0.0) + uniform, row, j);
            }
        } else {
            double[] values = ((Targets.Dense) input.targets()).values();
            int base = row * c;
            for (int j = 0; j < c; j++) {
                double v = values[base + j];
                t[j] = ops.roundInput(alpha == 0.0 ? v : (1.0 - alpha) * v + uniform, row, j);
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
