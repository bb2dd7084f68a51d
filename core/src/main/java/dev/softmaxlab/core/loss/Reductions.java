package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.numeric.CountedArithmetic;
import dev.softmaxlab.core.numeric.NumericEvent;
import dev.softmaxlab.core.precision.Precision;

/**
 * The end of every path's evaluation: the reduction over rows, and the count of non-finite outputs. A path whose fast
 * kernel already scaled a row's gradient marks the row in {@link LossResult#finishedRows}, and the end skips it.
 */
final class Reductions {

    private Reductions() {
    }

    /** {@link #finish(CountedArithmetic, Reduction, LossResult, double)} with every row kept and weighing 1. */
    static void finish(CountedArithmetic ops, Reduction reduction, LossResult out) {
        out.setIgnoredRows(0);
        finish(ops, reduction, out, out.rows());
    }

    /**
     * {@link #finish(CountedArithmetic, Reduction, LossResult)} with the per-entry work of the batch end split across
     * threads: every row not yet finished whose divided gradient holds only normal numbers (the usual case) is
     * divided and marked finished on the threads ({@link #finishPlainRows}); the rest, in row order, as before.
     *
     * @param threads threads the rows are split across, at least 1 (1: all of it on this thread)
     */
    static void finishOnThreads(CountedArithmetic ops, Reduction reduction, LossResult out, int threads) {
        out.setIgnoredRows(0);
        int rows = out.rows();
        if (threads > 1) {
            Precision compute = ops.compute();
            if (compute == Precision.FP64 || compute == Precision.FP32) {
                double divisor = gradientDivisor(reduction, rows, rows);
                double[] grad = out.gradient();
                boolean[] finished = out.finishedRows();
                int classes = out.classes();
                ParallelRows.run(rows, threads, (from, to) -> finishPlainRows(compute, grad, classes, divisor,
                        from, to, finished, new double[classes]));
            }
        }
        finish(ops, reduction, out, rows);
    }

    /**
     * Rows [from, to) not yet finished whose every quotient grad[i, j]/divisor (rounded to the compute format) is a
     * normal number: their gradient is replaced by the quotients and they are marked finished. That is exactly what
     * {@link #divideByRows} would store for them, and neither it nor the non-finite count would count anything in
     * them (a normal quotient counts nothing, and it is finite), so finishing them here changes no bit, no count and
     * no order. A row with any other quotient (zero, subnormal, non-finite) is left untouched for the batch end.
     * With a divisor of 1 nothing is divided: a row whose entries are all normal is only marked, so that the batch
     * end skips its scan for non-finite entries.
     *
     * @param compute   fp64 or fp32
     * @param grad      [B, C], rows modified
     * @param finished  [B], modified
     * @param quotients [C] working memory of this range
     */
    static void finishPlainRows(Precision compute, double[] grad, int classes, double divisor, int from, int to,
            boolean[] finished, double[] quotients) {
        boolean fp64 = compute == Precision.FP64;
        double minNormal = compute.minNormal();
        double maxFinite = compute.maxFinite();
        for (int i = from; i < to; i++) {
            if (finished[i]) {
                continue;
            }
            int base = i * classes;
            if (divisor == 1.0) {
                finished[i] = allNormal(grad, base, classes, minNormal, maxFinite);
                continue;
            }
            boolean plain = fp64 ? quotientsFp64(grad, base, classes, divisor, quotients, minNormal, maxFinite)
                    : quotientsFp32(grad, base, classes, divisor, quotients, minNormal, maxFinite);
            if (plain) {
                System.arraycopy(quotients, 0, grad, base, classes);
                finished[i] = true;
            }
        }
    }

    /** Whether every grad[base + j], j in [0, C), is a normal number (a zero is not). */
    private static boolean allNormal(double[] grad, int base, int classes, double minNormal, double maxFinite) {
        boolean plain = true;
        for (int j = 0; j < classes; j++) {
            double a = Math.abs(grad[base + j]);
            plain &= a >= minNormal & a <= maxFinite;
        }
        return plain;
    }

    /** q_j = grad[base + j] / divisor for j in [0, C); whether every q_j is normal. */
    private static boolean quotientsFp64(double[] grad, int base, int classes, double divisor, double[] q,
            double minNormal, double maxFinite) {
        boolean plain = true;
        for (int j = 0; j < classes; j++) {
            double r = grad[base + j] / divisor;
            q[j] = r;
            double a = Math.abs(r);
            plain &= a >= minNormal & a <= maxFinite;
        }
        return plain;
    }

    /** q_j = fl32(grad[base + j] / divisor) for j in [0, C), rounded as {@link #divideByRows} does; all normal? */
    private static boolean quotientsFp32(double[] grad, int base, int classes, double divisor, double[] q,
            double minNormal, double maxFinite) {
        boolean plain = true;
        for (int j = 0; j < classes; j++) {
            double r = (float) (grad[base + j] / divisor);
            q[j] = r;
            double a = Math.abs(r);
            plain &= a >= minNormal & a <= maxFinite;
        }
        return plain;
    }

