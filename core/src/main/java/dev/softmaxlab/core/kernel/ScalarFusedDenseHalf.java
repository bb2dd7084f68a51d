package dev.softmaxlab.core.kernel;

import dev.softmaxlab.core.precision.NarrowStrictMath;
import dev.softmaxlab.core.precision.Precision;

/**
 * The fast twin of {@code FusedSoftmaxCrossEntropy.row} for the emulated half formats (bf16, fp16) accumulated in
 * fp32 (their default) with a dense target of mass 1: {@link ScalarFusedDenseFp64}'s formula with every result
 * rounded to the format as the reference rounds it, and the sums accumulated in float as the reference accumulates
 * them. No per-operation accounting; the batch end's division is folded into the last pass. Per row of C classes at
 * base (t the target row, m the max, a its first argmax; round() is the format's rounding):
 * <pre>
 *   z_j = round(z_j), t_j = round(t_j)
 *   e_j = round(exp(z_j - m)), e_a = 1          z_j - m is exact in double for two values of the format
 *   s'  = round(Σ_{j≠a} e_j)                    16 compensated fp32 lanes ({@link LaneSums#compensatedSumFloat})
 *   s   = round(1 + s'),  logS = round(log1p s')
 *   cross = round(Σ_{t_j≠0} round(t_j round(m - z_j))),  mass = round(Σ_{t_j≠0} t_j)   fp32, left to right
 *   loss  = round(cross + round(mass logS))
 *   grad_j = round(round(round(round(e_j round(1 - t_j)) - round(t_j rest_j)) / s) / D)
 *            rest_j = round(s - e_j), s' at a;   p_j = round(e_j / s)
 * </pre>
 * Every rounding but exp's is {@link ScalarFusedHalf}'s rounding on the bits, which is the format's own rounding
 * whenever the result is a normal number of the format, and otherwise gives a value outside [smallest normal,
 * largest finite] that the row's checks refuse (exp is {@link NarrowStrictMath#exp}, the reference's own). A row is
 * accepted when every result is zero or a normal number of the format (so the reference counts nothing in it) and no
 * gradient numerator cancels below {@link ScalarFusedDenseFp64#DENSE_CANCELLATION} of its larger term (there the
 * reference takes the entry from the exact reference). As in the sparse half twin, a row whose smallest probability
 * is most likely not normal (fp16 rows of a realistic width) is refused before its exp pass.
 */
public final class ScalarFusedDenseHalf implements FusedDenseRowKernel {

    /** bf16 computed, fp32 accumulated. */
    public static final ScalarFusedDenseHalf BF16 = new ScalarFusedDenseHalf(Precision.BF16);
    /** fp16 computed, fp32 accumulated. */
    public static final ScalarFusedDenseHalf FP16 = new ScalarFusedDenseHalf(Precision.FP16);

    private final Precision format;
    /** The sparse twin of the same format: its rounding on the bits is this kernel's too. */
    private final ScalarFusedHalf bits;
    private final double minNormal;
    private final double maxFinite;

    private ScalarFusedDenseHalf(Precision format) {
        this.format = format;
        this.bits = format == Precision.BF16 ? ScalarFusedHalf.BF16 : ScalarFusedHalf.FP16;
        this.minNormal = format.minNormal();
        this.maxFinite = format.maxFinite();
    }

    /**
     * The kernel of one half format (stateless, thread-safe).
     *
     * @throws IllegalArgumentException for fp32 and fp64, which have kernels of their own
     */
    public static ScalarFusedDenseHalf of(Precision format) {
        return switch (format) {
            case BF16 -> BF16;
            case FP16 -> FP16;
            default -> throw new IllegalArgumentException("no half-format kernel for " + format);
        };
    }

    private double round(double x) {
        return bits.roundOnBits(x);
    }

    @Override
    public double finishedDenseRow(double[] logits, double[] targets, int base, int classes, double[] p,
            double[] grad, double divisor, double[] scratch) {
        if (!(divisor >= 1.0)) {
            return Double.NaN; // the test of the scaled gradient below relies on |grad_j / D| ≤ |grad_j|
        }
        int end = base + classes;
        double[] e = p != null ? p : grad; // z_j in the format, then e_j, is kept here until the last pass
        double m = Double.NEGATIVE_INFINITY;
        double zMin = Double.POSITIVE_INFINITY;
        int argmax = -1;
        boolean clean = true;
        for (int j = base; j < end; j++) {
            double zj = round(logits[j]);
            e[j] = zj;
            clean &= zeroOrNormal(zj) & zeroOrNormal(round(targets[j]));
            zMin = Math.min(zMin, zj);
            if (zj > m) {
                m = zj;
                argmax = j;
            }
        }
        if (!clean || argmax < 0
                || ScalarFusedHalf.smallestProbabilityGuess(e, base, classes, m, zMin) < 0.5 * minNormal) {
            return Double.NaN; // a countable input, or (most likely) a probability below the normals: the reference
        }
        double minE = Double.MAX_VALUE;
        for (int j = base; j < end; j++) {
            double ej;
            if (j == argmax) {
                ej = 1.0;
            } else {
                ej = NarrowStrictMath.exp(e[j] - m, format);
                minE = Math.min(minE, ej);
            }
            e[j] = ej;
        }
        if (!(minE >= minNormal)) {
            return Double.NaN;
        }
        double sPrime = round(LaneSums.compensatedSumFloat(e, base, end, argmax));
        double s = round(1.0 + sPrime);
        double logS = round(StrictMath.log1p(sPrime));
        // the cross term and the mass, over the classes the target weighs, accumulated left to right in fp32
        float crossAcc = 0.0f;
        float massAcc = 0.0f;
        for (int j = base; j < end; j++) {
            double tj = round(targets[j]);
            if (tj != 0.0) {
                double diff = round(m - round(logits[j]));
                double term = round(tj * diff);
                clean &= zeroOrNormal(diff) & zeroOrNormal(term);
                crossAcc += (float) term;
                massAcc += (float) tj;
            }
        }
        double cross = round(crossAcc);
        double mass = round(massAcc);
        double massLog = round(mass * logS);
        double loss = round(cross + massLog);
        clean &= zeroOrNormal(sPrime) & zeroOrNormal(s) & zeroOrNormal(logS) & zeroOrNormal(cross)
                & zeroOrNormal(mass) & zeroOrNormal(massLog) & zeroOrNormal(loss);
        if (!clean) {
            return Double.NaN;
        }
        for (int j = base; j < end; j++) {
            double ej = e[j];
            double tj = round(targets[j]);
            double rest = j == argmax ? sPrime : round(s - ej);
            double keep = round(1.0 - tj);
            double kept = round(ej * keep);
            double given = round(tj * rest);
            double numerator = round(kept - given);
            double g = round(numerator / s);
            double pj = round(ej / s);
            double scaled = round(g / divisor);
            if (p != null) {
                p[j] = pj;
            }
            grad[j] = scaled;
            clean &= zeroOrNormal(rest) & zeroOrNormal(keep) & zeroOrNormal(kept) & zeroOrNormal(given)
                    & zeroOrNormal(numerator) & zeroOrNormal(g) & zeroOrNormal(scaled) & pj >= minNormal
                    & !(Math.abs(numerator) < ScalarFusedDenseFp64.DENSE_CANCELLATION
                            * Math.max(Math.abs(kept), Math.abs(given)));
        }
        return clean ? loss : Double.NaN;
    }

    private boolean zeroOrNormal(double x) {
        double a = Math.abs(x);
        return a == 0.0 || (a >= minNormal && a <= maxFinite);
    }
}
