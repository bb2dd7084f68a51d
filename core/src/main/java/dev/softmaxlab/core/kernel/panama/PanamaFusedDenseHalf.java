package dev.softmaxlab.core.kernel.panama;

import dev.softmaxlab.core.kernel.ExactReciprocal;
import dev.softmaxlab.core.kernel.FusedDenseRowKernel;
import dev.softmaxlab.core.kernel.ScalarFusedDenseFp64;
import dev.softmaxlab.core.kernel.ScalarFusedDenseHalf;
import dev.softmaxlab.core.kernel.ScalarFusedHalf;
import dev.softmaxlab.core.precision.NarrowStrictMath;
import dev.softmaxlab.core.precision.Precision;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ScalarFusedDenseHalf} with 4 lanes at a time, for bf16 and fp16 computed and fp32 accumulated: the same
 * operations in the same order, each result rounded to the format in the lanes by its bits (the scalar twin's
 * rounding, written out in each loop). The first two passes are {@link PanamaFusedHalf}'s (the logits rounded with
 * {@link PanamaSeparateNarrow#roundLogits}, the shifted exps with {@link PanamaFusedHalf#shiftedExps}), and so are its
 * hand-offs: a row whose logits spread beyond the vector exp's range, or whose smallest exp the lanes round below the
 * normals, goes to the scalar twin whole, so the two refuse the same rows. The cross term and the mass are summed
 * left to right in float over the classes the target weighs (one-hot targets weigh one), and the last pass forms the
 * dense gradient in the lanes and tests every result there with masks; the argmax's lane takes rest = s' instead of
 * round(s - e_a), as in the scalar twin.
 */
final class PanamaFusedDenseHalf implements FusedDenseRowKernel {

    static final PanamaFusedDenseHalf BF16 = new PanamaFusedDenseHalf(Precision.BF16);
    static final PanamaFusedDenseHalf FP16 = new PanamaFusedDenseHalf(Precision.FP16);

    private static final VectorSpecies<Double> S = VectorExp.S;
    private static final int W = 4;
    /** Lane k holds k: the index of a lane within its vector. */
    private static final DoubleVector IOTA = DoubleVector.zero(S).addIndex(1);

    private final ScalarFusedDenseHalf scalar;
    private final Precision format;
    private final double minNormal;
    private final double maxFinite;
    /** The number of double significand bits the format drops: 53 - p. */
    private final int dropped;
    /** Half an ulp of the format, minus one, in double bits: 2^(dropped - 1) - 1. */
    private final long half;
    /** Keeps the sign, the exponent and the format's significand bits. */
    private final long keep;

    private PanamaFusedDenseHalf(Precision format) {
        this.scalar = ScalarFusedDenseHalf.of(format);
        this.format = format;
        this.minNormal = format.minNormal();
        this.maxFinite = format.maxFinite();
        this.dropped = 53 - (format == Precision.BF16 ? 8 : 11);
        this.half = (1L << (dropped - 1)) - 1;
        this.keep = -1L << dropped;
    }

    static PanamaFusedDenseHalf of(Precision format) {
        return switch (format) {
            case BF16 -> BF16;
            case FP16 -> FP16;
            default -> throw new IllegalArgumentException("no half-format kernel for " + format);
        };
    }

    @Override
    public double finishedDenseRow(double[] logits, double[] targets, int base, int classes, double[] p,
            double[] grad, double divisor, double[] scratch) {
        if (!(divisor >= 1.0) || classes < 1) {
            return Double.NaN; // as the scalar twin, which relies on |grad_j / D| ≤ |grad_j|
        }
        Precision f = format;
        int end = base + classes;
        int vecEnd = base + S.loopBound(classes);
        double[] e = p != null ? p : grad; // z_j in the format, then e_j, is kept here until the last pass
        // 1. z = logits rounded (no flush to zero, as the scalar twin), into e; max, min, min |z| ≠ 0, max |z|
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
        if (!(smallest >= minNormal && largest <= maxFinite) || !targetsClean(targets, base, vecEnd, end)) {
            return Double.NaN; // also when a logit is NaN, which max and min spread
        }
        int argmax = base;
        while (e[argmax] != mMax) {
            argmax++;
        }
        double m = e[argmax]; // the first maximum, with its own sign of zero, as the scalar twin keeps it
        if (ScalarFusedHalf.smallestProbabilityGuess(e, base, classes, m, zMin) < 0.5 * minNormal) {
            return Double.NaN;
        }
        if (!(zMin - m >= VectorExp.NON_POSITIVE_LOW)) {
            return scalar.finishedDenseRow(logits, targets, base, classes, p, grad, divisor, scratch);
        }
        // 2. e_j = round(exp(z_j - m)); the argmax's lane gives exp(0) = 1, the scalar twin's value there
        double minE = PanamaFusedHalf.shiftedExps(e, base, vecEnd, m, dropped, half, keep);
        for (int j = vecEnd; j < end; j++) {
            double ej = NarrowStrictMath.exp(e[j] - m, f);
            e[j] = ej;
            minE = Math.min(minE, ej);
        }
        e[argmax] = 1.0;
        // the argmax's lane holds 1, which leaves the minimum of the others' exps as it is (they are at most 1)
        if (!(minE >= minNormal)) {
            return scalar.finishedDenseRow(logits, targets, base, classes, p, grad, divisor, scratch);
        }
        // 3. s' in the reference's 16 fp32 lanes; the argmax term is left out by adding +0 in its place
        e[argmax] = 0.0;
        double sPrime = round(PanamaFusedFp32.laneSum(e, base, end, scratch));
        e[argmax] = 1.0;
        double s = round(1.0 + sPrime);
        double logS = round(StrictMath.log1p(sPrime));
        // the cross term and the mass over the classes the target weighs, left to right in fp32 (targets[j] ≠ 0
        // exactly when its rounding is: the bits' rounding never gives 0 for a non-zero double)
        float crossAcc = 0.0f;
        float massAcc = 0.0f;
        boolean clean = true;
        for (int j = base; j < end; j++) {
            if (targets[j] != 0.0) {
                double tj = round(targets[j]);
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
        // 4. the gradient, and p when kept (times 1/D when that is exact: the same real, the same bits)
        double inverse = ExactReciprocal.of(divisor);
        boolean multiply = inverse == inverse;
        double scale = multiply ? inverse : divisor;
        boolean bad = gradients(e, targets, p != null, grad, base, vecEnd, argmax, s, sPrime, scale, multiply,
                dropped, half, keep, minNormal, maxFinite);
        for (int j = vecEnd; j < end; j++) {
            double ej = e[j];
            double tj = round(targets[j]);
            double rest = j == argmax ? sPrime : round(s - ej);
            double keep1 = round(1.0 - tj);
            double kept = round(ej * keep1);
            double given = round(tj * rest);
            double numerator = round(kept - given);
            double g = round(numerator / s);
            double pj = round(ej / s);
            double scaled = round(multiply ? g * inverse : g / divisor);
            if (p != null) {
                p[j] = pj;
            }
            grad[j] = scaled;
            bad |= !(zeroOrNormal(rest) & zeroOrNormal(keep1) & zeroOrNormal(kept) & zeroOrNormal(given)
                    & zeroOrNormal(numerator) & zeroOrNormal(g) & zeroOrNormal(scaled) & pj >= minNormal)
                    | Math.abs(numerator) < ScalarFusedDenseFp64.DENSE_CANCELLATION
                            * Math.max(Math.abs(kept), Math.abs(given));
        }
        return bad ? Double.NaN : loss;
    }

    /** The lanes' rounding, one value at a time (the scalar twin's rounding on the bits). */
    private double round(double x) {
        return ScalarFusedHalf.roundOnBits(x, dropped, half, keep);
    }

    private boolean zeroOrNormal(double x) {
        double a = Math.abs(x);
        return a == 0.0 || (a >= minNormal && a <= maxFinite);
    }

    /**
     * Whether every target of the row rounds to zero or to a normal number of the format (the scalar twin's test of
     * round(t_j)); the lanes round by the bits.
     */
    private boolean targetsClean(double[] targets, int base, int vecEnd, int end) {
        boolean bad = badTargets(targets, base, vecEnd, dropped, half, keep, minNormal, maxFinite);
        for (int j = vecEnd; j < end; j++) {
            bad |= !zeroOrNormal(round(targets[j]));
        }
        return !bad;
    }

    private static boolean badTargets(double[] targets, int base, int vecEnd, int dropped, long half, long keep,
            double minNormal, double maxFinite) {
        VectorMask<Double> bad = VectorMask.fromLong(S, 0);
        for (int j = base; j < vecEnd; j += W) {
            LongVector tb = (LongVector) DoubleVector.fromArray(S, targets, j)
                    .convert(VectorOperators.REINTERPRET_D2L, 0);
            DoubleVector t = ((DoubleVector) tb.add(half).add(tb.lanewise(VectorOperators.LSHR, dropped).and(1L))
                    .and(keep).convert(VectorOperators.REINTERPRET_L2D, 0)).abs();
            bad = bad.or(t.compare(VectorOperators.GE, minNormal).not().and(t.compare(VectorOperators.NE, 0.0)))
                    .or(t.compare(VectorOperators.GT, maxFinite));
        }
        return bad.anyTrue();
    }

    /**
     * Pass 4 on [base, vecEnd), the scalar twin's last loop in the lanes: with t_j rounded and rest_j = round(s - e_j)
     * (s' in the argmax's lane), grad_j = round(round(round(round(e_j round(1 - t_j)) - round(t_j rest_j)) / s)
     * scaled by D), p_j = round(e_j / s) written into e when keepP (e is then p; else it is grad, overwritten).
     *
     * @return whether some lane holds a result that is neither zero nor normal in the format, or a cancelling numerator
     */
    private static boolean gradients(double[] e, double[] targets, boolean keepP, double[] grad, int base,
            int vecEnd, int argmax, double s, double sPrime, double scale, boolean multiply, int dropped, long half,
            long keep, double minNormal, double maxFinite) {
        DoubleVector vs = DoubleVector.broadcast(S, s);
        DoubleVector vsPrime = DoubleVector.broadcast(S, sPrime);
        DoubleVector vScale = DoubleVector.broadcast(S, scale);
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        double cancellation = ScalarFusedDenseFp64.DENSE_CANCELLATION;
        DoubleVector inf = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        DoubleVector vSmallest = inf;
        DoubleVector vLargest = DoubleVector.zero(S);
        DoubleVector vMinP = inf;
        VectorMask<Double> cancels = VectorMask.fromLong(S, 0);
        for (int j = base; j < vecEnd; j += W) {
            DoubleVector ej = DoubleVector.fromArray(S, e, j);
            LongVector tb = (LongVector) DoubleVector.fromArray(S, targets, j)
                    .convert(VectorOperators.REINTERPRET_D2L, 0);
            DoubleVector tj = (DoubleVector) tb.add(half).add(tb.lanewise(VectorOperators.LSHR, dropped).and(1L))
                    .and(keep).convert(VectorOperators.REINTERPRET_L2D, 0);
            LongVector rb = (LongVector) vs.sub(ej).convert(VectorOperators.REINTERPRET_D2L, 0);
            DoubleVector rest = ((DoubleVector) rb.add(half).add(rb.lanewise(VectorOperators.LSHR, dropped).and(1L))
                    .and(keep).convert(VectorOperators.REINTERPRET_L2D, 0))
                    .blend(vsPrime, IOTA.add((double) (j - argmax)).compare(VectorOperators.EQ, 0.0));
            LongVector kb = (LongVector) one.sub(tj).convert(VectorOperators.REINTERPRET_D2L, 0);
            DoubleVector keep1 = (DoubleVector) kb.add(half).add(kb.lanewise(VectorOperators.LSHR, dropped).and(1L))
                    .and(keep).convert(VectorOperators.REINTERPRET_L2D, 0);
            LongVector ab = (LongVector) ej.mul(keep1).convert(VectorOperators.REINTERPRET_D2L, 0);
            DoubleVector kept = (DoubleVector) ab.add(half).add(ab.lanewise(VectorOperators.LSHR, dropped).and(1L))
                    .and(keep).convert(VectorOperators.REINTERPRET_L2D, 0);
            LongVector gvb = (LongVector) tj.mul(rest).convert(VectorOperators.REINTERPRET_D2L, 0);
            DoubleVector given = (DoubleVector) gvb.add(half).add(gvb.lanewise(VectorOperators.LSHR, dropped).and(1L))
                    .and(keep).convert(VectorOperators.REINTERPRET_L2D, 0);
            LongVector nb = (LongVector) kept.sub(given).convert(VectorOperators.REINTERPRET_D2L, 0);
            DoubleVector numerator = (DoubleVector) nb.add(half).add(nb.lanewise(VectorOperators.LSHR, dropped)
                    .and(1L)).and(keep).convert(VectorOperators.REINTERPRET_L2D, 0);
            LongVector qb = (LongVector) numerator.div(vs).convert(VectorOperators.REINTERPRET_D2L, 0);
            DoubleVector g = (DoubleVector) qb.add(half).add(qb.lanewise(VectorOperators.LSHR, dropped).and(1L))
                    .and(keep).convert(VectorOperators.REINTERPRET_L2D, 0);
            LongVector sb = (LongVector) (multiply ? g.mul(vScale) : g.div(vScale))
                    .convert(VectorOperators.REINTERPRET_D2L, 0);
            DoubleVector scaled = (DoubleVector) sb.add(half).add(sb.lanewise(VectorOperators.LSHR, dropped).and(1L))
                    .and(keep).convert(VectorOperators.REINTERPRET_L2D, 0);
            LongVector pb = (LongVector) ej.div(vs).convert(VectorOperators.REINTERPRET_D2L, 0);
            DoubleVector pj = (DoubleVector) pb.add(half).add(pb.lanewise(VectorOperators.LSHR, dropped).and(1L))
                    .and(keep).convert(VectorOperators.REINTERPRET_L2D, 0);
            // every result zero or normal: the smallest non-zero magnitude and the largest, over the lanes; and no
            // cancelling numerator
            DoubleVector a1 = rest.abs();
            DoubleVector a2 = keep1.abs();
            DoubleVector a3 = kept.abs();
            DoubleVector a4 = given.abs();
            DoubleVector a5 = numerator.abs();
            DoubleVector a6 = g.abs();
            DoubleVector a7 = scaled.abs();
            vLargest = vLargest.max(a1.max(a2).max(a3).max(a4).max(a5).max(a6).max(a7));
            vSmallest = vSmallest.min(a1.blend(inf, a1.compare(VectorOperators.EQ, 0.0))
                    .min(a2.blend(inf, a2.compare(VectorOperators.EQ, 0.0)))
                    .min(a3.blend(inf, a3.compare(VectorOperators.EQ, 0.0)))
                    .min(a4.blend(inf, a4.compare(VectorOperators.EQ, 0.0)))
                    .min(a5.blend(inf, a5.compare(VectorOperators.EQ, 0.0)))
                    .min(a6.blend(inf, a6.compare(VectorOperators.EQ, 0.0)))
                    .min(a7.blend(inf, a7.compare(VectorOperators.EQ, 0.0))));
            vMinP = vMinP.min(pj);
            cancels = cancels.or(a5.compare(VectorOperators.LT, a3.max(a4).mul(cancellation)));
            scaled.intoArray(grad, j);
            if (keepP) {
                pj.intoArray(e, j);
            }
        }
        // a NaN (none is expected from clean operands) fails the first test, as it fails the scalar twin's
        return !(vSmallest.reduceLanes(VectorOperators.MIN) >= minNormal)
                || !(vLargest.reduceLanes(VectorOperators.MAX) <= maxFinite)
                || !(vMinP.reduceLanes(VectorOperators.MIN) >= minNormal) || cancels.anyTrue();
    }
}
