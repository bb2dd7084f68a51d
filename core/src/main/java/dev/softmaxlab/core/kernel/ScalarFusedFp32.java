package dev.softmaxlab.core.kernel;

import dev.softmaxlab.core.precision.NarrowStrictMath;
import dev.softmaxlab.core.precision.Precision;

/**
 * The fast twin of {@code FusedSoftmaxCrossEntropy.row} for fp32 (computed and accumulated in fp32) with sparse
 * labels: the same operations in the same order in Java float arithmetic (so the same bits: a float operation equals
 * the double operation on the same floats rounded once to float), with no per-operation event accounting. As in
 * {@link ScalarFusedFp64}, one cheap check per row tells whether the instrumented version would have counted
 * anything; if so the row is rejected and the caller re-runs it instrumented. {@code KernelVariantTest} holds the
 * twins to identical bits and identical events.
 *
 * <p>Why it exists: the instrumented row pays a precision dispatch and an event test on every operation, which in fp32
 * costs more than the arithmetic; benchmarks measure the clean rows, where nothing is counted.
 *
 * <p>A row is clean when every logit rounds to a finite float that is zero or normal, every exp(z_j - m) (j ≠ argmax)
 * and every probability is a normal float, and every other result is zero or a normal float.
 */
public final class ScalarFusedFp32 implements FusedSparseRowKernel {

    /** The one instance (stateless, thread-safe). */
    public static final ScalarFusedFp32 INSTANCE = new ScalarFusedFp32();

    private ScalarFusedFp32() {
    }

    /** {@link #finishedSparseRow} with divisor 1 and the probabilities kept. */
    @Override
    public double sparseRow(double[] logits, int base, int classes, int label, double[] p, double[] grad,
            double[] scratch) {
        return finishedSparseRow(logits, base, classes, label, p, grad, 1.0, scratch);
    }

    /**
     * One row: loss, probabilities (when p is not null) and the gradient divided by divisor (each a float value held
     * in a double); or NaN (and garbage in the row's outputs) when the row is not clean, or a scaled gradient entry
     * is subnormal, and the row must be re-run instrumented.
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
        float m = Float.NEGATIVE_INFINITY;
        int argmax = -1;
        boolean clean = true;
        for (int j = 0; j < classes; j++) {
            float zj = (float) logits[base + j];
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
        // e_j = exp(z_j - m): the difference of two floats is exact in double, then exp is rounded once to float
        float minE = Float.MAX_VALUE;
        for (int j = 0; j < classes; j++) {
            float ej;
            if (j == argmax) {
                ej = 1.0f;
            } else {
                ej = (float) NarrowStrictMath.exp((double) (float) logits[base + j] - m, Precision.FP32);
                minE = Math.min(minE, ej);
            }
            e[base + j] = ej;
        }
        if (!(minE >= Float.MIN_NORMAL)) {
            return Double.NaN;
        }
        // s' = Σ_{j≠argmax} e_j, compensated, in the reference's interleaved order
        float sPrime = LaneSums.compensatedSumFloat(e, base, base + classes, base + argmax);
        float s = 1.0f + sPrime;
        float logS = (float) StrictMath.log1p(sPrime);
        float d = m - (float) logits[base + label];
        float loss = d + logS;
        clean = zeroOrNormal(sPrime) && zeroOrNormal(logS) && zeroOrNormal(d) && zeroOrNormal(loss);
        float restY = label == argmax ? sPrime : s - (float) e[base + label];
        // p_j = e_j / s in float, then the batch end's g_j = p_j / D rounded to float (the batch end divides so: in
        // double, rounded once)
        double inverse = ExactReciprocal.of(divisor);
        boolean multiply = inverse == inverse;
        double minPG = lastPass(e, p != null, grad, base, base + classes, s, multiply ? inverse : divisor, multiply);
        float gy = restY / s;
        double gLabel = 0.0 - gy;
        gLabel = (float) (multiply ? gLabel * inverse : gLabel / divisor);
        grad[base + label] = gLabel;
        if (!clean || !(minPG >= Float.MIN_NORMAL) || !zeroOrNormal(gy) || !zeroOrNormal(restY)
                || !zeroOrNormal((float) gLabel)) {
            return Double.NaN;
        }
        return loss;
    }

    /**
     * The last pass on [from, to), as {@code ScalarFusedFp64.lastPass} in float: p_j = e_j / s in float, kept in e
     * when keep, grad_j = p_j / D (or p_j · (1/D) when multiply) in double rounded to float; returns the minimum of
     * every grad_j (for D ≥ 1 a normal grad_j has a normal p_j).
     */
    private static double lastPass(double[] e, boolean keep, double[] grad, int from, int to, float s, double scale,
            boolean multiply) {
        double min = Double.MAX_VALUE;
        if (keep && multiply) {
            for (int j = from; j < to; j++) {
                float pj = (float) e[j] / s;
                e[j] = pj;
                double g = (float) (pj * scale);
                grad[j] = g;
                min = Math.min(min, g);
            }
        } else if (keep) {
            for (int j = from; j < to; j++) {
                float pj = (float) e[j] / s;
                e[j] = pj;
                double g = (float) (pj / scale);
                grad[j] = g;
                min = Math.min(min, g);
            }
        } else if (multiply) {
            for (int j = from; j < to; j++) {
                double g = (float) (((float) e[j] / s) * scale);
                e[j] = g;
                min = Math.min(min, g);
            }
        } else {
            for (int j = from; j < to; j++) {
                double g = (float) (((float) e[j] / s) / scale);
                e[j] = g;
                min = Math.min(min, g);
            }
        }
        return min;
    }

    private static boolean zeroOrNormal(float x) {
        float a = Math.abs(x);
        return a == 0.0f || (a >= Float.MIN_NORMAL && a <= Float.MAX_VALUE);
    }
}
