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
 * A one-chunk row runs the provider's fused kernel; a row of several takes its fp64 exps from the provider
 * ({@link KernelProvider#expNonPositive}, a vector at a time in the vector provider) and does the rest in scalar
 * code. Thread-safe: its fp64 buffers are per thread.
 */
public final class FusedChunkedRowKernel implements FusedSparseRowKernel {

    /** Per thread, fp64 only: z_j - m, its TwoSum error, and exp of the former, each [chunk] (grown, never shrunk). */
    private static final ThreadLocal<double[][]> BUFFERS = ThreadLocal.withInitial(
            () -> new double[][] {new double[0], new double[0], new double[0]});

    private final KernelProvider provider;
    private final FusedSparseRowKernel fused;
    private final int chunkSize;
    private final boolean fp32;

    /**
     * @param provider  whose exp the fp64 chunks use ({@link KernelProvider#expNonPositive}: StrictMath's bits, a
     *                  vector at a time in the vector provider)
     * @param fused     fused's kernel of the same precision, for rows of one chunk
     * @param chunkSize classes per chunk, ≥ 1
     * @param fp32      whether the kernel computes (and carries) in fp32; fp64 otherwise
     */
    public FusedChunkedRowKernel(KernelProvider provider, FusedSparseRowKernel fused, int chunkSize, boolean fp32) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size " + chunkSize);
        }
        this.provider = provider;
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
            if (!(shiftedExps(logits, base, from, to, a, mk, p) >= minNormal())) {
                return Double.NaN;
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
            if (value(logits, base + a) != m && !(shiftedExps(logits, base, from, to, -1, m, p) >= minNormal())) {
                return Double.NaN;
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

    /**
     * fused's e_j = exp(z_j - m) for j in [from, to) into p's row, e_skip = 1 (skip -1: none): fp32 from the exact
     * difference, rounded once; fp64 with the difference's TwoSum error δ applied, exp(d)·(1 + δ) as
     * {@link ScalarFusedFp64#shiftedExp}, the exps a block at a time through the provider. A difference below -708
     * (outside the provider's range, and within a hair of exp's subnormals) refuses the row.
     *
     * @return the smallest e_j over j ≠ skip (MAX_VALUE when there is none), or -1 to refuse the row
     */
    private double shiftedExps(double[] logits, int base, int from, int to, int skip, double m, double[] p) {
        double min = Double.MAX_VALUE;
        if (fp32) {
            for (int j = from; j < to; j++) {
                double e = j == skip ? 1.0 : NarrowStrictMath.exp(value(logits, base + j) - m, Precision.FP32);
                if (j != skip) {
                    min = Math.min(min, e);
                }
                p[base + j] = e;
            }
            return min;
        }
        int n = to - from;
        double[][] b = BUFFERS.get();
        if (b[0].length < n) {
            for (int k = 0; k < 3; k++) {
                b[k] = new double[Math.max(n, chunkSize)];
            }
        }
        double[] d = b[0];
        double[] delta = b[1];
        double[] e = b[2];
        for (int k = 0; k < n; k++) {
            double a = logits[base + from + k];
            double dk = a - m;
            double bb = dk - a;
            delta[k] = (a - (dk - bb)) + (-m - bb);
            if (!(dk >= -708.0)) {
                return -1.0;
            }
            d[k] = dk;
        }
        provider.expNonPositive(d, e, n);
        for (int k = 0; k < n; k++) {
            int j = from + k;
            if (j == skip) {
                p[base + j] = 1.0;
                continue;
            }
            double v = e[k] + e[k] * delta[k];
            min = Math.min(min, v);
            p[base + j] = v;
        }
        return min;
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
