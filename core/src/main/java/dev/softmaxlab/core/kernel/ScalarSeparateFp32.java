package dev.softmaxlab.core.kernel;

import dev.softmaxlab.core.precision.NarrowStrictMath;
import dev.softmaxlab.core.precision.Precision;

/**
 * {@link ScalarSeparateFp64} for fp32 (computed and accumulated in fp32): the same chain in Java float arithmetic,
 * which gives the reference's bits (a float operation equals the double operation on the same floats rounded once to
 * float; exp and log are StrictMath's rounded once, through {@link NarrowStrictMath}). Values are float values held in
 * the double arrays. A row is clean under the same rules as in fp64, judged against float's range; sparse labels and
 * dense targets alike.
 */
public final class ScalarSeparateFp32 implements SeparateSparseRowKernel, SeparateDenseRowKernel {

    private static final ScalarSeparateFp32 SHIFTED = new ScalarSeparateFp32(SeparateForm.SHIFTED);
    private static final ScalarSeparateFp32 NAIVE = new ScalarSeparateFp32(SeparateForm.NAIVE);
    private static final ScalarSeparateFp32 CLIPPED = new ScalarSeparateFp32(SeparateForm.CLIPPED);

    private final boolean shift;
    private final boolean clip;

    private ScalarSeparateFp32(SeparateForm form) {
        this.shift = form.shift();
        this.clip = form.clip();
    }

    /** The kernel of one form (stateless, thread-safe). */
    public static ScalarSeparateFp32 of(SeparateForm form) {
        return switch (form) {
            case SHIFTED -> SHIFTED;
            case NAIVE -> NAIVE;
            case CLIPPED -> CLIPPED;
        };
    }

    @Override
    public double sparseRow(double[] logits, int base, int classes, int label, double lo, double hi, double[] p,
            double[] grad, double[] scratch) {
        int end = base + classes;
        float s = exponentials(logits, base, end, p);
        if (s != s) {
            return Double.NaN;
        }
        float py = (float) p[base + label] / s;
        float cpy = clip ? (py < (float) lo ? (float) lo : (py > (float) hi ? (float) hi : py)) : py;
        float logPy = (float) NarrowStrictMath.log(cpy, Precision.FP32);
        float gy = !clip || (py >= (float) lo && py <= (float) hi) ? 0.0f - 1.0f / cpy : 0.0f;
        float dot = py * gy;
        float nd = 0.0f - dot;
        float gradY = py * (gy - dot);
        boolean clean = zeroOrNormal(logPy) && zeroOrNormal(gy) && zeroOrNormal(dot) && zeroOrNormal(gy - dot)
                && zeroOrNormal(gradY);
        float minP = Float.POSITIVE_INFINITY;
        for (int j = base; j < end; j++) {
            float pj = (float) p[j] / s;
            p[j] = pj;
            minP = Math.min(minP, pj);
        }
        // a loop of its own, as in ScalarSeparateFp64 (a JDK 17 C2 crash)
        for (int j = base; j < end; j++) {
            grad[j] = (float) p[j] * nd;
        }
        grad[base + label] = gradY;
        if (!clean || !cleanGradient(minP, nd)) {
            return Double.NaN;
        }
        if (clip) {
            scratch[ClipCount.SCRATCH_SLOT] = ClipCount.outside(p, base, classes, lo, hi);
        }
        return 0.0f - logPy;
    }

    /**
     * {@link ScalarSeparateFp64}'s softmax forward up to its sum, in float: the logits rounded to float, m = max z,
     * e_j = exp(z_j - m) (the float difference, exp rounded to float) written into p, s = Σ e_j left to right.
     *
     * @return s; or NaN when the reference would count an event on the way
     */
    private float exponentials(double[] logits, int base, int end, double[] p) {
        boolean clean = true;
        float m = Float.NEGATIVE_INFINITY;
        for (int j = base; j < end; j++) {
            float z = (float) logits[j];
            clean &= zeroOrNormal(z);
            m = Math.max(m, z);
        }
        float minE = Float.POSITIVE_INFINITY;
        for (int j = base; j < end; j++) {
            float d = shift ? (float) logits[j] - m : (float) logits[j];
            clean &= zeroOrNormal(d);
            float e = (float) NarrowStrictMath.exp(d, Precision.FP32);
            p[j] = e;
            minE = Math.min(minE, e);
        }
        if (!clean || !(minE >= Float.MIN_NORMAL)) {
            return Float.NaN;
        }
        float s = 0.0f;
        for (int j = base; j < end; j++) {
            s += (float) p[j];
        }
        return s <= Float.MAX_VALUE ? s : Float.NaN;
    }

    @Override
    public double denseRow(double[] logits, int base, int classes, double[] q, double lo, double hi, double[] p,
            double[] grad) {
        int end = base + classes;
        float s = exponentials(logits, base, end, p);
        if (s != s) {
            return Double.NaN;
        }
        float minP = Float.POSITIVE_INFINITY;
        for (int j = base; j < end; j++) {
            float pj = (float) p[j] / s;
            p[j] = pj;
            minP = Math.min(minP, pj);
        }
        if (!(minP >= Float.MIN_NORMAL)) {
            return Double.NaN;
        }
        float flo = (float) lo;
        float fhi = (float) hi;
        // as ScalarSeparateFp64.denseRow, in float; t_j = q_j rounded to float
        boolean clean = true;
        float sum = 0.0f;
        float dot = 0.0f;
        for (int j = 0; j < classes; j++) {
            float t = (float) q[j];
            clean &= zeroOrNormal(t);
            float pj = (float) p[base + j];
            float cpj = clip ? (pj < flo ? flo : (pj > fhi ? fhi : pj)) : pj;
            if (t != 0.0f) {
                float term = t * (float) NarrowStrictMath.log(cpj, Precision.FP32);
                clean &= zeroOrNormal(term);
                sum += term;
            }
            float g = 0.0f;
            if (!clip || (pj >= flo && pj <= fhi)) {
                float ratio = t / cpj;
                clean &= zeroOrNormal(ratio);
                g = 0.0f - ratio;
            }
            grad[base + j] = g;
            float pg = pj * g;
            clean &= zeroOrNormal(pg);
            dot += pg;
        }
        clean &= zeroOrNormal(sum) && zeroOrNormal(dot);
        for (int j = base; j < end; j++) {
            float d = (float) grad[j] - dot;
            float gj = (float) p[j] * d;
            clean &= zeroOrNormal(d) && zeroOrNormal(gj);
            grad[j] = gj;
        }
        if (!clean) {
            return Double.NaN;
        }
        return 0.0f - sum;
    }

    /** {@link ScalarSeparateFp64#cleanGradient} in float. */
    public static boolean cleanGradient(float minP, float nd) {
        return minP >= Float.MIN_NORMAL && (nd == 0.0f || minP * Math.abs(nd) >= Float.MIN_NORMAL);
    }

    public static boolean zeroOrNormal(float x) {
        float a = Math.abs(x);
        return a == 0.0f || (a >= Float.MIN_NORMAL && a <= Float.MAX_VALUE);
    }
}
