package dev.softmaxlab.core.kernel;

import dev.softmaxlab.core.precision.NarrowStrictMath;
import dev.softmaxlab.core.precision.Precision;

/**
 * The fast twin of {@code FusedSoftmaxCrossEntropy.row} for the emulated half formats (bf16, fp16) with fp32
 * accumulation (the default) and sparse labels: the reference's operations in the reference's order, each result
 * rounded to the format as the reference rounds it, but with no per-operation dispatch to a counting arithmetic and
 * no accounting. As in {@link ScalarFusedFp64}, a row where the reference would count anything (a logit that is not
 * zero or a normal number of the format, an exp, probability or other result that is not, a scaled gradient entry
 * that is not) is refused and re-run by the instrumented reference.
 * <pre>
 *   z_j = round(z_j), m = max z, a its first index
 *   e_j = round(exp(z_j - m))                 z_j - m is exact in double for two values of the format
 *   s'  = round(Σ_{j≠a} e_j)                  16 compensated fp32 lanes ({@link LaneSums#compensatedSumFloat})
 *   s   = round(1 + s'),  loss = round(round(m - z_y) + round(log1p s'))
 *   grad_j = round(round(e_j / s) / D),  grad_y = round(-round(rest_y / s) / D)
 * </pre>
 * The roundings other than exp's are done on the bits (round to nearest even at the format's precision: add half
 * an ulp of the format minus one, plus the kept lowest bit, then clear the dropped bits). Whenever that gives a normal
 * number of the format it is the format's rounding ({@link Precision#round}); otherwise (a result in the format's
 * subnormal range or just above it, or beyond its largest finite number) it gives a value outside [smallest normal,
 * largest finite], which the row's checks refuse, and the reference recomputes the row. exp is
 * {@link NarrowStrictMath#exp}, the reference's own.
 */
public final class ScalarFusedHalf implements FusedSparseRowKernel {

    /** bf16 computed, fp32 accumulated. */
    public static final ScalarFusedHalf BF16 = new ScalarFusedHalf(Precision.BF16);
    /** fp16 computed, fp32 accumulated. */
    public static final ScalarFusedHalf FP16 = new ScalarFusedHalf(Precision.FP16);

    private final Precision format;
    private final double minNormal;
    private final double maxFinite;
    /** Half an ulp of the format at 1, minus one, in double bits: 2^(dropped - 1) - 1. */
    private final long halfMinusOne;
    /** Keeps the sign, the exponent and the format's significand bits. */
    private final long keptMask;
    /** The number of double significand bits the format drops: 52 - (format precision - 1). */
    private final int dropped;

    private ScalarFusedHalf(Precision format) {
        this.format = format;
        this.minNormal = format.minNormal();
        this.maxFinite = format.maxFinite();
        this.dropped = format == Precision.BF16 ? 45 : 42; // bf16 keeps 8 significand bits, fp16 11
        this.halfMinusOne = (1L << (dropped - 1)) - 1;
        this.keptMask = -1L << dropped;
    }

    /**
     * x rounded to nearest even at the format's precision, on the bits, with no range handling: the format's
     * rounding whenever this gives a normal number of the format (see the class comment).
     */
    private double round(double x) {
        long b = Double.doubleToRawLongBits(x);
        return Double.longBitsToDouble((b + halfMinusOne + ((b >>> dropped) & 1)) & keptMask);
    }

    /** {@link #round} of this kernel's format, for the tests and the dense twin ({@link ScalarFusedDenseHalf}). */
    double roundOnBits(double x) {
        return round(x);
    }

    /** {@link #finishedSparseRow} with divisor 1 and the probabilities kept. */
    @Override
    public double sparseRow(double[] logits, int base, int classes, int label, double[] p, double[] grad,
            double[] scratch) {
        return finishedSparseRow(logits, base, classes, label, p, grad, 1.0, scratch);
    }

