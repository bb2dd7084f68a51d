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
        // each format has loops of its own, with no per-element test of the format and no exit from inside a loop
        // (both kept C2 from compiling the loops well: this kernel ran slower than its instrumented reference)
        boolean clean = fp32 ? softmaxFp32(logits, base, classes, r, q) : softmaxFp64(logits, base, classes, r, q);
        if (!clean) {
            return Double.NaN;
        }
        // the loss takes r as its logits
        double loss = fused.sparseRow(r, 0, classes, label, q, g, scratch);
        if (loss != loss) {
            return Double.NaN;
        }
        clean = fp32 ? backwardFp32(r, g, classes, grad, base) : backwardFp64(r, g, classes, grad, base);
        if (!clean) {
            return Double.NaN;
        }
        System.arraycopy(q, 0, p, base, classes);
        return loss;
    }

    /**
     * r = softmax(z) in fp64: m = max z, d_j = z_j - m (in q), r_j = exp(d_j) by the provider, s = Σ r_j left to
     * right, r_j = r_j / s.
     *
     * @param r [C] written
     * @param q [C] working memory (Modified)
     * @return whether the reference counts nothing: every z_j and d_j zero or normal, d_j ≥ -708 (the provider's
     *         exp range), every exp normal, s finite, every r_j normal
     */
    private boolean softmaxFp64(double[] logits, int base, int classes, double[] r, double[] q) {
        boolean clean = true;
        double m = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < classes; j++) {
            double zj = logits[base + j];
            clean &= zeroOrNormal(zj);
            m = Math.max(m, zj);
        }
        double minD = 0.0;
        for (int j = 0; j < classes; j++) {
            double d = logits[base + j] - m;
            clean &= zeroOrNormal(d);
            minD = Math.min(minD, d);
            q[j] = d;
        }
        // below -708 (outside the provider's exp, and within a hair of exp's subnormals) the row is refused
        if (!clean || !(minD >= -708.0)) {
            return false;
        }
        provider.expNonPositive(q, r, classes); // StrictMath.exp's bits, a vector at a time in the vector provider
        double minE = Double.POSITIVE_INFINITY;
        double s = 0.0;
        for (int j = 0; j < classes; j++) {
            double e = r[j];
            minE = Math.min(minE, e);
            s += e;
        }
        if (!(minE >= Double.MIN_NORMAL) || !(s <= Double.MAX_VALUE)) {
            return false;
        }
        double minR = Double.POSITIVE_INFINITY;
        for (int j = 0; j < classes; j++) {
            double rj = r[j] / s;
            minR = Math.min(minR, rj);
            r[j] = rj;
        }
        return minR >= Double.MIN_NORMAL;
    }

    /** {@link #softmaxFp64} in fp32: the logits rounded to float, exp rounded once to float. */
    private static boolean softmaxFp32(double[] logits, int base, int classes, double[] r, double[] q) {
        boolean clean = true;
        float m = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < classes; j++) {
            float zj = (float) logits[base + j];
            clean &= zeroOrNormal(zj);
            m = Math.max(m, zj);
        }
        for (int j = 0; j < classes; j++) {
            float d = (float) logits[base + j] - m;
            clean &= zeroOrNormal(d);
            q[j] = d;
        }
        if (!clean) {
            return false;
        }
        float minE = Float.POSITIVE_INFINITY;
        float s = 0.0f;
        for (int j = 0; j < classes; j++) {
            float e = (float) NarrowStrictMath.exp(q[j], Precision.FP32);
            r[j] = e;
            minE = Math.min(minE, e);
            s += e;
        }
        if (!(minE >= Float.MIN_NORMAL) || !(s <= Float.MAX_VALUE)) {
            return false;
        }
        float minR = Float.POSITIVE_INFINITY;
        for (int j = 0; j < classes; j++) {
            float rj = (float) r[j] / s;
            minR = Math.min(minR, rj);
            r[j] = rj;
        }
        return minR >= Float.MIN_NORMAL;
    }

    /**
     * The softmax's backward in fp64: dot = Σ_k r_k g_k left to right, grad_j = r_j (g_j - dot).
     *
     * @param grad [B, C] the row at base written (Modified)
     * @return whether every product, dot, difference and grad_j is zero or normal
     */
    private static boolean backwardFp64(double[] r, double[] g, int classes, double[] grad, int base) {
        boolean clean = true;
        double dot = 0.0;
        for (int k = 0; k < classes; k++) {
            double term = r[k] * g[k];
            clean &= zeroOrNormal(term);
            dot += term;
        }
        clean &= zeroOrNormal(dot);
        for (int j = 0; j < classes; j++) {
            double diff = g[j] - dot;
            double gj = r[j] * diff;
            clean &= zeroOrNormal(diff) & zeroOrNormal(gj);
            grad[base + j] = gj;
        }
        return clean;
    }

    /** {@link #backwardFp64} in fp32. */
    private static boolean backwardFp32(double[] r, double[] g, int classes, double[] grad, int base) {
        boolean clean = true;
        float dot = 0.0f;
        for (int k = 0; k < classes; k++) {
            float term = (float) r[k] * (float) g[k];
            clean &= zeroOrNormal(term);
            dot += term;
        }
        clean &= zeroOrNormal(dot);
        for (int j = 0; j < classes; j++) {
            float diff = (float) g[j] - dot;
            float gj = (float) r[j] * diff;
            clean &= zeroOrNormal(diff) & zeroOrNormal(gj);
            grad[base + j] = gj;
        }
        return clean;
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
