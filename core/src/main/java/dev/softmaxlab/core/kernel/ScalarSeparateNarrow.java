package dev.softmaxlab.core.kernel;

import dev.softmaxlab.core.precision.NarrowStrictMath;
import dev.softmaxlab.core.precision.Precision;

/**
 * {@link ScalarSeparateFp64} for the emulated half formats (bf16 or fp16 computed, fp32 accumulated, the default
 * {@code PrecisionSpec} of both): the same chain, each result rounded to the format with the very
 * {@link Precision#round} the reference uses, exp and log through {@link NarrowStrictMath} as the reference's, and
 * the sum Σ e_j in float arithmetic (the fp32 accumulation) rounded once to the format. It saves the reference's
 * per-operation dispatch and event tests; the rounding itself is the reference's. A row is clean under the same
 * rules as in fp64, judged against the format's smallest normal and largest finite number.
 */
public final class ScalarSeparateNarrow implements SeparateSparseRowKernel {

    private static final ScalarSeparateNarrow[] BF16 = forms(Precision.BF16);
    private static final ScalarSeparateNarrow[] FP16 = forms(Precision.FP16);

    private final Precision format;
    private final double minNormal;
    private final double maxFinite;
    private final boolean shift;
    private final boolean clip;

    private ScalarSeparateNarrow(Precision format, SeparateForm form) {
        this.format = format;
        this.minNormal = format.minNormal();
        this.maxFinite = format.maxFinite();
        this.shift = form.shift();
        this.clip = form.clip();
    }

    private static ScalarSeparateNarrow[] forms(Precision format) {
        SeparateForm[] forms = SeparateForm.values();
        ScalarSeparateNarrow[] kernels = new ScalarSeparateNarrow[forms.length];
        for (SeparateForm form : forms) {
            kernels[form.ordinal()] = new ScalarSeparateNarrow(format, form);
        }
        return kernels;
    }

    /**
     * The kernel of one form in bf16 or fp16 (stateless, thread-safe).
     *
     * @throws IllegalArgumentException for fp32 and fp64, which have kernels of their own
     */
    public static ScalarSeparateNarrow of(Precision format, SeparateForm form) {
        return switch (format) {
            case BF16 -> BF16[form.ordinal()];
            case FP16 -> FP16[form.ordinal()];
            default -> throw new IllegalArgumentException("no half-format kernel for " + format);
        };
    }

    @Override
    public double sparseRow(double[] logits, int base, int classes, int label, double lo, double hi, double[] p,
            double[] grad, double[] scratch) {
        Precision f = format;
        int end = base + classes;
        // the logits rounded to the format; m = max z; e_j = exp(z_j - m), the difference rounded, exp rounded
        boolean clean = true;
        double m = Double.NEGATIVE_INFINITY;
        for (int j = base; j < end; j++) {
            double z = f.round(logits[j]);
            grad[j] = z; // the rounded logits wait in the gradient's row, which is written last
            clean &= zeroOrNormal(z);
            m = Math.max(m, z);
        }
        double minE = Double.POSITIVE_INFINITY;
        for (int j = base; j < end; j++) {
            double z = grad[j];
            double d = shift ? f.round(z - m) : z;
            clean &= zeroOrNormal(d);
            double e = NarrowStrictMath.exp(d, f);
            p[j] = e;
            minE = Math.min(minE, e);
        }
        if (!clean || !(minE >= minNormal)) {
            return Double.NaN;
        }
        // s = Σ e_j accumulated left to right in fp32, then rounded to the format
        float acc = 0.0f;
        for (int j = base; j < end; j++) {
            acc += (float) p[j];
        }
        double s = f.round(acc);
        if (!(s >= minNormal && s <= maxFinite)) {
            return Double.NaN;
        }
        double py = f.round(p[base + label] / s);
        double cpy = clip ? (py < lo ? lo : (py > hi ? hi : py)) : py;
        double logPy = NarrowStrictMath.log(cpy, f);
        double gy = !clip || (py >= lo && py <= hi) ? 0.0 - f.round(1.0 / cpy) : 0.0;
        // dot: the only non-zero term p_y g_y, rounded; fp32 accumulation of it and of +0 terms leaves it unchanged
        double dot = f.round(py * gy);
        double nd = 0.0 - dot;
        double gyMinusDot = f.round(gy - dot);
        double gradY = f.round(py * gyMinusDot);
        clean = zeroOrNormal(logPy) && zeroOrNormal(gy) && zeroOrNormal(dot) && zeroOrNormal(gyMinusDot)
                && zeroOrNormal(gradY);
        double minP = Double.POSITIVE_INFINITY;
        for (int j = base; j < end; j++) {
            double pj = f.round(p[j] / s);
            p[j] = pj;
            minP = Math.min(minP, pj);
        }
        for (int j = base; j < end; j++) {
            grad[j] = f.round(p[j] * nd);
        }
        grad[base + label] = gradY;
        // as ScalarSeparateFp64.cleanGradient, with the format's rounding (monotonic too)
        if (!clean || !(minP >= minNormal) || !(nd == 0.0 || f.round(minP * Math.abs(nd)) >= minNormal)) {
            return Double.NaN;
        }
        if (clip) {
            scratch[ClipCount.SCRATCH_SLOT] = ClipCount.outside(p, base, classes, lo, hi);
        }
        return 0.0 - logPy;
    }

    private boolean zeroOrNormal(double x) {
        double a = Math.abs(x);
        return a == 0.0 || (a >= minNormal && a <= maxFinite);
    }
}
