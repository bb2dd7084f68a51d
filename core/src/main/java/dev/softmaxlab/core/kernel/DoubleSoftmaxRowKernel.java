package dev.softmaxlab.core.kernel;

import dev.softmaxlab.core.precision.NarrowStrictMath;
import dev.softmaxlab.core.precision.Precision;

/**
 * The fast twin of {@code double-softmax}: the model's softmax as its reference module computes it, then
 * {@code fused}'s row kernel on the probabilities (sparse label, or dense target), then the softmax's backward, with
 * no accounting; in fp64 and fp32, and in bf16 and fp16 accumulated in fp32 (sparse labels).
 * <pre>
 *   forward   m = max_j z_j;  e_j = exp(round(z_j - m));  s = round(Σ_j e_j left to right);  r_j = round(e_j / s)
 *             loss, q, g = fused's kernel on r as logits       q = softmax(r) (reported), g = dL/dr
 *   backward  dot = round(Σ_k round(r_k·g_k) left to right);  dL/dz_j = round(r_j·round(g_j - dot))
 * </pre>
 * Sums accumulate as the reference's do: in the format itself in fp64 and fp32, in fp32 (then rounded to the format)
 * in bf16 and fp16. In bf16 and fp16 every result after the logits' rounding is rounded on its bits
 * ({@link ScalarFusedHalf}'s rounding: the format's wherever the result is a normal number, and out of the normal
 * range, so refused, wherever it is not), and the exps are StrictMath's from the vector provider (rounded the same
 * way) or {@link NarrowStrictMath}'s in the scalar one. A row is clean, and returned, when every logit is zero or normal, every e_j is normal, fused's
 * kernel accepts r, and every other result is zero or a finite normal number; otherwise NaN, for the reference. Its
 * r, q, g (and dense target) rows live in per-thread buffers that grow with C (no allocation per row). Thread-safe.
 */
public final class DoubleSoftmaxRowKernel implements HeadRowKernel {

    /** Per thread: r, q, g and the dense target row, each [C] (grown, never shrunk). */
    private static final ThreadLocal<double[][]> BUFFERS = ThreadLocal.withInitial(
            () -> new double[][] {new double[0], new double[0], new double[0], new double[0]});

    private final KernelProvider provider;
    private final FusedSparseRowKernel fused;
    private final FusedDenseRowKernel fusedDense;
    private final Precision format;
    /**
     * Whether the half formats take their exps from the provider (the vector one: StrictMath's bits a vector at a
     * time, then rounded) rather than from {@link NarrowStrictMath} (the scalar provider's exp is StrictMath's own,
     * slower than NarrowStrictMath's intrinsic and check).
     */
    private final boolean vectorExp;
    /** In bf16 and fp16: fused's scalar half kernel, whose rounding on the bits the half loops use. */
    private final ScalarFusedHalf half;

    /**
     * @param provider   whose exp the fp64 softmax uses ({@link KernelProvider#expNonPositive})
     * @param fused      fused's sparse kernel of the same precision
     * @param fusedDense fused's dense kernel of the same precision, or null where there is none (every dense row is
     *                   then refused)
     * @param format     the compute format: fp64, fp32, bf16 or fp16 (the last two accumulated in fp32)
     */
    public DoubleSoftmaxRowKernel(KernelProvider provider, FusedSparseRowKernel fused, FusedDenseRowKernel fusedDense,
            Precision format) {
        this.provider = provider;
        this.fused = fused;
        this.fusedDense = fusedDense;
        this.format = format;
        this.vectorExp = provider != KernelProvider.scalar();
        this.half = format == Precision.BF16 ? ScalarFusedHalf.BF16 : format == Precision.FP16 ? ScalarFusedHalf.FP16
                : null;
    }

    @Override
    public double sparseRow(double[] logits, int base, int classes, int label, double[] p, double[] grad,
            double[] scratch) {
        return finishedSparseRow(logits, base, classes, label, p, grad, 1.0, scratch);
    }

    @Override
    public double finishedSparseRow(double[] logits, int base, int classes, int label, double[] p, double[] grad,
            double divisor, double[] scratch) {
        if (p == null) {
            return Double.NaN;
        }
        double[][] rows = buffers(classes);
        double[] r = rows[0]; // [C] the model's softmax, the loss's logits
        double[] q = rows[1]; // [C] softmax(r), the loss's probabilities
        double[] g = rows[2]; // [C] dL/dr
        if (!softmax(logits, base, classes, r, q)) {
            return Double.NaN;
        }
        // the loss takes r as its logits
        double loss = fused.sparseRow(r, 0, classes, label, q, g, scratch);
        return backward(loss, r, q, g, classes, p, grad, base, divisor);
    }

    @Override
    public double denseRow(double[] logits, double[] targets, int base, int classes, double[] p, double[] grad,
            double divisor, double[] scratch) {
        if (fusedDense == null || p == null) {
            return Double.NaN;
        }
        double[][] rows = buffers(classes);
        double[] r = rows[0];
        double[] q = rows[1];
        double[] g = rows[2];
        double[] t = rows[3]; // [C] the row's target, at offset 0 as r is
        if (!softmax(logits, base, classes, r, q)) {
            return Double.NaN;
        }
        System.arraycopy(targets, base, t, 0, classes);
        double loss = fusedDense.finishedDenseRow(r, t, 0, classes, q, g, 1.0, scratch);
        return backward(loss, r, q, g, classes, p, grad, base, divisor);
    }

