package dev.softmaxlab.core.kernel;

import dev.softmaxlab.core.precision.NarrowStrictMath;
import dev.softmaxlab.core.precision.Precision;

/**
 * The fast twin of {@code double-softmax} on a sparse label: the model's softmax as its reference module computes
 * it, then {@code fused}'s row kernel on the probabilities, then the softmax's backward, in fp64 or fp32, with no
 * accounting.
 * <pre>
 *   forward   m = max_j z_j;  e_j = exp(round(z_j - m));  s = Σ_j e_j left to right;  r_j = round(e_j / s)
 *             loss, q, g = fused's kernel on r as logits       q = softmax(r) (reported), g = dL/dr
 *   backward  dot = Σ_k round(r_k·g_k) left to right;  dL/dz_j = round(r_j·round(g_j - dot))
 * </pre>
 * Sums accumulate in the format itself (fp64 in fp64, fp32 in fp32), as the reference's do at these precisions. A
 * row is clean, and returned, when every logit is zero or normal, every e_j is normal, fused's kernel accepts r,
 * and every other result is zero or a finite normal number; otherwise NaN, for the reference. Its r, q and g rows
 * live in per-thread buffers that grow with C (no allocation per row). Thread-safe.
 */
public final class DoubleSoftmaxRowKernel implements FusedSparseRowKernel {

    /** Per thread: r, q and g, each [C] (grown, never shrunk). */
    private static final ThreadLocal<double[][]> BUFFERS = ThreadLocal.withInitial(
            () -> new double[][] {new double[0], new double[0], new double[0]});

    private final KernelProvider provider;
    private final FusedSparseRowKernel fused;
    private final boolean fp32;

    /**
     * @param provider whose exp the fp64 softmax uses ({@link KernelProvider#expNonPositive})
     * @param fused fused's kernel of the same precision
     * @param fp32  whether the kernel computes in fp32; fp64 otherwise
     */
    public DoubleSoftmaxRowKernel(KernelProvider provider, FusedSparseRowKernel fused, boolean fp32) {
        this.provider = provider;
        this.fused = fused;
        this.fp32 = fp32;
    }

    @Override
    public double sparseRow(double[] logits, int base, int classes, int label, double[] p, double[] grad,
            double[] scratch) {
        double[][] rows = BUFFERS.get();
        if (rows[0].length < classes) {
            for (int k = 0; k < 3; k++) {
                rows[k] = new double[classes];
            }
        }
        double[] r = rows[0]; // [C] the model's softmax, the loss's logits
        double[] q = rows[1]; // [C] softmax(r), the loss's probabilities
        double[] g = rows[2]; // [C] dL/dr
        double m = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < classes; j++) {
            double zj = value(logits[base + j]);
            if (!clean(zj)) {
                return Double.NaN;
            }
            m = Math.max(m, zj);
        }
        double min = fp32 ? Float.MIN_NORMAL : Double.MIN_NORMAL;
        for (int j = 0; j < classes; j++) {
            double d = round(value(logits[base + j]) - m);
            // fp64: below -708 (outside the provider's exp, and within a hair of exp's subnormals) the row is refused
            if (!clean(d) || !(d >= -708.0)) {
                return Double.NaN;
            }
            q[j] = d;
        }
        if (fp32) {
            for (int j = 0; j < classes; j++) {
                r[j] = NarrowStrictMath.exp(q[j], Precision.FP32);
            }
        } else {
            provider.expNonPositive(q, r, classes); // StrictMath.exp's bits, a vector at a time in the vector provider
        }
        for (int j = 0; j < classes; j++) {
            if (!(r[j] >= min)) {
                return Double.NaN;
            }
        }
        double s = 0.0;
        for (int j = 0; j < classes; j++) {
            s = round(s + r[j]);
        }
        if (!clean(s)) {
            return Double.NaN;
        }
        for (int j = 0; j < classes; j++) {
            double rj = round(r[j] / s);
            if (!clean(rj)) {
                return Double.NaN;
            }
            r[j] = rj;
        }
        // the loss takes r as its logits
        double loss = fused.sparseRow(r, 0, classes, label, q, g, scratch);
        if (loss != loss) {
            return Double.NaN;
        }
        double dot = 0.0;
        for (int k = 0; k < classes; k++) {
            double term = round(r[k] * g[k]);
            if (!clean(term)) {
                return Double.NaN;
            }
            dot = round(dot + term);
        }
        if (!clean(dot)) {
            return Double.NaN;
        }
        for (int j = 0; j < classes; j++) {
            double diff = round(g[j] - dot);
            double gj = round(r[j] * diff);
            if (!clean(diff) || !clean(gj)) {
                return Double.NaN;
            }
            grad[base + j] = gj;
            p[base + j] = q[j];
        }
        return loss;
    }

    private double value(double x) {
        return fp32 ? (float) x : x;
    }

    private double round(double x) {
        return fp32 ? (float) x : x;
    }

    private boolean clean(double x) {
        double a = Math.abs(x);
        return fp32 ? a == 0.0 || (a >= Float.MIN_NORMAL && a <= Float.MAX_VALUE)
                : a == 0.0 || (a >= Double.MIN_NORMAL && a <= Double.MAX_VALUE);
    }
}
