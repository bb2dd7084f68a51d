package dev.softmaxlab.core.kernel.panama;

import dev.softmaxlab.core.kernel.ClipCount;
import dev.softmaxlab.core.kernel.RowEvents;
import dev.softmaxlab.core.kernel.ScalarSeparateNarrow;
import dev.softmaxlab.core.kernel.SeparateForm;
import dev.softmaxlab.core.kernel.SeparateSparseRowKernel;
import dev.softmaxlab.core.precision.Precision;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
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
 *
 * <p>{@link #countingSparseRow} also keeps a row whose exps, probabilities or gradient entries fall below the
 * format's smallest normal (most fp16 rows of a realistic width): there the format's quantum is its smallest subnormal
 * q, and a lane is rounded as (x + 1.5·2^52·q) - 1.5·2^52·q, the format's rounding of x ≥ 0 (all these values are ≥ 0).
 * The finite events are counted as {@link ScalarSeparateNarrow} counts them: the exps' zeros and subnormals in a pass
 * run only when the smallest exp is below the normals, the probabilities' and the gradient's subnormals with lane masks
 * in a division pass chosen only when the smallest of them (known before the pass, by monotonicity) is.
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
    /** 1.5·2^52 times the format's smallest subnormal: (x + it) - it rounds 0 ≤ x &lt; 2^51 of them as the format. */
    private final double subnormalRounder;

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
        this.subnormalRounder = 0x1.8p52 * format.minSubnormal();
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
        Precision f = format;
        int end = base + classes;
        int vecEnd = base + S.loopBound(classes);
        long half = (1L << (dropped - 1)) - 1;
        long keep = -(1L << dropped);
        // 1. z = logits rounded (kept in grad's row until the gradient is written); max, min, min |z| ≠ 0, max |z|
        roundLogits(logits, grad, base, vecEnd, dropped, half, keep, minNormal, subnormalRounder, scratch);
        double m = scratch[0];
        double min = scratch[1];
        double smallest = scratch[2];
        double largest = scratch[3];
        RowEvents.clear(scratch);
        for (int j = vecEnd; j < end; j++) {
            double z = f.round(logits[j]);
            grad[j] = z;
            m = Math.max(m, z);
            min = Math.min(min, z);
            double a = Math.abs(z);
            smallest = a == 0.0 ? smallest : Math.min(smallest, a);
            largest = Math.max(largest, a);
        }
        if (!(largest <= maxFinite)) { // also false when a logit is NaN
            return Double.NaN;
        }
        // a logit that is subnormal in the format is counted, as the reference's rounding of the inputs counts it;
        // with |m| ≥ safeMax below, no z_j - m is subnormal
        long subnormals = smallest < minNormal ? RowEvents.subnormals(grad, base, end, minNormal) : 0;
        // 2. e_j in p, rounded as the format rounds (also below its normals)
        double minE;
        if (shift) {
            if (!(Math.abs(m) >= safeMax && min - m >= VectorExp.NON_POSITIVE_LOW)) {
                return scalar.countingSparseRow(logits, base, classes, label, lo, hi, p, grad, scratch);
            }
            minE = shiftedExps(grad, base, vecEnd, m, p, dropped, half, keep, minNormal, subnormalRounder);
            for (int j = vecEnd; j < end; j++) {
                double e = f.round(StrictMath.exp(f.round(grad[j] - m)));
                p[j] = e;
                minE = Math.min(minE, e);
            }
        } else {
            if (!(min >= VectorExp.NON_POSITIVE_LOW && m <= NAIVE_HIGH)) {
                return scalar.countingSparseRow(logits, base, classes, label, lo, hi, p, grad, scratch);
            }
            minE = exps(grad, base, vecEnd, p, dropped, half, keep, minNormal, subnormalRounder);
            for (int j = vecEnd; j < end; j++) {
                double e = f.round(StrictMath.exp(grad[j]));
                p[j] = e;
                minE = Math.min(minE, e);
            }
        }
        long underflows = 0;
        if (!(minE >= minNormal)) {
            // some exp fell below the normals: a pass of its own counts them, so a row without them pays nothing
            countExps(p, base, end, minNormal, scratch);
            underflows = (long) scratch[0];
            subnormals += (long) scratch[1];
        }
        // 3. s = Σ e_j left to right in fp32, rounded; the cross-entropy and the dot product, as ScalarSeparateNarrow
        float acc = 0.0f;
        for (int j = base; j < end; j++) {
            acc += (float) p[j];
        }
        double s = f.round(acc);
        if (!(s > 0.0 && s <= maxFinite)) { // an exp beyond the largest finite makes the sum so too
            return Double.NaN;
        }
        subnormals += RowEvents.subnormal(s, minNormal);
        double py = f.round(p[base + label] / s);
        double cpy = clip ? (py < lo ? lo : (py > hi ? hi : py)) : py;
        double logPy = f.round(StrictMath.log(cpy));
        double gy = !clip || (py >= lo && py <= hi) ? 0.0 - f.round(1.0 / cpy) : 0.0;
        double dot = f.round(py * gy);
        double nd = 0.0 - dot; // ≥ +0 (p_y ≥ 0, g_y ≤ 0): every p_j·nd is ≥ +0
        double gyMinusDot = f.round(gy - dot);
        double gradY = f.round(py * gyMinusDot);
        boolean clean = finite(logPy) && finite(gy) && zeroOrNormal(dot) && finite(gyMinusDot) && finite(gradY);
        if (!clean) {
            return Double.NaN;
        }
        subnormals += RowEvents.subnormal(logPy, minNormal) + RowEvents.subnormal(gy, minNormal)
                + RowEvents.subnormal(gyMinusDot, minNormal) + RowEvents.subnormal(gradY, minNormal);
        // 4. p = e / s and grad = p·nd, rounded; division, product and rounding are monotonic, so the smallest p_j and
        // grad_j are those of the smallest e_j: when they are normal the uncounted pass on the bits is exact
        double minP = f.round(minE / s);
        double minG = f.round(minP * nd);
        if (minP >= minNormal && (nd == 0.0 || minG >= minNormal)) {
            divideAndScale(p, grad, base, vecEnd, s, nd, dropped, half, keep);
        } else {
            divideAndScaleCounting(p, grad, base, vecEnd, s, nd, dropped, half, keep, minNormal, subnormalRounder,
                    scratch);
            subnormals += (long) scratch[0] + (long) scratch[1];
        }
        for (int j = vecEnd; j < end; j++) {
            double pj = f.round(p[j] / s);
            p[j] = pj;
            double g = f.round(pj * nd);
            grad[j] = g;
            subnormals += RowEvents.subnormal(pj, minNormal) + RowEvents.subnormal(g, minNormal);
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

    /**
     * Pass 1 on [base, vecEnd): z = logits rounded to the format, into zs: by the bits, and a lane whose magnitude is
     * below the format's smallest normal to a multiple of the smallest subnormal q, the format's quantum there
     * ((|x| + 1.5·2^52·q) - 1.5·2^52·q with x's sign, so a logit too small for the format gives ±0, and a subnormal one
     * the format's subnormal); sc[0..3] = max z, min z, the smallest non-zero |z| and the largest |z| (NaN spreads
     * through max and min and fails the caller's test).
     */
    static void roundLogits(double[] logits, double[] zs, int base, int vecEnd, int dropped, long half,
            long keep, double minNormal, double rounder, double[] sc) {
        DoubleVector vMax = DoubleVector.broadcast(S, Double.NEGATIVE_INFINITY);
        DoubleVector vMin = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        DoubleVector vSmallest = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        DoubleVector vLargest = DoubleVector.zero(S);
        DoubleVector inf = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        DoubleVector vRounder = DoubleVector.broadcast(S, rounder);
        for (int j = base; j < vecEnd; j += W) {
            DoubleVector x = DoubleVector.fromArray(S, logits, j);
            LongVector bits = (LongVector) x.convert(VectorOperators.REINTERPRET_D2L, 0);
            LongVector odd = bits.lanewise(VectorOperators.LSHR, dropped).and(1L);
            DoubleVector ax = x.abs();
            LongVector tiny = ((LongVector) ax.add(vRounder).sub(vRounder).convert(VectorOperators.REINTERPRET_D2L, 0))
                    .or(bits.and(Long.MIN_VALUE));
            DoubleVector z = ((DoubleVector) bits.add(half).add(odd).and(keep)
                    .convert(VectorOperators.REINTERPRET_L2D, 0))
                    .blend((DoubleVector) tiny.convert(VectorOperators.REINTERPRET_L2D, 0),
                            ax.compare(VectorOperators.LT, minNormal))
                    .blend(x, x.test(VectorOperators.IS_NAN)); // a NaN's bits plus half could carry into its sign
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
     * The exps' events on [base, end), for a row whose smallest exp is below the format's smallest normal: sc[0] = how
     * many are 0 (expUnderflow: every argument is finite), sc[1] = how many are subnormal (non-zero, below
     * minNormal), counted with lane masks ({@link RowEvents#zeros} and {@link RowEvents#subnormals} one lane at a time
     * are slowed by mispredicted branches on such rows).
     *
     * @param e  the row's exps, every one ≥ 0; not modified
     * @param sc [2] (Modified)
     */
    static void countExps(double[] e, int base, int end, double minNormal, double[] sc) {
        int vecEnd = base + S.loopBound(end - base);
        long zeros = 0;
        long subnormals = 0;
        for (int j = base; j < vecEnd; j += W) {
            DoubleVector x = DoubleVector.fromArray(S, e, j);
            VectorMask<Double> zero = x.compare(VectorOperators.EQ, 0.0);
            zeros += zero.trueCount();
            subnormals += x.compare(VectorOperators.LT, minNormal).andNot(zero).trueCount();
        }
        zeros += RowEvents.zeros(e, vecEnd, end);
        subnormals += RowEvents.subnormals(e, vecEnd, end, minNormal);
        sc[0] = zeros;
        sc[1] = subnormals;
    }

    /**
     * {@link #roundLogits(double[], double[], int, int, int, long, long, double, double, double[])} rounding every lane
     * on the bits only, for kernels that refuse a row with a logit below the format's normals (zeroBelow must be 0: no
     * lane is flushed to zero either).
     */
    static void roundLogits(double[] logits, double[] zs, int base, int vecEnd, int dropped, long half, long keep,
            double zeroBelow, double[] sc) {
        if (zeroBelow != 0.0) {
            throw new IllegalArgumentException("only the bits' rounding is offered here: zeroBelow " + zeroBelow);
        }
        roundLogits(logits, zs, base, vecEnd, dropped, half, keep, 0.0, 0.0, sc);
    }

    /** {@link #shiftedExps(double[], int, int, double, double[], int, long, long, double, double)} on the bits only. */
    static double shiftedExps(double[] zs, int base, int vecEnd, double m, double[] p, int dropped, long half,
            long keep) {
        return shiftedExps(zs, base, vecEnd, m, p, dropped, half, keep, 0.0, 0.0);
    }

    /** {@link #exps(double[], int, int, double[], int, long, long, double, double)} on the bits only. */
    static double exps(double[] zs, int base, int vecEnd, double[] p, int dropped, long half, long keep) {
        return exps(zs, base, vecEnd, p, dropped, half, keep, 0.0, 0.0);
    }

    /**
     * Pass 2 of the shifted forms on [base, vecEnd): p_j = round(exp(round(z_j - m))) for z_j - m in [-708, 0];
     * returns min p_j. Lanes with a rounded difference in (-2^-28, 0] take fdlibm's 1 + d. An exp below the format's
     * smallest normal is rounded to a multiple of its smallest subnormal q, the format's rounding there:
     * (x + M) - M with M = 1.5·2^52·q, for x ≥ 0.
     */
    static double shiftedExps(double[] zs, int base, int vecEnd, double m, double[] p, int dropped, long half,
            long keep, double minNormal, double rounder) {
        DoubleVector vm = DoubleVector.broadcast(S, m);
        DoubleVector vRounder = DoubleVector.broadcast(S, rounder);
        DoubleVector vMinE = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        for (int j = base; j < vecEnd; j += W) {
            LongVector db = (LongVector) DoubleVector.fromArray(S, zs, j).sub(vm)
                    .convert(VectorOperators.REINTERPRET_D2L, 0);
            DoubleVector d = (DoubleVector) db.add(half).add(db.lanewise(VectorOperators.LSHR, dropped).and(1L))
                    .and(keep).convert(VectorOperators.REINTERPRET_L2D, 0);
            DoubleVector x = VectorExp.expNonPositive(d).blend(ONE.add(d), d.compare(VectorOperators.GT, -TINY));
            LongVector eb = (LongVector) x.convert(VectorOperators.REINTERPRET_D2L, 0);
            DoubleVector e = ((DoubleVector) eb.add(half).add(eb.lanewise(VectorOperators.LSHR, dropped).and(1L))
                    .and(keep).convert(VectorOperators.REINTERPRET_L2D, 0))
                    .blend(x.add(vRounder).sub(vRounder), x.compare(VectorOperators.LT, minNormal));
            e.intoArray(p, j);
            vMinE = vMinE.min(e);
        }
        return vMinE.reduceLanes(VectorOperators.MIN);
    }

    /**
     * Pass 2 of the naive form on [base, vecEnd): p_j = round(exp(z_j)) for z_j in [-708, 709]; returns min p_j.
     * Lanes with |z_j| &lt; 2^-28 take fdlibm's 1 + z; below the smallest normal, as {@link #shiftedExps}.
     */
    static double exps(double[] zs, int base, int vecEnd, double[] p, int dropped, long half, long keep,
            double minNormal, double rounder) {
        DoubleVector vRounder = DoubleVector.broadcast(S, rounder);
        DoubleVector vMinE = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        for (int j = base; j < vecEnd; j += W) {
            DoubleVector z = DoubleVector.fromArray(S, zs, j);
            DoubleVector x = VectorExp.exp(z).blend(ONE.add(z), z.abs().compare(VectorOperators.LT, TINY));
            LongVector eb = (LongVector) x.convert(VectorOperators.REINTERPRET_D2L, 0);
            DoubleVector e = ((DoubleVector) eb.add(half).add(eb.lanewise(VectorOperators.LSHR, dropped).and(1L))
                    .and(keep).convert(VectorOperators.REINTERPRET_L2D, 0))
                    .blend(x.add(vRounder).sub(vRounder), x.compare(VectorOperators.LT, minNormal));
            e.intoArray(p, j);
            vMinE = vMinE.min(e);
        }
        return vMinE.reduceLanes(VectorOperators.MIN);
    }

    /**
     * Pass 4 on [base, vecEnd) for a row whose smallest p_j and p_j·nd are normal: p_j = round(e_j / s),
     * grad_j = round(p_j·nd), rounded on the bits.
     */
    private static void divideAndScale(double[] p, double[] grad, int base, int vecEnd, double s, double nd,
            int dropped, long half, long keep) {
        DoubleVector vs = DoubleVector.broadcast(S, s);
        DoubleVector vnd = DoubleVector.broadcast(S, nd);
        for (int j = base; j < vecEnd; j += W) {
            LongVector qb = (LongVector) DoubleVector.fromArray(S, p, j).div(vs)
                    .convert(VectorOperators.REINTERPRET_D2L, 0);
            DoubleVector pj = (DoubleVector) qb.add(half).add(qb.lanewise(VectorOperators.LSHR, dropped).and(1L))
                    .and(keep).convert(VectorOperators.REINTERPRET_L2D, 0);
            pj.intoArray(p, j);
            LongVector gb = (LongVector) pj.mul(vnd).convert(VectorOperators.REINTERPRET_D2L, 0);
            ((DoubleVector) gb.add(half).add(gb.lanewise(VectorOperators.LSHR, dropped).and(1L)).and(keep)
                    .convert(VectorOperators.REINTERPRET_L2D, 0)).intoArray(grad, j);
        }
    }

    /**
     * {@link #divideAndScale} for a row where some p_j or p_j·nd falls below the format's smallest normal: such a lane
     * is rounded to a multiple of the smallest subnormal (every value here is ≥ 0, nd being ≥ +0), and the non-zero
     * ones are counted with lane masks: counts[0] = how many p_j, counts[1] = how many grad_j are subnormal.
     *
     * @param counts [2] (Modified)
     */
    private static void divideAndScaleCounting(double[] p, double[] grad, int base, int vecEnd, double s, double nd,
            int dropped, long half, long keep, double minNormal, double rounder, double[] counts) {
        DoubleVector vs = DoubleVector.broadcast(S, s);
        DoubleVector vnd = DoubleVector.broadcast(S, nd);
        DoubleVector vRounder = DoubleVector.broadcast(S, rounder);
        long subP = 0;
        long subG = 0;
        for (int j = base; j < vecEnd; j += W) {
            DoubleVector q = DoubleVector.fromArray(S, p, j).div(vs);
            LongVector qb = (LongVector) q.convert(VectorOperators.REINTERPRET_D2L, 0);
            DoubleVector pj = ((DoubleVector) qb.add(half).add(qb.lanewise(VectorOperators.LSHR, dropped).and(1L))
                    .and(keep).convert(VectorOperators.REINTERPRET_L2D, 0))
                    .blend(q.add(vRounder).sub(vRounder), q.compare(VectorOperators.LT, minNormal));
            pj.intoArray(p, j);
            DoubleVector r = pj.mul(vnd);
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
