package dev.softmaxlab.core.kernel;

import dev.softmaxlab.core.precision.NarrowStrictMath;
import dev.softmaxlab.core.precision.Precision;

/**
 * The fast twin of {@code FusedSoftmaxCrossEntropy.row} for the emulated half formats (bf16, fp16) with fp32
 * accumulation (the default) and sparse labels: the reference's operations in the reference's order, each result
 * rounded to the format as the reference rounds it, but with no per-operation dispatch to a counting arithmetic. A row
 * with a logit that is NaN or beyond the format's range, or with a non-finite result anywhere, is refused and re-run by
 * the instrumented reference. The finite events of a row ({@link RowEvents}: results below the format's smallest
 * normal, which are common in fp16 at C ≈ 1000 and more, and exps that round to 0) do not send it back:
 * {@link #countingFinishedSparseRow} counts them as the reference does and keeps the row.
 * <pre>
 *   z_j = round(z_j), m = max z, a its first index
 *   e_j = round(exp(z_j - m))                 z_j - m is exact in double for two values of the format
 *   s'  = round(Σ_{j≠a} e_j)                  16 compensated fp32 lanes ({@link LaneSums#compensatedSumFloat})
 *   s   = round(1 + s'),  loss = round(round(m - z_y) + round(log1p s'))
 *   grad_j = round(round(e_j / s) / D),  grad_y = round(-round(rest_y / s) / D)
 * </pre>
 * A result whose magnitude is at least the format's smallest normal is rounded on the bits (round to nearest even at
 * the format's precision: add half an ulp of the format minus one, plus the kept lowest bit, then clear the dropped
 * bits), which is the format's rounding there ({@link Precision#round}) up to overflow, which the row's checks refuse.
 * A smaller result takes {@link Precision#round} itself, whose quantum there is the smallest subnormal. exp is
 * {@link NarrowStrictMath#exp}, the reference's own.
 *
 * <p>What is counted, as the reference counts it: every exp that gives 0 ({@code expUnderflow}); every non-zero
 * result below the smallest normal ({@code subnormal}) among the rounded logits, the exps, s', log1p s', m - z_y, the loss, rest_y, the
 * probabilities, rest_y / s and, when the batch end divides (D ≠ 1), the divided gradient entries (the batch end's
 * counted division, which a finished row skips).
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

    /**
     * {@link #round} of this kernel's format, for the tests, the dense twin ({@link ScalarFusedDenseHalf}) and the
     * head kernels, which round raw logits with it: a NaN stays NaN (adding to its bits would carry an all-ones
     * payload into the sign, or drop a payload held only in the dropped bits, and give a zero or an infinity).
     */
    double roundOnBits(double x) {
        return roundOnBits(x, dropped, halfMinusOne, keptMask);
    }

    /**
     * x rounded on its bits to a format that drops the low {@code dropped} significand bits ({@link #round}, given
     * the format's constants), with a NaN kept as it is: the one home of that rounding for the vector twins' tails.
     *
     * @param halfMinusOne 2^(dropped - 1) - 1
     * @param keptMask     -1L &lt;&lt; dropped
     */
    public static double roundOnBits(double x, int dropped, long halfMinusOne, long keptMask) {
        if (x != x) {
            return x;
        }
        long b = Double.doubleToRawLongBits(x);
        return Double.longBitsToDouble((b + halfMinusOne + ((b >>> dropped) & 1)) & keptMask);
    }

    /**
     * x rounded to the format: on the bits when |x| is at least the smallest normal (see the class comment), else by
     * the format's own rounding, which gives the subnormals and zero as the reference does.
     */
    private double roundExact(double x) {
        return Math.abs(x) >= minNormal ? round(x) : format.round(x);
    }

    /** {@link #finishedSparseRow} with divisor 1 and the probabilities kept. */
    @Override
    public double sparseRow(double[] logits, int base, int classes, int label, double[] p, double[] grad,
            double[] scratch) {
        return finishedSparseRow(logits, base, classes, label, p, grad, 1.0, scratch);
    }

    /**
     * {@link #countingFinishedSparseRow}, refusing also a row with a finite event (the interface's contract); in fp16
     * a row whose probabilities are most likely subnormal is refused before it is computed
     * ({@link #likelySubnormalProbability}; its vector twin refuses the same rows).
     */
    @Override
    public double finishedSparseRow(double[] logits, int base, int classes, int label, double[] p, double[] grad,
            double divisor, double[] scratch) {
        if (format == Precision.FP16 && likelySubnormalProbability(logits, base, classes, minNormal)) {
            return Double.NaN; // refused before paying for it (most fp16 rows of 1000+ classes)
        }
        double loss = countingFinishedSparseRow(logits, base, classes, label, p, grad, divisor, scratch);
        return RowEvents.none(scratch) ? loss : Double.NaN;
    }

    @Override
    public double countingFinishedSparseRow(double[] logits, int base, int classes, int label, double[] p,
            double[] grad, double divisor, double[] scratch) {
        RowEvents.clear(scratch);
        if (!(divisor >= 1.0)) {
            return Double.NaN; // the batch end's division of a row with D < 1 is left to the reference
        }
        Precision f = format;
        double m = Double.NEGATIVE_INFINITY;
        int argmax = -1;
        boolean clean = true;
        double[] e = p != null ? p : grad; // z_j in the format, then e_j, is kept here until the last pass
        long subnormals = 0;
        for (int j = 0; j < classes; j++) {
            double zj = roundExact(logits[base + j]);
            e[base + j] = zj;
            clean &= Math.abs(zj) <= maxFinite; // false for NaN too
            subnormals += RowEvents.subnormal(zj, minNormal); // the reference's rounding of the inputs counts it
            if (zj > m) {
                m = zj;
                argmax = j;
            }
        }
        if (!clean || argmax < 0) {
            return Double.NaN;
        }
        double zy = e[base + label];
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
        long underflows = 0;
        if (!(minE >= minNormal)) {
            // some exp fell below the normals: count, as the reference does, the zeros and the subnormals
            underflows = RowEvents.zeros(e, base, base + classes);
            subnormals += RowEvents.subnormals(e, base, base + classes, minNormal);
        }
        double sPrime = roundExact(LaneSums.compensatedSumFloat(e, base, base + classes, base + argmax));
        double s = round(1.0 + sPrime);
        double logS = roundExact(StrictMath.log1p(sPrime));
        double d = roundExact(m - zy);
        double loss = roundExact(d + logS);
        if (!(s <= maxFinite && d <= maxFinite && loss <= maxFinite)) {
            return Double.NaN; // the sum or m - z_y overflowed the format: the reference records where
        }
        subnormals += RowEvents.subnormal(sPrime, minNormal) + RowEvents.subnormal(logS, minNormal)
                + RowEvents.subnormal(d, minNormal) + RowEvents.subnormal(loss, minNormal);
        double restY;
        if (label == argmax) {
            restY = sPrime;
        } else {
            restY = roundExact(s - e[base + label]);
            subnormals += RowEvents.subnormal(restY, minNormal);
        }
        boolean divides = divisor != 1.0; // D = 1: the batch end does not divide, and counts nothing
        for (int j = 0; j < classes; j++) {
            double pj = roundExact(e[base + j] / s);
            if (p != null) {
                p[base + j] = pj;
            }
            double g = roundExact(pj / divisor);
            grad[base + j] = g;
            subnormals += RowEvents.subnormal(pj, minNormal) + (divides ? RowEvents.subnormal(g, minNormal) : 0);
        }
        double gy = roundExact(restY / s);
        double gLabel = roundExact((0.0 - gy) / divisor);
        subnormals += RowEvents.subnormal(gy, minNormal);
        if (divides) {
            // the batch end divides grad_y = -rest_y / s, not p_y: its count replaces the one of p_y / D above
            subnormals += RowEvents.subnormal(gLabel, minNormal) - RowEvents.subnormal(grad[base + label], minNormal);
        }
        grad[base + label] = gLabel;
        RowEvents.set(scratch, subnormals, underflows);
        return loss;
    }

    /**
     * Whether a row of raw logits (not yet rounded to the format) most likely holds a probability below minNormal
     * (most fp16 rows of 1000 classes and more): {@link #smallestProbabilityGuess} after one max and min pass. For
     * kernels that refuse such rows before paying for them; a wrong guess only sends a row to the reference. A row
     * with a NaN or an infinity gives false (the kernels' own checks refuse it).
     */
    public static boolean likelySubnormalProbability(double[] logits, int base, int classes, double minNormal) {
        double m = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        for (int j = base; j < base + classes; j++) {
            m = Math.max(m, logits[j]);
            min = Math.min(min, logits[j]);
        }
        return m - min < Double.POSITIVE_INFINITY
                && smallestProbabilityGuess(logits, base, classes, m, min) < 0.5 * minNormal;
    }

    /**
     * exp(zMin - m) over a guess of s: C times the mean of exp(z_j - m) over 32 classes spread over the row. The half
     * kernels that do not count finite events (the dense ones) refuse early a row whose guess is below half the
     * smallest normal, since the reference will count something there; their vector twins use it to refuse exactly
     * the same rows.
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
}
