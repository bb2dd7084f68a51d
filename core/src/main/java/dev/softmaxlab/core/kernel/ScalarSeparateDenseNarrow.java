package dev.softmaxlab.core.kernel;

import dev.softmaxlab.core.precision.NarrowStrictMath;
import dev.softmaxlab.core.precision.Precision;

/**
 * The separate paths' dense-target chain ({@link SeparateDenseRowKernel}) for the emulated half formats (bf16 or fp16
 * computed, fp32 accumulated, their default): the sparse twin {@link ScalarSeparateNarrow}'s softmax, then the dense
 * cross-entropy and the two backwards of {@link ScalarSeparateFp32#denseRow}, each result rounded to the format on the
 * bits as {@link ScalarFusedHalf} rounds (the format's own rounding wherever the result is a normal number of the
 * format, and otherwise a value outside [smallest normal, largest finite] that the row's checks refuse), exp and log
 * through {@link NarrowStrictMath} as the reference's, and the three sums (Σ e_j, Σ t_j log p_j, Σ p_k g_k) accumulated left to right in float (the fp32
 * accumulation) and rounded once to the format. Per row of C classes at base (round() the format's rounding):
 * <pre>
 *   z_j = round(z_j), t_j = round(q_j), m = max z (0 for the naive form)
 *   e_j = round(exp(round(z_j - m))),  s = round(Σ e_j),  p_j = round(e_j / s)
 *   loss = 0 - round(Σ_{t_j≠0} round(t_j round(log clip(p_j))))
 *   g_j  = 0 - round(t_j / clip(p_j))            0 where the clip holds p_j back
 *   dot  = round(Σ_k round(p_k g_k)),  grad_j = round(p_j round(g_j - dot))
 * </pre>
 * A class with t_j = 0 adds 0·log p_j = ±0 to the loss's sum, which keeps its bits, so its log is skipped (see
 * {@link SeparateDenseRowKernel}). A row is accepted when every result is zero or a normal number of the format, so
 * the reference counts nothing in it; otherwise it is refused and re-run by the instrumented reference. As in the
 * fused half kernels, a row whose smallest probability is most likely below the format's normals (most fp16 rows of
 * C ≥ 1000) is refused after its first pass, before any exp.
 */
public final class ScalarSeparateDenseNarrow implements SeparateDenseRowKernel {

    private static final ScalarSeparateDenseNarrow[] BF16 = forms(Precision.BF16);
    private static final ScalarSeparateDenseNarrow[] FP16 = forms(Precision.FP16);

    private final Precision format;
    /** The fused sparse twin of the same format: its rounding on the bits is this kernel's too. */
    private final ScalarFusedHalf bits;
    private final double minNormal;
    private final double maxFinite;
    private final boolean shift;
    private final boolean clip;

    private ScalarSeparateDenseNarrow(Precision format, SeparateForm form) {
        this.format = format;
        this.bits = format == Precision.BF16 ? ScalarFusedHalf.BF16 : ScalarFusedHalf.FP16;
        this.minNormal = format.minNormal();
        this.maxFinite = format.maxFinite();
        this.shift = form.shift();
        this.clip = form.clip();
    }

    private static ScalarSeparateDenseNarrow[] forms(Precision format) {
        SeparateForm[] forms = SeparateForm.values();
        ScalarSeparateDenseNarrow[] kernels = new ScalarSeparateDenseNarrow[forms.length];
        for (SeparateForm form : forms) {
            kernels[form.ordinal()] = new ScalarSeparateDenseNarrow(format, form);
        }
        return kernels;
    }

    /**
     * The kernel of one form in bf16 or fp16 (stateless, thread-safe).
     *
     * @throws IllegalArgumentException for fp32 and fp64, which have kernels of their own
     */
    public static ScalarSeparateDenseNarrow of(Precision format, SeparateForm form) {
        return switch (format) {
            case BF16 -> BF16[form.ordinal()];
            case FP16 -> FP16[form.ordinal()];
            default -> throw new IllegalArgumentException("no half-format kernel for " + format);
        };
    }

    @Override
    public double denseRow(double[] logits, int base, int classes, double[] q, double lo, double hi, double[] p,
            double[] grad) {
        Precision f = format;
        int end = base + classes;
        // softmax forward: the logits rounded (kept in the gradient's row, written last), m, e_j, s, p_j
        boolean clean = true;
        double m = Double.NEGATIVE_INFINITY;
        double zMin = Double.POSITIVE_INFINITY;
        for (int j = base; j < end; j++) {
            double z = round(logits[j]);
            grad[j] = z;
            clean &= zeroOrNormal(z);
            m = Math.max(m, z);
            zMin = Math.min(zMin, z);
        }
        // p_j = exp(z_j - max z) / Σ_k exp(z_k - max z) in both forms, so the same guess serves the naive one
        if (!clean || ScalarFusedHalf.smallestProbabilityGuess(grad, base, classes, m, zMin) < 0.5 * minNormal) {
            return Double.NaN;
        }
        double minE = Double.POSITIVE_INFINITY;
        for (int j = base; j < end; j++) {
            double z = grad[j];
            double d = shift ? round(z - m) : z;
            clean &= zeroOrNormal(d);
            double e = NarrowStrictMath.exp(d, f);
            p[j] = e;
            minE = Math.min(minE, e);
        }
        if (!clean || !(minE >= minNormal)) {
            return Double.NaN;
        }
        float acc = 0.0f;
        for (int j = base; j < end; j++) {
            acc += (float) p[j];
        }
        double s = round(acc);
        if (!(s >= minNormal && s <= maxFinite)) {
            return Double.NaN;
        }
        double minP = Double.POSITIVE_INFINITY;
        for (int j = base; j < end; j++) {
            double pj = round(p[j] / s);
            p[j] = pj;
            minP = Math.min(minP, pj);
        }
        if (!(minP >= minNormal)) {
            return Double.NaN;
        }
        // cross-entropy forward and backward, and the softmax backward's dot product, in one pass over the classes
        float sum = 0.0f;
        float dotAcc = 0.0f;
        for (int j = 0; j < classes; j++) {
            double t = round(q[j]);
            clean &= zeroOrNormal(t);
            double pj = p[base + j];
            double cpj = clip ? (pj < lo ? lo : (pj > hi ? hi : pj)) : pj;
            if (t != 0.0) {
                double log = NarrowStrictMath.log(cpj, f);
                double term = round(t * log);
                clean &= zeroOrNormal(log) & zeroOrNormal(term);
                sum += (float) term;
            }
            double g = 0.0;
            if (!clip || (pj >= lo && pj <= hi)) {
                double ratio = round(t / cpj);
                clean &= zeroOrNormal(ratio);
                g = 0.0 - ratio;
            }
            grad[base + j] = g;
            double pg = round(pj * g);
            clean &= zeroOrNormal(pg);
            dotAcc += (float) pg;
        }
        double total = round(sum);
        double dot = round(dotAcc);
        clean &= zeroOrNormal(total) & zeroOrNormal(dot);
        for (int j = base; j < end; j++) {
            double d = round(grad[j] - dot);
            double gj = round(p[j] * d);
            clean &= zeroOrNormal(d) & zeroOrNormal(gj);
            grad[j] = gj;
        }
        return clean ? 0.0 - total : Double.NaN;
    }

    private double round(double x) {
        return bits.roundOnBits(x);
    }

    private boolean zeroOrNormal(double x) {
        double a = Math.abs(x);
        return a == 0.0 || (a >= minNormal && a <= maxFinite);
    }
}
