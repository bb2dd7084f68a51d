package dev.softmaxlab.core.kernel.panama;

import dev.softmaxlab.core.kernel.ClipCount;
import dev.softmaxlab.core.kernel.ScalarSeparateNarrow;
import dev.softmaxlab.core.kernel.SeparateForm;
import dev.softmaxlab.core.kernel.SeparateSparseRowKernel;
import dev.softmaxlab.core.precision.Precision;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ScalarSeparateNarrow} with 4 lanes at a time, for bf16 and fp16 computed and fp32 accumulated: the passes of
 * {@link PanamaSeparateFp64}, each result rounded to the format in the lanes by its bits:
 * <pre>
 *   round(x) = (bits(x) + (2^(D-1) - 1) + bit D of x) with the low D bits cleared     D = 53 - p, p = 8 or 11
 * </pre>
 * which is round-to-nearest-even to p significant bits. That is the format's rounding whenever the result is a normal
 * number of the format, and only then: below the format's smallest normal the format's spacing is coarser than this
 * rounding's (a result that lands there is never trusted), and above its largest finite the format overflows (the
 * result is beyond the largest finite, never trusted). So a row is accepted only when every value rounded this way is
 * zero or in [smallest normal, largest finite] (the product p_j·nd of the gradient is required to be normal before
 * its rounding, which implies it), and an accepted row has the reference's bits; every other row is refused, or goes
 * to the scalar twin when it only leaves the vector exp's range.
 */
final class PanamaSeparateNarrow implements SeparateSparseRowKernel {

    private static final PanamaSeparateNarrow[] BF16 = forms(Precision.BF16);
    private static final PanamaSeparateNarrow[] FP16 = forms(Precision.FP16);

    private static final VectorSpecies<Double> S = VectorExp.S;
    private static final int W = 4;
    private static final DoubleVector ONE = DoubleVector.broadcast(S, 1.0);
    /** fdlibm returns 1 + x for |x| &lt; 2^-28 (its first branch), which the vector formula does not cover. */
    private static final double TINY = 0x1p-28;
    /** The naive form's largest logit for the vector exp (fdlibm's overflow branch starts at 709.78). */
    private static final double NAIVE_HIGH = 709.0;

    private final ScalarSeparateNarrow scalar;
    private final Precision format;
    private final boolean shift;
    private final boolean clip;
    private final int dropped;
    private final double minNormal;
    private final double maxFinite;
    /**
     * With |m| ≥ safeMax no z_j - m rounds to a subnormal: a z_j within minNormal of m is, like m, a multiple of
     * minNormal (both have exponents at least p - 1 above the smallest normal's), so their difference is 0 or at least
     * minNormal (and a z_j farther away differs by more).
     */
    private final double safeMax;
    /**
     * Half the format's smallest subnormal: a logit at most this large rounds to ±0 (ties to even), which the lanes'
     * rounding would not give for a subnormal double; such lanes are set to ±0 directly.
     */
    private final double zeroBelow;

    private PanamaSeparateNarrow(Precision format, SeparateForm form) {
        this.scalar = ScalarSeparateNarrow.of(format, form);
        this.format = format;
        this.shift = form.shift();
        this.clip = form.clip();
        int precisionBits = format == Precision.BF16 ? 8 : 11;
        this.dropped = 53 - precisionBits;
        this.minNormal = format.minNormal();
        this.maxFinite = format.maxFinite();
        this.safeMax = minNormal * Math.scalb(1.0, precisionBits + 1);
        this.zeroBelow = Math.scalb(minNormal, -precisionBits);
    }

    private static PanamaSeparateNarrow[] forms(Precision format) {
        SeparateForm[] forms = SeparateForm.values();
        PanamaSeparateNarrow[] kernels = new PanamaSeparateNarrow[forms.length];
        for (SeparateForm form : forms) {
            kernels[form.ordinal()] = new PanamaSeparateNarrow(format, form);
        }
        return kernels;
    }

    static PanamaSeparateNarrow of(Precision format, SeparateForm form) {
        return switch (format) {
            case BF16 -> BF16[form.ordinal()];
            case FP16 -> FP16[form.ordinal()];
            default -> throw new IllegalArgumentException("no half-format kernel for " + format);
        };
    }

    /*
     * One vector loop per method, as in PanamaFusedFp64 (which says why); the rounding is written out in each loop
     * for the same reason.
     */

