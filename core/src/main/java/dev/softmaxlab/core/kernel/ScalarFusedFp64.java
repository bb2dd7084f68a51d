package dev.softmaxlab.core.kernel;

/**
 * The fast twin of {@code FusedSoftmaxCrossEntropy.row} for fp64 with sparse labels: the same operations in the same
 * order (so the same bits), with no per-operation event accounting. Instead one cheap check per row tells whether the
 * instrumented version would have counted anything; if so the row is rejected and the caller re-runs it through the
 * instrumented twin, which overwrites its outputs and counts its events. This is how counting stays off the fast path
 * (core/NUMERICS.md). {@code KernelVariantTest} holds the twins to identical bits and identical events.
 *
 * <p>A row is clean when every logit is finite and zero or normal, every exp(z_j - m) (j ≠ argmax) and every
 * probability is a finite normal number, and every other result is zero or a finite normal number: then no event
 * (underflow, subnormal, non-finite) can have happened.
 */
public final class ScalarFusedFp64 implements FusedSparseRowKernel {

    /** The one instance (stateless, thread-safe). */
    public static final ScalarFusedFp64 INSTANCE = new ScalarFusedFp64();

    private ScalarFusedFp64() {
    }

    /** {@link #finishedSparseRow} with divisor 1 and the probabilities kept. */
    @Override
    public double sparseRow(double[] logits, int base, int classes, int label, double[] p, double[] grad,
            double[] scratch) {
        return finishedSparseRow(logits, base, classes, label, p, grad, 1.0, scratch);
    }

    /**
     * One row: loss, probabilities (when p is not null) and the gradient divided by divisor; or NaN (and garbage in
     * the row's outputs) when the row is not clean, or a scaled gradient entry is subnormal, and the row must be
     * re-run instrumented.
     *
     * @param logits [B, C], the row at base, not modified
     * @param p      probabilities, row written at base; or null: e_j is then kept in grad's row
     * @param grad   gradient, row written at base
     */
    @Override
    public double finishedSparseRow(double[] logits, int base, int classes, int label, double[] p, double[] grad,
            double divisor, double[] scratch) {
        if (!(divisor >= 1.0)) {
            return Double.NaN; // the tests below rely on grad_j ≤ p_j ≤ 1
        }
        double m = Double.NEGATIVE_INFINITY;
        int argmax = -1;
        boolean clean = true;
        for (int j = 0; j < classes; j++) {
            double zj = logits[base + j];
            clean &= zeroOrNormal(zj);
            if (zj > m) {
                m = zj;
                argmax = j;
            }
        }
        if (!clean || argmax < 0) {
            return Double.NaN;
        }
        double[] e = p != null ? p : grad; // e_j = exp(z_j - m) is kept here until the last pass
        // e_j = exp(z_j - m) with the rounding error δ of z_j - m recovered (TwoSum) and applied: exp(d)·(1 + δ)
        double minE = Double.MAX_VALUE;
        for (int j = 0; j < classes; j++) {
            double ej;
            if (j == argmax) {
                ej = 1.0;
            } else {
                ej = shiftedExp(logits[base + j], m);
                minE = Math.min(minE, ej);
            }
            e[base + j] = ej;
        }
        if (!(minE >= Double.MIN_NORMAL)) {
            return Double.NaN;
        }
        // s' = Σ_{j≠argmax} e_j, compensated, in the reference's interleaved order
        double sPrime = LaneSums.compensatedSum(e, base, base + classes, base + argmax);
        double s = 1.0 + sPrime;
        double logS = StrictMath.log1p(sPrime);
        double d = m - logits[base + label];
        double loss = d + logS;
        clean = zeroOrNormal(sPrime) && zeroOrNormal(logS) && zeroOrNormal(d) && zeroOrNormal(loss);
        double restY = label == argmax ? sPrime : s - e[base + label];
        // p_j = e_j / s, then the batch end's g_j = p_j / D
        double inverse = ExactReciprocal.of(divisor);
        boolean multiply = inverse == inverse;
        double minPG = lastPass(e, p != null, grad, base, base + classes, s, multiply ? inverse : divisor, multiply);
        double gy = restY / s;
        double gLabel = 0.0 - gy;
        gLabel = multiply ? gLabel * inverse : gLabel / divisor;
        grad[base + label] = gLabel;
        if (!clean || !(minPG >= Double.MIN_NORMAL) || !zeroOrNormal(gy) || !zeroOrNormal(gLabel)) {
            return Double.NaN;
        }
        return loss;
    }

    /**
     * The last pass on [from, to): p_j = e_j / s, kept in e when keep, and grad_j = p_j / D, or p_j · (1/D) when
     * multiply (scale is then 1/D, else D: the same bits, see {@link ExactReciprocal}); returns the minimum of every
     * grad_j, which is also the minimum of the p_j's test (for D ≥ 1, grad_j = p_j / D rounds to at most p_j, so a
     * normal grad_j has a normal p_j). One loop per case: each stays a plain loop that C2 compiles well (JDK 17's
     * C2 crashed compiling the loop with the cases as branches inside).
     */
    private static double lastPass(double[] e, boolean keep, double[] grad, int from, int to, double s, double scale,
            boolean multiply) {
        double min = Double.MAX_VALUE;
        if (keep && multiply) {
            for (int j = from; j < to; j++) {
                double pj = e[j] / s;
                e[j] = pj;
                double g = pj * scale;
                grad[j] = g;
                min = Math.min(min, g);
            }
        } else if (keep) {
            for (int j = from; j < to; j++) {
                double pj = e[j] / s;
                e[j] = pj;
                double g = pj / scale;
                grad[j] = g;
                min = Math.min(min, g);
            }
        } else if (multiply) {
            for (int j = from; j < to; j++) {
                double g = e[j] / s * scale;
                e[j] = g;
                min = Math.min(min, g);
            }
        } else {
            for (int j = from; j < to; j++) {
                double g = e[j] / s / scale;
                e[j] = g;
                min = Math.min(min, g);
            }
        }
        return min;
    }

    /**
     * exp(a - m) with the rounding error δ of d = a - m recovered (TwoSum) and applied as exp(d) + exp(d)·δ: the
     * reference's shifted exponential in fp64 ({@code CountedArithmetic.expOfDifference}), bit for bit, including an
     * infinite d (whose NaN δ is not applied).
     */
    public static double shiftedExp(double a, double m) {
        double d = a - m;
        double bb = d - a;
        double delta = (a - (d - bb)) + (-m - bb);
        double ed = StrictMath.exp(d);
        return delta == delta ? ed + ed * delta : ed;
    }

    private static boolean zeroOrNormal(double x) {
        double a = Math.abs(x);
        return a == 0.0 || (a >= Double.MIN_NORMAL && a <= Double.MAX_VALUE);
    }
}
