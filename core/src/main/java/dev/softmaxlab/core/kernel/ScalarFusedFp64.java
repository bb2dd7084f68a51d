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

    /**
     * One row: loss, probabilities and unscaled gradient; or NaN (and garbage in the row's outputs) when the row is
     * not clean and must be re-run instrumented.
     *
     * @param logits [B, C], the row at base, not modified
     * @param p      probabilities, row written at base
     * @param grad   gradient, row written at base
     */
    @Override
    public double sparseRow(double[] logits, int base, int classes, int label, double[] p, double[] grad,
            double[] scratch) {
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
        // e_j = exp(z_j - m) with the rounding error δ of z_j - m recovered (TwoSum) and applied: exp(d)·(1 + δ)
        double minE = Double.MAX_VALUE;
        for (int j = 0; j < classes; j++) {
            double e;
            if (j == argmax) {
                e = 1.0;
            } else {
                e = shiftedExp(logits[base + j], m);
                minE = Math.min(minE, e);
            }
            p[base + j] = e;
        }
        if (!(minE >= Double.MIN_NORMAL)) {
            return Double.NaN;
        }
        // s' = Σ_{j≠argmax} e_j, compensated, in the reference's interleaved order
        double sPrime = LaneSums.compensatedSum(p, base, base + classes, base + argmax);
        double s = 1.0 + sPrime;
        double logS = StrictMath.log1p(sPrime);
        double d = m - logits[base + label];
        double loss = d + logS;
        clean = zeroOrNormal(sPrime) && zeroOrNormal(logS) && zeroOrNormal(d) && zeroOrNormal(loss);
        double restY = label == argmax ? sPrime : s - p[base + label];
        double minP = Double.MAX_VALUE;
        for (int j = 0; j < classes; j++) {
            double pj = p[base + j] / s;
            p[base + j] = pj;
            grad[base + j] = pj;
            minP = Math.min(minP, pj);
        }
        double gy = restY / s;
        grad[base + label] = 0.0 - gy;
        if (!clean || !(minP >= Double.MIN_NORMAL) || !zeroOrNormal(gy)) {
            return Double.NaN;
        }
        return loss;
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
