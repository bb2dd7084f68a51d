package dev.softmaxlab.core.kernel;

import dev.softmaxlab.core.precision.NarrowStrictMath;
import dev.softmaxlab.core.precision.Precision;

/**
 * {@link ScalarSeparateFp64} for the emulated half formats (bf16 or fp16 computed, fp32 accumulated, the default
 * {@code PrecisionSpec} of both): the same chain, each result rounded to the format with the very
 * {@link Precision#round} the reference uses, exp and log through {@link NarrowStrictMath} as the reference's, and
 * the sum Σ e_j in float arithmetic (the fp32 accumulation) rounded once to the format. It saves the reference's
 * per-operation dispatch and event tests; the rounding itself is the reference's. {@link #sparseRow} accepts a row
 * under the same rules as in fp64, judged against the format's smallest normal and largest finite number.
 * {@link #countingSparseRow} also keeps a row whose only events are finite ({@link RowEvents}), counting them as the
 * reference does: exps that give 0 ({@code expUnderflow}), and non-zero results below the smallest normal
 * ({@code subnormal}) among the rounded logits, z_j - m, the exps, the sum, the probabilities, log p_y, g_y - dot and the gradient
 * entries. In fp16 that is most rows of a realistic width (C ≈ 1000 and more), whose smallest probabilities lie
 * below 6.1e-5. A logit that is NaN or beyond the format's range, a non-finite result, and a subnormal dot product
 * (which the reference would count once per class) still send the row back.
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

    /** {@link #countingSparseRow}, refusing also a row with a finite event (the interface's contract). */
    @Override
    public double sparseRow(double[] logits, int base, int classes, int label, double lo, double hi, double[] p,
            double[] grad, double[] scratch) {
        double loss = countingSparseRow(logits, base, classes, label, lo, hi, p, grad, scratch);
        return RowEvents.none(scratch) ? loss : Double.NaN;
    }

    @Override
    public double countingSparseRow(double[] logits, int base, int classes, int label, double lo, double hi,
            double[] p, double[] grad, double[] scratch) {
        RowEvents.clear(scratch);
        Precision f = format;
        int end = base + classes;
        // the logits rounded to the format; m = max z; e_j = exp(z_j - m), the difference rounded, exp rounded
        boolean clean = true;
        double m = Double.NEGATIVE_INFINITY;
        long subnormals = 0;
        for (int j = base; j < end; j++) {
            double z = f.round(logits[j]);
            grad[j] = z; // the rounded logits wait in the gradient's row, which is written last
            clean &= finite(z); // false for NaN too
            subnormals += RowEvents.subnormal(z, minNormal); // the reference's rounding of the inputs counts it
            m = Math.max(m, z);
        }
        double minE = Double.POSITIVE_INFINITY;
        double maxE = 0.0;
        for (int j = base; j < end; j++) {
            double z = grad[j];
            double d = z;
            if (shift) {
                d = f.round(z - m);
                clean &= Math.abs(d) <= maxFinite; // z - m overflowed: the reference records it
                subnormals += RowEvents.subnormal(d, minNormal);
            }
            double e = NarrowStrictMath.exp(d, f);
            p[j] = e;
            minE = Math.min(minE, e);
            maxE = Math.max(maxE, e);
        }
        if (!clean || !(maxE <= maxFinite)) {
            return Double.NaN;
        }
        long underflows = 0;
        if (!(minE >= minNormal)) {
            underflows = RowEvents.zeros(p, base, end);
            subnormals += RowEvents.subnormals(p, base, end, minNormal);
        }
        // s = Σ e_j accumulated left to right in fp32, then rounded to the format
        float acc = 0.0f;
        for (int j = base; j < end; j++) {
            acc += (float) p[j];
        }
        double s = f.round(acc);
        if (!(s > 0.0 && s <= maxFinite)) {
            return Double.NaN; // every exp underflowed (0/0 follows), or the sum overflowed
        }
        subnormals += RowEvents.subnormal(s, minNormal);
        double py = f.round(p[base + label] / s);
        double cpy = clip ? (py < lo ? lo : (py > hi ? hi : py)) : py;
        double logPy = NarrowStrictMath.log(cpy, f);
        double gy = !clip || (py >= lo && py <= hi) ? 0.0 - f.round(1.0 / cpy) : 0.0;
        // dot: the only non-zero term p_y g_y, rounded; fp32 accumulation of it and of +0 terms leaves it unchanged
        double dot = f.round(py * gy);
        double nd = 0.0 - dot; // ≥ +0: p_y ≥ 0 and g_y ≤ 0, so every p_j·nd below is ≥ +0
        double gyMinusDot = f.round(gy - dot);
        double gradY = f.round(py * gyMinusDot);
        clean = finite(logPy) && finite(gy) && zeroOrNormal(dot) && finite(gyMinusDot) && finite(gradY);
        if (!clean) {
            return Double.NaN;
        }
        subnormals += RowEvents.subnormal(logPy, minNormal) + RowEvents.subnormal(gy, minNormal)
                + RowEvents.subnormal(gyMinusDot, minNormal) + RowEvents.subnormal(gradY, minNormal);
        // division, product by nd ≥ 0 and rounding are monotonic: the smallest p_j and grad_j are those of the
        // smallest e_j, so whether these loops meet a subnormal at all is known before they start
        double minP = f.round(minE / s);
        boolean countP = !(minP >= minNormal);
        boolean countG = !(nd == 0.0 || f.round(minP * nd) >= minNormal);
        for (int j = base; j < end; j++) {
            double pj = f.round(p[j] / s);
            p[j] = pj;
            subnormals += countP ? RowEvents.subnormal(pj, minNormal) : 0;
        }
        for (int j = base; j < end; j++) {
            double g = f.round(p[j] * nd);
            grad[j] = g;
            subnormals += countG ? RowEvents.subnormal(g, minNormal) : 0;
        }
        // the label's entry is p_y (g_y - dot), counted above as gradY, not p_y·nd
        subnormals -= RowEvents.subnormal(grad[base + label], minNormal);
        grad[base + label] = gradY;
        if (clip) {
            scratch[ClipCount.SCRATCH_SLOT] = ClipCount.outside(p, base, classes, lo, hi);
        }
        RowEvents.set(scratch, subnormals, underflows);
        return 0.0 - logPy;
    }

    private boolean finite(double x) {
        return Math.abs(x) <= maxFinite;
    }

    private boolean zeroOrNormal(double x) {
        double a = Math.abs(x);
        return a == 0.0 || (a >= minNormal && a <= maxFinite);
    }
}