    /**
     * The batch loss: the row losses summed in the accumulation format and, under {@code mean}, divided by the
     * denominator D in that format, then rounded once to the compute format (op {@code sum}, row -1 and class -1: a
     * batch-level op). This is how mixed-precision frameworks reduce (an fp16 mean of 10,000 losses of 8 does not
     * overflow at 65504 on the way). Under {@code mean} every gradient entry is divided by D (op {@code div}). Row
     * losses stay per row, undivided. Then counts the non-finite row losses and gradient entries, and the reduced loss
     * when it is non-finite although every row loss is finite (under {@code none} only the row losses are outputs).
     * A batch of one row with D = 1 has nothing to reduce: its loss is the row's, and no batch-level op is counted.
     *
     * <p>D is B, or for sparse labels with an ignore index or class weights Σ_{kept i} w_{y_i} (PyTorch's
     * definition). D = 0 (every row ignored) makes the mean 0/0 = NaN, counted as {@code divByZero} and as a NaN
     * loss; the gradient then stays 0, as every row's is.
     *
     * @param denominator D, exact or in the accumulation format
     */
    static void finish(CountedArithmetic ops, Reduction reduction, LossResult out, double denominator) {
        int rows = out.rows();
        double[] rowLosses = out.rowLosses();
        double[] grad = out.gradient();
        boolean single = rows == 1 && denominator == 1.0;
        boolean mean = reduction == Reduction.MEAN && !single;
        boolean rowsFinite = allFinite(rowLosses, rows);
        double total;
        if (single) {
            // one row: the batch loss is that row's loss; no operation happens, so nothing is counted twice
            total = rowLosses[0];
        } else {
            double accumulated = ops.arithmetic().sumInAccumulation(rowLosses, 0, rows);
            if (mean) {
                if (denominator == 0.0) {
                    // every row ignored: PyTorch's mean is 0/0 = NaN; count it where it happens
                    ops.events().increment(NumericEvent.DIV_BY_ZERO);
                    ops.events().recordNonFinite("div", -1, -1);
                }
                accumulated = ops.arithmetic().roundAccumulate(accumulated / denominator);
            }
            total = ops.endSum(accumulated, rowsFinite, -1, -1);
            if (total != total) {
                // two NaN row losses of opposite sign bits meet in the sum, and which one survives depends on the
                // operand order the JIT picks: Java leaves a NaN's sign undefined, so the reduced NaN is the one NaN
                total = Double.NaN;
            }
        }
        boolean[] finished = out.finishedRows();
        if (mean && denominator != 0.0) {
            divideByRows(ops, grad, rows, out.classes(), denominator, finished);
        }
        out.setLoss(total);
        out.setDenominator(reduction == Reduction.MEAN ? denominator : 1.0);
        out.events().countLoss(rowLosses, 0, rows);
        if (rowsFinite && reduction != Reduction.NONE) {
            // the reduction itself overflowed (e.g. an fp16 sum past 65504): the reported loss is non-finite, count it
            out.events().countLoss(total);
        }
        int classes = out.classes();
        for (int i = 0; i < rows; i++) {
            if (!finished[i]) {
                out.events().countGradient(grad, i * classes, (i + 1) * classes);
            }
        }
    }

    /**
     * What {@link #finish} divides the gradient by: D under {@code mean}, unless the batch is one row with D = 1 or
     * D = 0; 1 when it does not divide. A kernel that finishes its rows itself ({@link LossResult#finishedRows})
     * divides them by this, which gives the bits of the division here (a row it finishes holds only zeros and normal
     * numbers, whose division by 1 is exact and counts nothing).
     */
    static double gradientDivisor(Reduction reduction, int rows, double denominator) {
        boolean single = rows == 1 && denominator == 1.0;
        return reduction == Reduction.MEAN && !single && denominator != 0.0 ? denominator : 1.0;
    }

    /**
     * grad[i, j] = div(grad[i, j], B), counted. In fp64 and fp32 the quotient is formed directly and only an unusual
     * one (zero, subnormal, non-finite) goes through the counting division, which then counts exactly what it would
     * have counted (a usual quotient counts nothing); so the events, their order and every bit are those of calling
     * the counting division on every entry, without its per-entry precision dispatch.
     *
     * @param grad [B, C], modified
     */
    static void divideByRows(CountedArithmetic ops, double[] grad, int rows, int classes, double divisor) {
        divideByRows(ops, grad, rows, classes, divisor, null);
    }

    /**
     * {@link #divideByRows(CountedArithmetic, double[], int, int, double)}, skipping the finished rows.
     *
     * @param finished [B] rows already divided, skipped (they hold no unusual quotient, so skipping them changes no
     *                 count and no order), or null for none; not modified
     */
    static void divideByRows(CountedArithmetic ops, double[] grad, int rows, int classes, double divisor,
            boolean[] finished) {
        Precision compute = ops.compute();
        boolean fp64 = compute == Precision.FP64;
        if (!fp64 && compute != Precision.FP32) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < classes && (finished == null || !finished[i]); j++) {
                    grad[i * classes + j] = ops.div(grad[i * classes + j], divisor, i, j);
                }
            }
            return;
        }
        double b = divisor;
        double minNormal = compute.minNormal();
        double maxFinite = compute.maxFinite();
        for (int i = 0; i < rows; i++) {
            if (finished != null && finished[i]) {
                continue;
            }
            int base = i * classes;
            for (int j = 0; j < classes; j++) {
                double g = grad[base + j];
                double r = fp64 ? g / b : (float) (g / b);
                double a = Math.abs(r);
                grad[base + j] = a >= minNormal && a <= maxFinite ? r : ops.div(g, divisor, i, j);
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
