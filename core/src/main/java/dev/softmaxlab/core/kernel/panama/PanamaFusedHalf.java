package dev.softmaxlab.core.kernel.panama;

import dev.softmaxlab.core.kernel.ExactReciprocal;
import dev.softmaxlab.core.kernel.FusedSparseRowKernel;
import dev.softmaxlab.core.kernel.ScalarFusedHalf;
import dev.softmaxlab.core.precision.NarrowStrictMath;
import dev.softmaxlab.core.precision.Precision;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ScalarFusedHalf} with 4 lanes at a time, for bf16 and fp16 computed and fp32 accumulated: the same
 * operations in the same order, each result rounded to the format in the lanes by its bits, as
 * {@link PanamaSeparateNarrow} does:
 * <pre>
 *   round(x) = (bits(x) + (2^(D-1) - 1) + bit D of x) with the low D bits cleared     D = 53 - p, p = 8 or 11
 * </pre>
 * which is the format's rounding whenever the result is a normal number of the format (the scalar twin's rounding
 * too). The one place where the scalar twin rounds otherwise is exp, which it rounds with the format's own rounding
 * ({@link NarrowStrictMath#exp}); the lanes round StrictMath's bits (from {@link VectorExp}) on the bits, which agrees
 * wherever the result is normal. A row whose smallest exp is not, or whose logits spread beyond the vector exp's
 * range, is handed to the scalar twin whole, so this kernel refuses exactly the rows the scalar twin refuses.
 */
final class PanamaFusedHalf implements FusedSparseRowKernel {

    static final PanamaFusedHalf BF16 = new PanamaFusedHalf(Precision.BF16, ScalarFusedHalf.BF16);
    static final PanamaFusedHalf FP16 = new PanamaFusedHalf(Precision.FP16, ScalarFusedHalf.FP16);

    private static final VectorSpecies<Double> S = VectorExp.S;
    private static final int W = 4;
    private static final DoubleVector ONE = DoubleVector.broadcast(S, 1.0);
    /** fdlibm returns 1 + x for |x| &lt; 2^-28 (its first branch), which the vector formula does not cover. */
    private static final double TINY = 0x1p-28;

    private final ScalarFusedHalf scalar;
    private final Precision format;
    private final double minNormal;
    private final double maxFinite;
    /** The number of double significand bits the format drops: 53 - p. */
    private final int dropped;
    /** Half an ulp of the format, minus one, in double bits: 2^(dropped - 1) - 1. */
    private final long half;
    /** Keeps the sign, the exponent and the format's significand bits. */
    private final long keep;

    private PanamaFusedHalf(Precision format, ScalarFusedHalf scalar) {
        this.scalar = scalar;
        this.format = format;
        this.minNormal = format.minNormal();
        this.maxFinite = format.maxFinite();
        this.dropped = 53 - (format == Precision.BF16 ? 8 : 11);
        this.half = (1L << (dropped - 1)) - 1;
        this.keep = -1L << dropped;
    }

    static PanamaFusedHalf of(Precision format) {
        return switch (format) {
            case BF16 -> BF16;
            case FP16 -> FP16;
            default -> throw new IllegalArgumentException("no half-format kernel for " + format);
        };
    }

    /*
     * One vector loop per method, as in PanamaFusedFp64 (which says why); the rounding is written out in each loop
     * for the same reason.
     */

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
            return Double.NaN; // as the scalar twin: its tests rely on |grad_j / D| ≤ |grad_j| ≤ p_j
        }
        Precision f = format;
        int end = base + classes;
        int vecEnd = base + S.loopBound(classes);
        double[] e = p != null ? p : grad; // z_j in the format, then e_j, is kept here until the last pass
        // 1. z = logits rounded, into e; max, min, the smallest non-zero |z| and the largest |z|
        // PanamaSeparateNarrow's pass 1 with no flush to zero (zeroBelow 0): a logit too small for the format stays
        // a tiny non-zero value here, which the row's normal-range test then refuses, as the scalar twin does
        PanamaSeparateNarrow.roundLogits(logits, e, base, vecEnd, dropped, half, keep, 0.0, scratch);
        double mMax = scratch[0];
        double zMin = scratch[1];
        double smallest = scratch[2];
        double largest = scratch[3];
        for (int j = vecEnd; j < end; j++) {
            double z = round(logits[j]);
            e[j] = z;
            mMax = Math.max(mMax, z);
            zMin = Math.min(zMin, z);
            double a = Math.abs(z);
            smallest = a == 0.0 ? smallest : Math.min(smallest, a);
            largest = Math.max(largest, a);
        }
        // every z zero or normal in the format (false also when one is NaN, which max and min spread)
        if (!(smallest >= minNormal && largest <= maxFinite) || classes < 1) {
            return Double.NaN;
        }
        int argmax = base;
        while (e[argmax] != mMax) {
            argmax++;
        }
        double m = e[argmax]; // the first maximum, with its own sign of zero, as the scalar twin keeps it
        double zy = e[base + label];
        if (ScalarFusedHalf.smallestProbabilityGuess(e, base, classes, m, zMin) < 0.5 * minNormal) {
            return Double.NaN;
        }
        if (!(zMin - m >= VectorExp.NON_POSITIVE_LOW)) {
            // a spread beyond the vector exp's range: every exp but the largest is far below the format's normals,
            // so the scalar twin refuses it; it decides
            return scalar.finishedSparseRow(logits, base, classes, label, p, grad, divisor, scratch);
        }
        // 2. e_j = round(exp(z_j - m)); the argmax's lane gives exp(0) = 1, the scalar twin's value there
        double minE = shiftedExps(e, base, vecEnd, m, dropped, half, keep);
        for (int j = vecEnd; j < end; j++) {
            double ej = NarrowStrictMath.exp(e[j] - m, f);
            e[j] = ej;
            minE = Math.min(minE, ej);
        }
        e[argmax] = 1.0;
        if (!(minE >= minNormal)) {
            // an exp the lanes rounded below the normals: the format's own rounding may still give the smallest
            // normal there, so the scalar twin decides whether the row is refused
            return scalar.finishedSparseRow(logits, base, classes, label, p, grad, divisor, scratch);
        }
        // 3. s' in the reference's 16 fp32 lanes; the argmax term is left out by adding +0 in its place
        e[argmax] = 0.0;
        double sPrime = round(PanamaFusedFp32.laneSum(e, base, end, scratch));
        e[argmax] = 1.0;
        double s = round(1.0 + sPrime);
        double logS = round(StrictMath.log1p(sPrime));
        double d = round(m - zy);
        double loss = round(d + logS);
        boolean clean = zeroOrNormal(sPrime) & zeroOrNormal(s) & zeroOrNormal(logS) & zeroOrNormal(d)
                & zeroOrNormal(loss);
        if (!clean || !(round(minE / s) >= minNormal)) {
            return Double.NaN;
        }
        double restY = argmax == base + label ? sPrime : round(s - e[base + label]);
        // 4. p_j = round(e_j / s), grad_j = round(p_j / D) (times 1/D when that is exact: the same real, same bits)
        double inverse = ExactReciprocal.of(divisor);
        boolean multiply = inverse == inverse;
        double minG = divide(e, p != null, grad, base, vecEnd, s, multiply ? inverse : divisor, multiply, dropped,
                half, keep);
        for (int j = vecEnd; j < end; j++) {
            double pj = round(e[j] / s);
            if (p != null) {
                p[j] = pj;
            }
            double g = round(multiply ? pj * inverse : pj / divisor);
            grad[j] = g;
            minG = Math.min(minG, g);
        }
        double gy = round(restY / s);
        double gLabel = round((0.0 - gy) / divisor);
        grad[base + label] = gLabel;
        if (!(minG >= minNormal) || !zeroOrNormal(restY) || !zeroOrNormal(gy) || !zeroOrNormal(gLabel)) {
            return Double.NaN;
        }
        return loss;
    }

    /** The lanes' rounding, one value at a time (the scalar twin's rounding on the bits). */
    private double round(double x) {
        long b = Double.doubleToRawLongBits(x);
        return Double.longBitsToDouble((b + half + ((b >>> dropped) & 1)) & keep);
    }

    private boolean zeroOrNormal(double x) {
        double a = Math.abs(x);
        return a == 0.0 || (a >= minNormal && a <= maxFinite);
    }

    /**
     * Pass 2 on [base, vecEnd): e_j = round(exp(z_j - m)) in place, for z_j - m in [-708, 0] (exact in double for two
     * values of the format); returns min e_j. Lanes with a difference in (-2^-28, 0] take fdlibm's 1 + d.
     */
    static double shiftedExps(double[] e, int base, int vecEnd, double m, int dropped, long half, long keep) {
        DoubleVector vm = DoubleVector.broadcast(S, m);
        DoubleVector vMinE = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        for (int j = base; j < vecEnd; j += W) {
            DoubleVector d = DoubleVector.fromArray(S, e, j).sub(vm);
            LongVector eb = (LongVector) VectorExp.expNonPositive(d)
                    .blend(ONE.add(d), d.compare(VectorOperators.GT, -TINY))
                    .convert(VectorOperators.REINTERPRET_D2L, 0);
            DoubleVector ej = (DoubleVector) eb.add(half).add(eb.lanewise(VectorOperators.LSHR, dropped).and(1L))
                    .and(keep).convert(VectorOperators.REINTERPRET_L2D, 0);
            ej.intoArray(e, j);
            vMinE = vMinE.min(ej);
        }
        return vMinE.reduceLanes(VectorOperators.MIN);
    }

    /**
     * Pass 4 on [base, vecEnd): p_j = round(e_j / s), kept in e when keepP (e is then the probabilities; else it is
     * grad, overwritten in place), grad_j = round(p_j / D), or round(p_j · (1/D)) when multiply (then scale is 1/D,
     * else D); returns the minimum grad_j (for D ≥ 1 a normal grad_j has a normal p_j).
     */
    private static double divide(double[] e, boolean keepP, double[] grad, int base, int vecEnd, double s,
            double scale, boolean multiply, int dropped, long half, long keep) {
        DoubleVector vs = DoubleVector.broadcast(S, s);
        DoubleVector vScale = DoubleVector.broadcast(S, scale);
        DoubleVector vMin = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        for (int j = base; j < vecEnd; j += W) {
            LongVector qb = (LongVector) DoubleVector.fromArray(S, e, j).div(vs)
                    .convert(VectorOperators.REINTERPRET_D2L, 0);
            DoubleVector pj = (DoubleVector) qb.add(half).add(qb.lanewise(VectorOperators.LSHR, dropped).and(1L))
                    .and(keep).convert(VectorOperators.REINTERPRET_L2D, 0);
            if (keepP) {
                pj.intoArray(e, j);
            }
            LongVector gb = (LongVector) (multiply ? pj.mul(vScale) : pj.div(vScale))
                    .convert(VectorOperators.REINTERPRET_D2L, 0);
            DoubleVector g = (DoubleVector) gb.add(half).add(gb.lanewise(VectorOperators.LSHR, dropped).and(1L))
                    .and(keep).convert(VectorOperators.REINTERPRET_L2D, 0);
            g.intoArray(grad, j);
            vMin = vMin.min(g);
        }
        return vMin.reduceLanes(VectorOperators.MIN);
    }
}
