package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.numeric.CountedArithmetic;

/** The end of every path's evaluation: the reduction over rows, and the count of non-finite outputs. */
final class Reductions {

    private Reductions() {
    }

    /**
     * Sums the row losses (op {@code sum}, row -1: a batch-level op), divides the sum and every gradient entry by B
     * under {@code mean} (op {@code mean}), and counts the non-finite row losses and gradient entries.
     * Row losses themselves stay per row, undivided.
     */
    static void finish(CountedArithmetic ops, Reduction reduction, LossResult out) {
        int rows = out.rows();
        int size = rows * out.classes();
        double[] rowLosses = out.rowLosses();
        double[] grad = out.gradient();
        double total = ops.sum(rowLosses, 0, rows, -1, -1);
        if (reduction == Reduction.MEAN && rows > 1) {
            total = ops.div(total, rows, -1, -1);
            int classes = out.classes();
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < classes; j++) {
                    grad[i * classes + j] = ops.div(grad[i * classes + j], rows, i, j);
                }
            }
        }
        out.setLoss(total);
        out.events().countLoss(rowLosses, 0, rows);
        out.events().countGradient(grad, 0, size);
    }
}
