package dev.softmaxlab.core.kernel;

import dev.softmaxlab.core.precision.NarrowStrictMath;
import dev.softmaxlab.core.precision.Precision;

/**
 * The fast twin of {@code fused-chunked} on a sparse label, with the chunk carry equal to the compute format (fp64
 * carried in fp64, fp32 in fp32): the reference's operations in the reference's order, with no accounting.
 * <pre>
 *   C ≤ chunkSize:  one chunk, nothing carried: fused's row kernel (scalar or vector), bit for bit
 *   otherwise, per chunk k of [from, to):
 *     m_k, a_k   max and first argmax;  e_j = exp(z_j - m_k) as fused takes it;  s'_k = lane sum over j ≠ a_k
 *     merge      m_k ≤ m: s' = R(s' + R(R(1 + s'_k)·f)), f = R(exp(m_k - m)) with the difference's TwoSum error
 *                m_k &gt; m: s' = R(s'_k + R(R(1 + s')·f)), f = R(exp(m - m_k)); m = m_k, a = a_k
 *   second pass  e_j = exp(z_j - m) for every chunk whose max is not m
 *   tail         fused's: loss = (m - z_y) + log1p(s'), p_j = e_j/s, grad_y = -(s - e_y)/s
 * </pre>
 * R rounds to the carry, here the format itself. A row is clean, and returned, when every logit is zero or normal,
 * every exponential (shifted term, rescaling factor, second-pass term) is normal, and every other result is zero
 * or a finite normal number: then the reference counts nothing. Any other row returns NaN for the reference.
 * The chunked rows run scalar whatever the provider (the vector kernels' inner loops are theirs); a one-chunk row
 * runs the provider's fused kernel. Stateless and thread-safe.
 */
public final class FusedChunkedRowKernel implements FusedSparseRowKernel {

    private final FusedSparseRowKernel fused;
    private final int chunkSize;
    private final boolean fp32;

