package dev.softmaxlab.core.kernel.panama;

import dev.softmaxlab.core.kernel.ExactReciprocal;
import dev.softmaxlab.core.kernel.FusedSparseRowKernel;
import dev.softmaxlab.core.kernel.RowEvents;
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
 * too). Below the smallest normal the format's quantum is its smallest subnormal q, and a lane there is rounded as
 * (x + 1.5·2^52·q) - 1.5·2^52·q, which is the format's rounding of x ≥ 0 (every exp, probability and gradient entry
 * but the label's, which is formed one at a time, is ≥ 0). So exps that fall below the normals (most rows of fp16 at
 * C ≈ 1000 and more) keep the row in the lanes, and the row's finite events are counted as the scalar twin counts
 * them ({@link #countingFinishedSparseRow}): the exps' zeros and subnormals in a pass of their own, run only when the
 * smallest exp is below the normals; the probabilities' and the gradient's subnormals with lane masks in a division
 * pass of their own, chosen only when the smallest probability or gradient entry (known before the pass: division and
 * rounding are monotonic) is below the normals. A row without such results runs the uncounted passes. A row whose
 * logits spread beyond the vector exp's range is handed to the scalar twin whole.
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
    /** 1.5·2^52 times the format's smallest subnormal: (x + it) - it rounds 0 ≤ x &lt; 2^51 of them as the format. */
    private final double subnormalRounder;

    private PanamaFusedHalf(Precision format, ScalarFusedHalf scalar) {
        this.scalar = scalar;
        this.format = format;
        this.minNormal = format.minNormal();
        this.maxFinite = format.maxFinite();
        this.dropped = 53 - (format == Precision.BF16 ? 8 : 11);
        this.half = (1L << (dropped - 1)) - 1;
        this.keep = -1L << dropped;
        this.subnormalRounder = 0x1.8p52 * format.minSubnormal();
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

    /** {@link #countingFinishedSparseRow}, refusing also a row with a finite event (the interface's contract). */
    @Override
    public double finishedSparseRow(double[] logits, int base, int classes, int label, double[] p, double[] grad,
            double divisor, double[] scratch) {
        if (format == Precision.FP16 && ScalarFusedHalf.likelySubnormalProbability(logits, base, classes,
                Precision.FP16.minNormal())) {
            return Double.NaN; // as the scalar twin: refused before paying for it
        }
        double loss = countingFinishedSparseRow(logits, base, classes, label, p, grad, divisor, scratch);
        return RowEvents.none(scratch) ? loss : Double.NaN;
    }

    @Override
    public double countingFinishedSparseRow(double[] logits, int base, int classes, int label, double[] p,
            double[] grad, double divisor, double[] scratch) {
        RowEvents.clear(scratch);
        if (!(divisor >= 1.0)) {
            return Double.NaN; // as the scalar twin
        }
        Precision f = format;
        int end = base + classes;
        int vecEnd = base + S.loopBound(classes);
        double[] e = p != null ? p : grad; // z_j in the format, then e_j, is kept here until the last pass
        // 1. z = logits rounded, into e; max, min, the smallest non-zero |z| and the largest |z|
        // PanamaSeparateNarrow's pass 1, which rounds as the format also below its normals
        PanamaSeparateNarrow.roundLogits(logits, e, base, vecEnd, dropped, half, keep, minNormal, subnormalRounder,
                scratch);
        double mMax = scratch[0];
        double zMin = scratch[1];
        double smallest = scratch[2];
        double largest = scratch[3];
        for (int j = vecEnd; j < end; j++) {
            double z = roundExact(logits[j]);
            e[j] = z;
            mMax = Math.max(mMax, z);
            zMin = Math.min(zMin, z);
            double a = Math.abs(z);
            smallest = a == 0.0 ? smallest : Math.min(smallest, a);
            largest = Math.max(largest, a);
        }
        RowEvents.clear(scratch); // pass 1 used the slots
        // every z finite in the format (false also when one is NaN, which max and min spread)
        if (!(largest <= maxFinite) || classes < 1) {
            return Double.NaN;
        }
        // a logit that is subnormal in the format is counted, as the reference's rounding of the inputs counts it
        long subnormals = smallest < minNormal ? RowEvents.subnormals(e, base, end, minNormal) : 0;
        int argmax = base;
        while (e[argmax] != mMax) {
            argmax++;
        }
        double m = e[argmax]; // the first maximum, with its own sign of zero, as the scalar twin keeps it
        double zy = e[base + label];
        if (!(zMin - m >= VectorExp.NON_POSITIVE_LOW)) {
            // a spread beyond the vector exp's range: the scalar twin computes (and counts) the row
            return scalar.countingFinishedSparseRow(logits, base, classes, label, p, grad, divisor, scratch);
        }
        // 2. e_j = round(exp(z_j - m)), the format's rounding also below its normals; the argmax's lane gives
        // exp(0) = 1, the scalar twin's value there
        double minE = shiftedExps(e, base, vecEnd, m, dropped, half, keep, minNormal, subnormalRounder);
        for (int j = vecEnd; j < end; j++) {
            double ej = NarrowStrictMath.exp(e[j] - m, f);
            e[j] = ej;
            minE = Math.min(minE, ej);
        }
        e[argmax] = 1.0;
        long underflows = 0;
        if (!(minE >= minNormal)) {
            // some exp fell below the normals: a pass of its own counts them, so a row without them pays nothing
            PanamaSeparateNarrow.countExps(e, base, end, minNormal, scratch);
            underflows = (long) scratch[0];
            subnormals += (long) scratch[1];
        }
        // 3. s' in the reference's 16 fp32 lanes; the argmax term is left out by adding +0 in its place
        e[argmax] = 0.0;
        double sPrime = roundExact(PanamaFusedFp32.laneSum(e, base, end, scratch));
        e[argmax] = 1.0;
        double s = round(1.0 + sPrime);
        double logS = roundExact(StrictMath.log1p(sPrime));
        double d = roundExact(m - zy);
        double loss = roundExact(d + logS);
        if (!(s <= maxFinite && d <= maxFinite && loss <= maxFinite)) {
            return Double.NaN;
        }
        subnormals += RowEvents.subnormal(sPrime, minNormal) + RowEvents.subnormal(logS, minNormal)
                + RowEvents.subnormal(d, minNormal) + RowEvents.subnormal(loss, minNormal);
        double restY;
        if (argmax == base + label) {
            restY = sPrime;
        } else {
            restY = roundExact(s - e[base + label]);
            subnormals += RowEvents.subnormal(restY, minNormal);
        }
        // 4. p_j = round(e_j / s), grad_j = round(p_j / D) (times 1/D when that is exact: the same real, same bits)
        double inverse = ExactReciprocal.of(divisor);
        boolean multiply = inverse == inverse;
        double scale = multiply ? inverse : divisor;
        boolean divides = divisor != 1.0;
        // division and rounding are monotonic, so the smallest p_j and grad_j are those of the smallest e_j: when
        // they are normal, nothing in this pass is below the normals, and the rounding on the bits is the format's
        double minP = roundExact(minE / s);
        double minG = roundExact(multiply ? minP * inverse : minP / divisor);
        if (minP >= minNormal && minG >= minNormal) {
            divide(e, p != null, grad, base, vecEnd, s, scale, multiply, dropped, half, keep);
        } else {
            divideCounting(e, p != null, grad, base, vecEnd, s, scale, multiply, dropped, half, keep, minNormal,
                    subnormalRounder, scratch);
            subnormals += (long) scratch[0] + (divides ? (long) scratch[1] : 0);
        }
        for (int j = vecEnd; j < end; j++) {
            double pj = roundExact(e[j] / s);
            if (p != null) {
                p[j] = pj;
            }
            double g = roundExact(multiply ? pj * inverse : pj / divisor);
            grad[j] = g;
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

    /** The lanes' rounding, one value at a time (the scalar twin's rounding on the bits). */
    private double round(double x) {
        return ScalarFusedHalf.roundOnBits(x, dropped, half, keep);
    }

    /** The format's rounding: on the bits from the smallest normal up, else the format's own (the scalar twin's). */
    private double roundExact(double x) {
        return Math.abs(x) >= minNormal ? round(x) : format.round(x);
    }

    /**
     * {@link #shiftedExps(double[], int, int, double, int, long, long, double, double)} rounding every lane on the bits
     * only (no lane is below a smallest normal of 0), for kernels that refuse a row whose smallest exp is not normal.
     */
    static double shiftedExps(double[] e, int base, int vecEnd, double m, int dropped, long half, long keep) {
        return shiftedExps(e, base, vecEnd, m, dropped, half, keep, 0.0, 0.0);
    }

    /**
     * Pass 2 on [base, vecEnd): e_j = round(exp(z_j - m)) in place, for z_j - m in [-708, 0] (exact in double for two
     * values of the format); returns min e_j. Lanes with a difference in (-2^-28, 0] take fdlibm's 1 + d. A lane whose
     * exp is below the format's smallest normal is rounded to a multiple of the smallest subnormal, the format's
     * quantum there: (x + M) - M with M = 1.5·2^52 times that quantum rounds x ≥ 0 to it, ties to even.
     */
    static double shiftedExps(double[] e, int base, int vecEnd, double m, int dropped, long half, long keep,
            double minNormal, double rounder) {
        DoubleVector vm = DoubleVector.broadcast(S, m);
        DoubleVector vRounder = DoubleVector.broadcast(S, rounder);
        DoubleVector vMinE = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        for (int j = base; j < vecEnd; j += W) {
            DoubleVector d = DoubleVector.fromArray(S, e, j).sub(vm);
            DoubleVector x = VectorExp.expNonPositive(d).blend(ONE.add(d), d.compare(VectorOperators.GT, -TINY));
            LongVector eb = (LongVector) x.convert(VectorOperators.REINTERPRET_D2L, 0);
            DoubleVector ej = ((DoubleVector) eb.add(half).add(eb.lanewise(VectorOperators.LSHR, dropped).and(1L))
                    .and(keep).convert(VectorOperators.REINTERPRET_L2D, 0))
                    .blend(x.add(vRounder).sub(vRounder), x.compare(VectorOperators.LT, minNormal));
            ej.intoArray(e, j);
            vMinE = vMinE.min(ej);
        }
        return vMinE.reduceLanes(VectorOperators.MIN);
    }

    /**
     * Pass 4 on [base, vecEnd) for a row whose smallest p_j and grad_j are normal: p_j = round(e_j / s), kept in e
     * when keepP (e is then the probabilities; else it is grad, overwritten in place), grad_j = round(p_j / D), or
     * round(p_j · (1/D)) when multiply (then scale is 1/D, else D), all rounded on the bits.
     */
    private static void divide(double[] e, boolean keepP, double[] grad, int base, int vecEnd, double s,
            double scale, boolean multiply, int dropped, long half, long keep) {
        DoubleVector vs = DoubleVector.broadcast(S, s);
        DoubleVector vScale = DoubleVector.broadcast(S, scale);
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
        }
    }

    /**
     * {@link #divide} for a row where some p_j or grad_j falls below the format's smallest normal: such a lane is
     * rounded to a multiple of the smallest subnormal (as in {@link #shiftedExps}; every value here is ≥ 0), and the
     * non-zero ones are counted with lane masks: counts[0] = how many p_j, counts[1] = how many grad_j are subnormal.
     *
     * @param counts [2] (Modified)
     */
    private static void divideCounting(double[] e, boolean keepP, double[] grad, int base, int vecEnd, double s,
            double scale, boolean multiply, int dropped, long half, long keep, double minNormal, double rounder,
            double[] counts) {
        DoubleVector vs = DoubleVector.broadcast(S, s);
        DoubleVector vScale = DoubleVector.broadcast(S, scale);
        DoubleVector vRounder = DoubleVector.broadcast(S, rounder);
        long subP = 0;
        long subG = 0;
        for (int j = base; j < vecEnd; j += W) {
            DoubleVector q = DoubleVector.fromArray(S, e, j).div(vs);
            LongVector qb = (LongVector) q.convert(VectorOperators.REINTERPRET_D2L, 0);
            DoubleVector pj = ((DoubleVector) qb.add(half).add(qb.lanewise(VectorOperators.LSHR, dropped).and(1L))
                    .and(keep).convert(VectorOperators.REINTERPRET_L2D, 0))
                    .blend(q.add(vRounder).sub(vRounder), q.compare(VectorOperators.LT, minNormal));
            if (keepP) {
                pj.intoArray(e, j);
            }
            DoubleVector r = multiply ? pj.mul(vScale) : pj.div(vScale);
            LongVector gb = (LongVector) r.convert(VectorOperators.REINTERPRET_D2L, 0);
            DoubleVector g = ((DoubleVector) gb.add(half).add(gb.lanewise(VectorOperators.LSHR, dropped).and(1L))
                    .and(keep).convert(VectorOperators.REINTERPRET_L2D, 0))
                    .blend(r.add(vRounder).sub(vRounder), r.compare(VectorOperators.LT, minNormal));
            g.intoArray(grad, j);
            subP += pj.compare(VectorOperators.LT, minNormal).and(pj.compare(VectorOperators.NE, 0.0)).trueCount();
            subG += g.compare(VectorOperators.LT, minNormal).and(g.compare(VectorOperators.NE, 0.0)).trueCount();
        }
        counts[0] = subP;
        counts[1] = subG;
    }
}