    @Override
    public double sparseRow(double[] logits, int base, int classes, int label, double lo, double hi, double[] p,
            double[] grad, double[] scratch) {
        Precision f = format;
        int end = base + classes;
        int vecEnd = base + S.loopBound(classes);
        long half = (1L << (dropped - 1)) - 1;
        long keep = -(1L << dropped);
        // 1. z = logits rounded (kept in grad's row until the gradient is written); max, min, min |z| ≠ 0, max |z|
        roundLogits(logits, grad, base, vecEnd, dropped, half, keep, zeroBelow, scratch);
        double m = scratch[0];
        double min = scratch[1];
        double smallest = scratch[2];
        double largest = scratch[3];
        for (int j = vecEnd; j < end; j++) {
            double z = f.round(logits[j]);
            grad[j] = z;
            m = Math.max(m, z);
            min = Math.min(min, z);
            double a = Math.abs(z);
            smallest = a == 0.0 ? smallest : Math.min(smallest, a);
            largest = Math.max(largest, a);
        }
        if (!(smallest >= minNormal && largest <= maxFinite)) { // also false when a logit is NaN
            return Double.NaN;
        }
        // 2. e_j in p, rounded
        double minE;
        if (shift) {
            if (!(Math.abs(m) >= safeMax && min - m >= VectorExp.NON_POSITIVE_LOW)) {
                return scalar.sparseRow(logits, base, classes, label, lo, hi, p, grad, scratch);
            }
            minE = shiftedExps(grad, base, vecEnd, m, p, dropped, half, keep);
            for (int j = vecEnd; j < end; j++) {
                double e = f.round(StrictMath.exp(f.round(grad[j] - m)));
                p[j] = e;
                minE = Math.min(minE, e);
            }
        } else {
            if (!(min >= VectorExp.NON_POSITIVE_LOW && m <= NAIVE_HIGH)) {
                return scalar.sparseRow(logits, base, classes, label, lo, hi, p, grad, scratch);
            }
            minE = exps(grad, base, vecEnd, p, dropped, half, keep);
            for (int j = vecEnd; j < end; j++) {
                double e = f.round(StrictMath.exp(grad[j]));
                p[j] = e;
                minE = Math.min(minE, e);
            }
        }
        if (!(minE >= minNormal)) {
            return Double.NaN;
        }
        // 3. s = Σ e_j left to right in fp32, rounded; the cross-entropy and the dot product, as ScalarSeparateNarrow
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
        double logPy = f.round(StrictMath.log(cpy));
        double gy = !clip || (py >= lo && py <= hi) ? 0.0 - f.round(1.0 / cpy) : 0.0;
        double dot = f.round(py * gy);
        double nd = 0.0 - dot;
        double gyMinusDot = f.round(gy - dot);
        double gradY = f.round(py * gyMinusDot);
        boolean clean = zeroOrNormal(logPy) && zeroOrNormal(gy) && zeroOrNormal(dot) && zeroOrNormal(gyMinusDot)
                && zeroOrNormal(gradY);
        // 4. p = e / s and grad = p·nd, rounded
        double minP = divideAndScale(p, grad, base, vecEnd, s, nd, dropped, half, keep);
        for (int j = vecEnd; j < end; j++) {
            double pj = f.round(p[j] / s);
            p[j] = pj;
            grad[j] = f.round(pj * nd);
            minP = Math.min(minP, pj);
        }
        grad[base + label] = gradY;
        // every p_j·nd (j ≠ y) is then a normal number before its rounding, where the lanes' rounding is the format's
        if (!clean || !(minP >= minNormal) || !(nd == 0.0 || minP * Math.abs(nd) >= minNormal)) {
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

    /**
     * Pass 1 on [base, vecEnd): z = logits rounded by the bits (±0 at most zeroBelow), into zs; sc[0..3] = max z,
     * min z, the smallest non-zero |z| and the largest |z| (NaN spreads through max and min and fails the caller's
     * test).
     */
    static void roundLogits(double[] logits, double[] zs, int base, int vecEnd, int dropped, long half,
            long keep, double zeroBelow, double[] sc) {
        DoubleVector vMax = DoubleVector.broadcast(S, Double.NEGATIVE_INFINITY);
        DoubleVector vMin = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        DoubleVector vSmallest = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        DoubleVector vLargest = DoubleVector.zero(S);
        DoubleVector inf = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        for (int j = base; j < vecEnd; j += W) {
            DoubleVector x = DoubleVector.fromArray(S, logits, j);
            LongVector bits = (LongVector) x.convert(VectorOperators.REINTERPRET_D2L, 0);
            LongVector odd = bits.lanewise(VectorOperators.LSHR, dropped).and(1L);
            DoubleVector z = ((DoubleVector) bits.add(half).add(odd).and(keep)
                    .convert(VectorOperators.REINTERPRET_L2D, 0))
                    .blend(x.mul(0.0), x.abs().compare(VectorOperators.LE, zeroBelow));
            z.intoArray(zs, j);
            vMax = vMax.max(z);
            vMin = vMin.min(z);
            DoubleVector a = z.abs();
            vSmallest = vSmallest.min(a.blend(inf, a.compare(VectorOperators.EQ, 0.0)));
            vLargest = vLargest.max(a);
        }
        sc[0] = vMax.reduceLanes(VectorOperators.MAX);
        sc[1] = vMin.reduceLanes(VectorOperators.MIN);
        sc[2] = vSmallest.reduceLanes(VectorOperators.MIN);
        sc[3] = vLargest.reduceLanes(VectorOperators.MAX);
    }

    /**
     * Pass 2 of the shifted forms on [base, vecEnd): p_j = round(exp(round(z_j - m))) for z_j - m in [-708, 0];
     * returns min p_j. Lanes with a rounded difference in (-2^-28, 0] take fdlibm's 1 + d.
     */
    static double shiftedExps(double[] zs, int base, int vecEnd, double m, double[] p, int dropped, long half,
            long keep) {
        DoubleVector vm = DoubleVector.broadcast(S, m);
        DoubleVector vMinE = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        for (int j = base; j < vecEnd; j += W) {
            LongVector db = (LongVector) DoubleVector.fromArray(S, zs, j).sub(vm)
                    .convert(VectorOperators.REINTERPRET_D2L, 0);
            DoubleVector d = (DoubleVector) db.add(half).add(db.lanewise(VectorOperators.LSHR, dropped).and(1L))
                    .and(keep).convert(VectorOperators.REINTERPRET_L2D, 0);
            LongVector eb = (LongVector) VectorExp.expNonPositive(d)
                    .blend(ONE.add(d), d.compare(VectorOperators.GT, -TINY))
                    .convert(VectorOperators.REINTERPRET_D2L, 0);
            DoubleVector e = (DoubleVector) eb.add(half).add(eb.lanewise(VectorOperators.LSHR, dropped).and(1L))
                    .and(keep).convert(VectorOperators.REINTERPRET_L2D, 0);
            e.intoArray(p, j);
            vMinE = vMinE.min(e);
        }
        return vMinE.reduceLanes(VectorOperators.MIN);
    }

    /**
     * Pass 2 of the naive form on [base, vecEnd): p_j = round(exp(z_j)) for z_j in [-708, 709]; returns min p_j.
     * Lanes with |z_j| &lt; 2^-28 take fdlibm's 1 + z.
     */
    static double exps(double[] zs, int base, int vecEnd, double[] p, int dropped, long half, long keep) {
        DoubleVector vMinE = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        for (int j = base; j < vecEnd; j += W) {
            DoubleVector z = DoubleVector.fromArray(S, zs, j);
            LongVector eb = (LongVector) VectorExp.exp(z)
                    .blend(ONE.add(z), z.abs().compare(VectorOperators.LT, TINY))
                    .convert(VectorOperators.REINTERPRET_D2L, 0);
            DoubleVector e = (DoubleVector) eb.add(half).add(eb.lanewise(VectorOperators.LSHR, dropped).and(1L))
                    .and(keep).convert(VectorOperators.REINTERPRET_L2D, 0);
            e.intoArray(p, j);
            vMinE = vMinE.min(e);
        }
        return vMinE.reduceLanes(VectorOperators.MIN);
    }

    /** Pass 4 on [base, vecEnd): p_j = round(e_j / s), grad_j = round(p_j·nd); returns min p_j. */
    private static double divideAndScale(double[] p, double[] grad, int base, int vecEnd, double s, double nd,
            int dropped, long half, long keep) {
        DoubleVector vs = DoubleVector.broadcast(S, s);
        DoubleVector vnd = DoubleVector.broadcast(S, nd);
        DoubleVector vMinP = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        for (int j = base; j < vecEnd; j += W) {
            LongVector qb = (LongVector) DoubleVector.fromArray(S, p, j).div(vs)
                    .convert(VectorOperators.REINTERPRET_D2L, 0);
            DoubleVector pj = (DoubleVector) qb.add(half).add(qb.lanewise(VectorOperators.LSHR, dropped).and(1L))
                    .and(keep).convert(VectorOperators.REINTERPRET_L2D, 0);
            pj.intoArray(p, j);
            LongVector gb = (LongVector) pj.mul(vnd).convert(VectorOperators.REINTERPRET_D2L, 0);
            ((DoubleVector) gb.add(half).add(gb.lanewise(VectorOperators.LSHR, dropped).and(1L)).and(keep)
                    .convert(VectorOperators.REINTERPRET_L2D, 0)).intoArray(grad, j);
            vMinP = vMinP.min(pj);
        }
        return vMinP.reduceLanes(VectorOperators.MIN);
    }
}
