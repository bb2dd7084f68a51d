package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.numeric.CountedArithmetic;
import dev.softmaxlab.core.precision.Precision;

/** The end of every path's evaluation: the reduction over rows, and the count of non-finite outputs. */
final class Reductions {

    private Reductions() {
    }

    /**
     * The batch loss: the row losses summed in the accumulation format and, under {@code mean}, divided by B in that
     * format, then rounded once to the compute format (op {@code sum}, row -1 and class -1: a batch-level op). This is
     * how mixed-precision frameworks reduce (an fp16 mean of 10,000 losses of 8 does not overflow at 65504 on the
     * way). Under {@code mean} every gradient entry is divided by B (op {@code div}). Row losses stay per row,
     * undivided. Then counts the non-finite row losses and gradient entries, and the reduced loss when it is
     * non-finite although every row loss is finite (under {@code none} only the row losses are outputs). A batch of
     * one row has nothing to reduce: its loss is the row's, and no batch-level op is counted.
     */
    static void finish(CountedArithmetic ops, Reduction reduction, LossResult out) {
        int rows = out.rows();
        int size = rows * out.classes();
        double[] rowLosses = out.rowLosses();
        double[] grad = out.gradient();
        boolean mean = reduction == Reduction.MEAN && rows > 1;
        boolean rowsFinite = allFinite(rowLosses, rows);
        double total;
        if (rows == 1) {
            // one row: the batch loss is that row's loss; no operation happens, so nothing is counted twice
            total = rowLosses[0];
        } else {
            double accumulated = ops.arithmetic().sumInAccumulation(rowLosses, 0, rows);
            if (mean) {
                accumulated = ops.arithmetic().roundAccumulate(accumulated / rows);
            }
            total = ops.endSum(accumulated, rowsFinite, -1, -1);
        }
        if (mean) {
            divideByRows(ops, grad, rows, out.classes());
        }
        out.setLoss(total);
        out.events().countLoss(rowLosses, 0, rows);
        if (rowsFinite && reduction != Reduction.NONE) {
            // the reduction itself overflowed (e.g. an fp16 sum past 65504): the reported loss is non-finite, count it
            out.events().countLoss(total);
        }
        out.events().countGradient(grad, 0, size);
    }

    /**
     * grad[i, j] = div(grad[i, j], B), counted. In fp64 and fp32 the quotient is formed directly and only an unusual
     * one (zero, subnormal, non-finite) goes through the counting division, which then counts exactly what it would
     * have counted (a usual quotient counts nothing); so the events, their order and every bit are those of calling
     * the counting division on every entry, without its per-entry precision dispatch.
     *
     * @param grad [B, C], modified
     */
    static void divideByRows(CountedArithmetic ops, double[] grad, int rows, int classes) {
        Precision compute = ops.compute();
        boolean fp64 = compute == Precision.FP64;
        if (!fp64 && compute != Precision.FP32) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < classes; j++) {
                    grad[i * classes + j] = ops.div(grad[i * classes + j], rows, i, j);
                }
            }
            return;
        }
        double b = rows;
        double minNormal = compute.minNormal();
        double maxFinite = compute.maxFinite();
        for (int i = 0; i < rows; i++) {
            int base = i * classes;
            for (int j = 0; j < classes; j++) {
                double g = grad[base + j];
                double r = fp64 ? g / b : (float) (g / b);
                double a = Math.abs(r);
                grad[base + j] = a >= minNormal && a <= maxFinite ? r : ops.div(g, rows, i, j);
            }
        }
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
