package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.numeric.CountedArithmetic;

/** The end of every path's evaluation: the reduction over rows, and the count of non-finite outputs. */
final class Reductions {

    private Reductions() {
    }

    /**
     * The batch loss: the row losses summed in the accumulation format and, under {@code mean}, divided by B in that
     * format, then rounded once to the compute format (op {@code sum}, row -1 and class -1: a batch-level op). This is
     * how mixed-precision frameworks reduce (an fp16 mean of 10,000 losses of 8 does not overflow at 65504 on the
     * way). Under {@code mean} every gradient entry is divided by B (op {@code div}). Row losses stay per row,
     * undivided. Then counts the non-finite row losses and gradient entries.
     */
    static void finish(CountedArithmetic ops, Reduction reduction, LossResult out) {
        int rows = out.rows();
        int size = rows * out.classes();
        double[] rowLosses = out.rowLosses();
        double[] grad = out.gradient();
        double accumulated = ops.arithmetic().sumInAccumulation(rowLosses, 0, rows);
        boolean mean = reduction == Reduction.MEAN && rows > 1;
        if (mean) {
            accumulated = ops.arithmetic().roundAccumulate(accumulated / rows);
        }
        double total = ops.endSum(accumulated, allFinite(rowLosses, rows), -1, -1);
        if (mean) {
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

    private static boolean allFinite(double[] values, int n) {
        for (int i = 0; i < n; i++) {
            if (!(Math.abs(values[i]) <= Double.MAX_VALUE)) {
                return false;
            }
        }
        return true;
    }
}