    /** This thread's r, q, g and t rows, at least [C] each. */
    private static double[][] buffers(int classes) {
        double[][] rows = BUFFERS.get();
        if (rows[0].length < classes) {
            for (int k = 0; k < rows.length; k++) {
                rows[k] = new double[classes];
            }
        }
        return rows;
    }

    /** r = softmax(z) in the format; whether the reference counts nothing there. q is working memory. */
    private boolean softmax(double[] logits, int base, int classes, double[] r, double[] q) {
        // each format has loops of its own, with no per-element test of the format and no exit from inside a loop
        // (both kept C2 from compiling the loops well: this kernel ran slower than its instrumented reference)
        return switch (format) {
            case FP64 -> softmaxFp64(logits, base, classes, r, q);
            case FP32 -> softmaxFp32(logits, base, classes, r, q);
            default -> softmaxHalf(logits, base, classes, r, q, format, half);
        };
    }

    /**
     * The softmax's backward from fused's g = dL/dr, once fused's kernel gave the loss (NaN: refused), then the batch
     * end's division, then q copied out as the row's probabilities.
     */
    private double backward(double loss, double[] r, double[] q, double[] g, int classes, double[] p, double[] grad,
            int base, double divisor) {
        if (loss != loss) {
            return Double.NaN;
        }
        boolean clean = switch (format) {
            case FP64 -> backwardFp64(r, g, classes, grad, base);
            case FP32 -> backwardFp32(r, g, classes, grad, base);
            default -> backwardHalf(r, g, classes, grad, base, format, half);
        };
        if (!clean || !HeadRowKernel.divide(grad, base, classes, divisor, format)) {
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

    /**
     * {@link #softmaxFp64} in bf16 or fp16: the logits rounded to the format, every difference, exp and quotient
     * rounded to it, the sum accumulated in fp32 left to right and rounded to the format at its end.
     */
    private boolean softmaxHalf(double[] logits, int base, int classes, double[] r, double[] q, Precision f,
            ScalarFusedHalf h) {
        double minNormal = f.minNormal();
        double maxFinite = f.maxFinite();
        boolean clean = true;
        double m = Double.NEGATIVE_INFINITY;
        double zMin = Double.POSITIVE_INFINITY;
        for (int j = 0; j < classes; j++) {
            double zj = f.round(logits[base + j]);
            clean &= zeroOrNormal(zj, minNormal, maxFinite);
            q[j] = zj;
            m = Math.max(m, zj);
            zMin = Math.min(zMin, zj);
        }
        // as fused's half kernel: a row whose smallest r_j is most likely not normal (fp16 at C ≈ 1000 and more)
        // goes back before the exp pass; the reference will count it
        if (!clean || ScalarFusedHalf.smallestProbabilityGuess(q, 0, classes, m, zMin) < 0.5 * minNormal) {
            return false;
        }
        double minD = 0.0;
        for (int j = 0; j < classes; j++) {
            double d = h.roundOnBits(q[j] - m);
            clean &= zeroOrNormal(d, minNormal, maxFinite);
            minD = Math.min(minD, d);
            q[j] = d;
        }
        // below -708 (outside the provider's exp) exp underflows in either format: the reference counts it
        if (!clean || !(minD >= -708.0)) {
            return false;
        }
        if (vectorExp) {
            provider.expNonPositive(q, r, classes); // StrictMath.exp's bits, a vector at a time
        } else {
            for (int j = 0; j < classes; j++) {
                r[j] = NarrowStrictMath.exp(q[j], f); // faster than StrictMath.exp itself, already rounded
            }
        }
        double minE = Double.POSITIVE_INFINITY;
        float acc = 0.0f;
        for (int j = 0; j < classes; j++) {
            double e = h.roundOnBits(r[j]); // = NarrowStrictMath.exp(d_j) whenever that is normal
            r[j] = e;
            minE = Math.min(minE, e);
            acc += (float) e; // e is a value of the format, so exactly a float
        }
        double s = h.roundOnBits(acc);
        if (!(minE >= minNormal) || !zeroOrNormal(s, minNormal, maxFinite)) {
            return false;
        }
        double minR = Double.POSITIVE_INFINITY;
        for (int j = 0; j < classes; j++) {
            double rj = h.roundOnBits(r[j] / s);
            minR = Math.min(minR, rj);
            r[j] = rj;
        }
        return minR >= minNormal;
    }

    /** {@link #backwardFp64} in bf16 or fp16, dot accumulated in fp32 and rounded to the format at its end. */
    private static boolean backwardHalf(double[] r, double[] g, int classes, double[] grad, int base, Precision f,
            ScalarFusedHalf h) {
        double minNormal = f.minNormal();
        double maxFinite = f.maxFinite();
        boolean clean = true;
        float acc = 0.0f;
        for (int k = 0; k < classes; k++) {
            double term = h.roundOnBits(r[k] * g[k]);
            clean &= zeroOrNormal(term, minNormal, maxFinite);
            acc += (float) term;
        }
        double dot = h.roundOnBits(acc);
        clean &= zeroOrNormal(dot, minNormal, maxFinite);
        for (int j = 0; j < classes; j++) {
            double diff = h.roundOnBits(g[j] - dot);
            double gj = h.roundOnBits(r[j] * diff);
            clean &= zeroOrNormal(diff, minNormal, maxFinite) & zeroOrNormal(gj, minNormal, maxFinite);
            grad[base + j] = gj;
        }
        return clean;
    }

    private static boolean zeroOrNormal(double x, double minNormal, double maxFinite) {
        double a = Math.abs(x);
        return a == 0.0 || (a >= minNormal && a <= maxFinite);
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
