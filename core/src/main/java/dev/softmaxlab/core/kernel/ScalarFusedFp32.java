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

    /**
     * One row: loss, probabilities and unscaled gradient (each a float value held in a double); or NaN (and garbage in
     * the row's outputs) when the row is not clean and must be re-run instrumented.
     *
     * @param logits [B, C], the row at base, not modified
     * @param p      probabilities, row written at base
     * @param grad   gradient, row written at base
     */
    @Override
    public double sparseRow(double[] logits, int base, int classes, int label, double[] p, double[] grad,
            double[] scratch) {
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
        // e_j = exp(z_j - m): the difference of two floats is exact in double, then exp is rounded once to float
        float minE = Float.MAX_VALUE;
        for (int j = 0; j < classes; j++) {
            float e;
            if (j == argmax) {
                e = 1.0f;
            } else {
                e = (float) NarrowStrictMath.exp((double) (float) logits[base + j] - m, Precision.FP32);
                minE = Math.min(minE, e);
            }
            p[base + j] = e;
        }
        if (!(minE >= Float.MIN_NORMAL)) {
            return Double.NaN;
        }
        // s' = Σ_{j≠argmax} e_j, compensated, in the reference's interleaved order
        float sPrime = LaneSums.compensatedSumFloat(p, base, base + classes, base + argmax);
        float s = 1.0f + sPrime;
        float logS = (float) StrictMath.log1p(sPrime);
        float d = m - (float) logits[base + label];
        float loss = d + logS;
        clean = zeroOrNormal(sPrime) && zeroOrNormal(logS) && zeroOrNormal(d) && zeroOrNormal(loss);
        float restY = label == argmax ? sPrime : s - (float) p[base + label];
        float minP = Float.MAX_VALUE;
        for (int j = 0; j < classes; j++) {
            float pj = (float) p[base + j] / s;
            p[base + j] = pj;
            grad[base + j] = pj;
            minP = Math.min(minP, pj);
        }
        float gy = restY / s;
        grad[base + label] = 0.0 - gy;
        if (!clean || !(minP >= Float.MIN_NORMAL) || !zeroOrNormal(gy) || !zeroOrNormal(restY)) {
            return Double.NaN;
        }
        return loss;
    }

    private static boolean zeroOrNormal(float x) {
        float a = Math.abs(x);
        return a == 0.0f || (a >= Float.MIN_NORMAL && a <= Float.MAX_VALUE);
    }
}