    /**
     * @param fused     fused's kernel of the same precision, for rows of one chunk
     * @param chunkSize classes per chunk, ≥ 1
     * @param fp32      whether the kernel computes (and carries) in fp32; fp64 otherwise
     */
    public FusedChunkedRowKernel(FusedSparseRowKernel fused, int chunkSize, boolean fp32) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size " + chunkSize);
        }
        this.fused = fused;
        this.chunkSize = chunkSize;
        this.fp32 = fp32;
    }

    @Override
    public double sparseRow(double[] logits, int base, int classes, int label, double[] p, double[] grad,
            double[] scratch) {
        if (classes <= chunkSize) {
            return fused.sparseRow(logits, base, classes, label, p, grad, scratch);
        }
        for (int j = 0; j < classes; j++) {
            if (!(fp32 ? zeroOrNormal((float) logits[base + j]) : zeroOrNormal(logits[base + j]))) {
                return Double.NaN;
            }
        }
        double m = Double.NEGATIVE_INFINITY;
        int argmax = -1;
        double sPrime = 0.0;
        for (int from = 0; from < classes; from += chunkSize) {
            int to = Math.min(classes, from + chunkSize);
            int a = argmax(logits, base, from, to);
            double mk = value(logits, base + a);
            for (int j = from; j < to; j++) {
                double e = j == a ? 1.0 : shiftedExp(value(logits, base + j), mk);
                if (j != a && !(e >= minNormal())) {
                    return Double.NaN;
                }
                p[base + j] = e;
            }
            double sk = fp32 ? LaneSums.compensatedSumFloat(p, base + from, base + to, base + a)
                    : LaneSums.compensatedSum(p, base + from, base + to, base + a);
            if (!clean(sk)) {
                return Double.NaN;
            }
            if (argmax < 0) {
                m = mk;
                argmax = a;
                sPrime = sk;
                continue;
            }
            double f = mk > m ? carryExp(m, mk) : carryExp(mk, m);
            if (!(f >= minNormal())) {
                return Double.NaN;
            }
            double one = carry(1.0 + (mk > m ? sPrime : sk));
            double scaled = carry(one * f);
            double merged = carry((mk > m ? sk : sPrime) + scaled);
            if (!clean(scaled) || !clean(merged)) {
                return Double.NaN;
            }
            sPrime = merged;
            if (mk > m) {
                m = mk;
                argmax = a;
            }
        }
        for (int from = 0; from < classes; from += chunkSize) {
            int to = Math.min(classes, from + chunkSize);
            int a = argmax(logits, base, from, to);
            if (value(logits, base + a) != m) {
                for (int j = from; j < to; j++) {
                    double e = shiftedExp(value(logits, base + j), m);
                    if (!(e >= minNormal())) {
                        return Double.NaN;
                    }
                    p[base + j] = e;
                }
            }
        }
        return fp32 ? tailFp32(logits, base, classes, label, (float) m, argmax, (float) sPrime, p, grad)
                : tailFp64(logits, base, classes, label, m, argmax, sPrime, p, grad);
    }

    /** fused's tail in fp64 ({@link ScalarFusedFp64}'s, from m, a and s'). */
    private static double tailFp64(double[] logits, int base, int classes, int label, double m, int argmax,
            double sPrime, double[] p, double[] grad) {
        double s = 1.0 + sPrime;
        double logS = StrictMath.log1p(sPrime);
        double d = m - logits[base + label];
        double loss = d + logS;
        boolean clean = zeroOrNormal(logS) && zeroOrNormal(d) && zeroOrNormal(loss);
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
        if (!clean || !(minP >= Double.MIN_NORMAL) || !zeroOrNormal(gy) || !zeroOrNormal(restY)) {
            return Double.NaN;
        }
        return loss;
    }

    /** fused's tail in fp32 ({@link ScalarFusedFp32}'s, from m, a and s'). */
    private static double tailFp32(double[] logits, int base, int classes, int label, float m, int argmax,
            float sPrime, double[] p, double[] grad) {
        float s = 1.0f + sPrime;
        float logS = (float) StrictMath.log1p(sPrime);
        float d = m - (float) logits[base + label];
        float loss = d + logS;
        boolean clean = zeroOrNormal(logS) && zeroOrNormal(d) && zeroOrNormal(loss);
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

    /** The logit in the compute format. */
    private double value(double[] logits, int at) {
        return fp32 ? (float) logits[at] : logits[at];
    }

    /** The first index (relative to the row) of the max of the row's [from, to); the row holds finite values. */
    private int argmax(double[] logits, int base, int from, int to) {
        double m = Double.NEGATIVE_INFINITY;
        int a = -1;
        for (int j = from; j < to; j++) {
            double v = value(logits, base + j);
            if (v > m) {
                m = v;
                a = j;
            }
        }
        return a;
    }

    /** fused's e_j = exp(z_j - m) in the format: fp64 with the TwoSum error applied, fp32 from the exact difference. */
    private double shiftedExp(double a, double m) {
        return fp32 ? NarrowStrictMath.exp(a - m, Precision.FP32) : ScalarFusedFp64.shiftedExp(a, m);
    }

    /** The reference's rescaling factor exp(a - b), a ≤ b, with the difference's TwoSum error, rounded to the carry. */
    private double carryExp(double a, double b) {
        double d = a - b;
        double bb = d - a;
        double delta = (a - (d - bb)) + (-b - bb);
        double e = StrictMath.exp(d);
        return carry(e + e * delta);
    }

    private double carry(double x) {
        return fp32 ? (float) x : x;
    }

    private double minNormal() {
        return fp32 ? Float.MIN_NORMAL : Double.MIN_NORMAL;
    }

    private boolean clean(double x) {
        return fp32 ? zeroOrNormal((float) x) : zeroOrNormal(x);
    }

    private static boolean zeroOrNormal(double x) {
        double a = Math.abs(x);
        return a == 0.0 || (a >= Double.MIN_NORMAL && a <= Double.MAX_VALUE);
    }

    private static boolean zeroOrNormal(float x) {
        float a = Math.abs(x);
        return a == 0.0f || (a >= Float.MIN_NORMAL && a <= Float.MAX_VALUE);
    }
}