    @Override
    public double finishedSparseRow(double[] logits, int base, int classes, int label, double[] p, double[] grad,
            double divisor, double[] scratch) {
        if (!(divisor >= 1.0)) {
            return Double.NaN; // the test below relies on |grad_j / D| ≤ |grad_j| ≤ p_j
        }
        Precision f = format;
        double zy = Double.NaN; // the label's logit in the format, kept before pass 2 overwrites it
        double m = Double.NEGATIVE_INFINITY;
        double zMin = Double.POSITIVE_INFINITY;
        int argmax = -1;
        boolean clean = true;
        double[] e = p != null ? p : grad; // z_j in the format, then e_j, is kept here until the last pass
        for (int j = 0; j < classes; j++) {
            double zj = round(logits[base + j]);
            e[base + j] = zj;
            clean &= zeroOrNormal(zj);
            zMin = Math.min(zMin, zj);
            if (zj > m) {
                m = zj;
                argmax = j;
            }
        }
        if (!clean || argmax < 0) {
            return Double.NaN;
        }
        zy = e[base + label];
        // a row whose smallest probability is most likely below the smallest normal (fp16 at C ≈ 1000 and more, for
        // spread logits) goes back now, before the exp pass: the reference will count it. A guess suffices (s from
        // 32 sampled classes), since a refused row is only recomputed and an accepted one is checked in full.
        if (smallestProbabilityGuess(e, base, classes, m, zMin) < 0.5 * minNormal) {
            return Double.NaN;
        }
        double minE = Double.MAX_VALUE;
        for (int j = 0; j < classes; j++) {
            double ej;
            if (j == argmax) {
                ej = 1.0;
            } else {
                ej = NarrowStrictMath.exp(e[base + j] - m, f);
                minE = Math.min(minE, ej);
            }
            e[base + j] = ej;
        }
        if (!(minE >= minNormal)) {
            return Double.NaN;
        }
        double sPrime = round(LaneSums.compensatedSumFloat(e, base, base + classes, base + argmax));
        double s = round(1.0 + sPrime);
        double logS = round(StrictMath.log1p(sPrime));
        double d = round(m - zy);
        double loss = round(d + logS);
        clean = zeroOrNormal(sPrime) & zeroOrNormal(s) & zeroOrNormal(logS) & zeroOrNormal(d) & zeroOrNormal(loss);
        if (!clean || !(round(minE / s) >= minNormal)) {
            // the smallest probability is not a normal number (in fp16 already at C ≈ 1000 for spread logits): the
            // reference will count it, so the row goes back before the last pass rather than after
            return Double.NaN;
        }
        double restY = label == argmax ? sPrime : round(s - e[base + label]);
        double minG = Double.MAX_VALUE;
        for (int j = 0; j < classes; j++) {
            double pj = round(e[base + j] / s);
            if (p != null) {
                p[base + j] = pj;
            }
            double g = round(pj / divisor);
            grad[base + j] = g;
            minG = Math.min(minG, g); // for D ≥ 1, a normal g has a normal p_j
        }
        double gy = round(restY / s);
        double gLabel = round((0.0 - gy) / divisor);
        grad[base + label] = gLabel;
        if (!clean || !(minG >= minNormal) || !zeroOrNormal(restY) || !zeroOrNormal(gy) || !zeroOrNormal(gLabel)) {
            return Double.NaN;
        }
        return loss;
    }

    /**
     * exp(zMin - m) over a guess of s: C times the mean of exp(z_j - m) over 32 classes spread over the row. Public
     * for the vector twin, which must refuse exactly the rows this refuses.
     *
     * @param z [B, C] the row's logits rounded to the format, from base; not modified
     */
    public static double smallestProbabilityGuess(double[] z, int base, int classes, double m, double zMin) {
        int samples = Math.min(classes, 32);
        double sum = 0.0;
        for (int k = 0; k < samples; k++) {
            sum += Math.exp(z[base + (int) ((long) k * classes / samples)] - m);
        }
        return Math.exp(zMin - m) / Math.max(1.0, sum * classes / samples);
    }

    private boolean zeroOrNormal(double x) {
        double a = Math.abs(x);
        return a == 0.0 || (a >= minNormal && a <= maxFinite);
    }
}
