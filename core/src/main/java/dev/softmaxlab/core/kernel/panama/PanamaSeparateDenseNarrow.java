package dev.softmaxlab.core.kernel.panama;

import dev.softmaxlab.core.kernel.ScalarFusedHalf;
import dev.softmaxlab.core.kernel.ScalarSeparateDenseNarrow;
import dev.softmaxlab.core.kernel.SeparateDenseRowKernel;
import dev.softmaxlab.core.kernel.SeparateForm;
import dev.softmaxlab.core.precision.NarrowStrictMath;
import dev.softmaxlab.core.precision.Precision;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ScalarSeparateDenseNarrow} with 4 lanes at a time, for bf16 and fp16 computed and fp32 accumulated: the same
 * chain in the same order, each result rounded to the format in the lanes by its bits (the scalar twin's rounding,
 * written out in each loop). The softmax's first two passes are {@link PanamaSeparateNarrow}'s (its logits' rounding
 * and its exps), and so are its hand-offs to the scalar twin (a spread beyond the vector exp's range, a max so small
 * that some z_j - m might round to a subnormal), with one more: a row whose smallest exp the lanes round below the
 * normals, where the scalar twin's exp (the format's own rounding) may still give the smallest normal. The three
 * sums stay left to right in float: Σ e_j over every class; Σ t_j log p_j and Σ p_k g_k over the classes with a
 * non-zero target only (every other class adds ±0 to the first, and +0 to the second, whose partial sums are never
 * -0), which is one class per row for one-hot targets. The divisions, the upstream gradient and the last product are
 * lane-wise, their results tested with lane masks.
 */
final class PanamaSeparateDenseNarrow implements SeparateDenseRowKernel {

    private static final PanamaSeparateDenseNarrow[] BF16 = forms(Precision.BF16);
    private static final PanamaSeparateDenseNarrow[] FP16 = forms(Precision.FP16);

    private static final VectorSpecies<Double> S = VectorExp.S;
    private static final int W = 4;
    /** The naive form's largest logit for the vector exp (fdlibm's overflow branch starts at 709.78). */
    private static final double NAIVE_HIGH = 709.0;

    /** Where {@link PanamaSeparateNarrow#roundLogits} leaves its four results. */
    private static final ThreadLocal<double[]> PASS_ONE = ThreadLocal.withInitial(() -> new double[4]);

    private final ScalarSeparateDenseNarrow scalar;
    private final Precision format;
    private final boolean shift;
    private final boolean clip;
    private final double minNormal;
    private final double maxFinite;
    /** The number of double significand bits the format drops: 53 - p. */
    private final int dropped;
    /** Half an ulp of the format, minus one, in double bits: 2^(dropped - 1) - 1. */
    private final long half;
    /** Keeps the sign, the exponent and the format's significand bits. */
    private final long keep;
    /** With |m| ≥ safeMax no z_j - m rounds to a subnormal (see {@link PanamaSeparateNarrow}). */
    private final double safeMax;

    private PanamaSeparateDenseNarrow(Precision format, SeparateForm form) {
        this.scalar = ScalarSeparateDenseNarrow.of(format, form);
        this.format = format;
        this.shift = form.shift();
        this.clip = form.clip();
        int precisionBits = format == Precision.BF16 ? 8 : 11;
        this.dropped = 53 - precisionBits;
        this.half = (1L << (dropped - 1)) - 1;
        this.keep = -1L << dropped;
        this.minNormal = format.minNormal();
        this.maxFinite = format.maxFinite();
        this.safeMax = minNormal * Math.scalb(1.0, precisionBits + 1);
    }

    private static PanamaSeparateDenseNarrow[] forms(Precision format) {
        SeparateForm[] forms = SeparateForm.values();
        PanamaSeparateDenseNarrow[] kernels = new PanamaSeparateDenseNarrow[forms.length];
        for (SeparateForm form : forms) {
            kernels[form.ordinal()] = new PanamaSeparateDenseNarrow(format, form);
        }
        return kernels;
    }

    static PanamaSeparateDenseNarrow of(Precision format, SeparateForm form) {
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
        int vecEnd = base + S.loopBound(classes);
        double[] sc = PASS_ONE.get(); // the row kernel's interface has no scratch: one per thread, made once
        // 1. z = logits rounded, into grad's row (written last); max, min, min |z| ≠ 0, max |z|
        PanamaSeparateNarrow.roundLogits(logits, grad, base, vecEnd, dropped, half, keep, 0.0, sc);
        double m = sc[0];
        double zMin = sc[1];
        double smallest = sc[2];
        double largest = sc[3];
        for (int j = vecEnd; j < end; j++) {
            double z = round(logits[j]);
            grad[j] = z;
            m = Math.max(m, z);
            zMin = Math.min(zMin, z);
            double a = Math.abs(z);
            smallest = a == 0.0 ? smallest : Math.min(smallest, a);
            largest = Math.max(largest, a);
        }
        if (!(smallest >= minNormal && largest <= maxFinite) || classes < 1
                || ScalarFusedHalf.smallestProbabilityGuess(grad, base, classes, m, zMin) < 0.5 * minNormal) {
            return Double.NaN; // also when a logit is NaN, which max and min spread
        }
        // 2. e_j in p, rounded
        double minE;
        if (shift) {
            if (!(Math.abs(m) >= safeMax && zMin - m >= VectorExp.NON_POSITIVE_LOW)) {
                return scalar.denseRow(logits, base, classes, q, lo, hi, p, grad);
            }
            minE = PanamaSeparateNarrow.shiftedExps(grad, base, vecEnd, m, p, dropped, half, keep);
            for (int j = vecEnd; j < end; j++) {
                double e = NarrowStrictMath.exp(round(grad[j] - m), f);
                p[j] = e;
                minE = Math.min(minE, e);
            }
        } else {
            if (!(zMin >= VectorExp.NON_POSITIVE_LOW && m <= NAIVE_HIGH)) {
                return scalar.denseRow(logits, base, classes, q, lo, hi, p, grad);
            }
            minE = PanamaSeparateNarrow.exps(grad, base, vecEnd, p, dropped, half, keep);
            for (int j = vecEnd; j < end; j++) {
                double e = NarrowStrictMath.exp(grad[j], f);
                p[j] = e;
                minE = Math.min(minE, e);
            }
        }
        if (!(minE >= minNormal)) {
            return scalar.denseRow(logits, base, classes, q, lo, hi, p, grad);
        }
        // 3. s = Σ e_j left to right in fp32, rounded; p_j = round(e_j / s)
        float acc = 0.0f;
        for (int j = base; j < end; j++) {
            acc += (float) p[j];
        }
        double s = round(acc);
        if (!(s >= minNormal && s <= maxFinite)) {
            return Double.NaN;
        }
        double minP = divide(p, base, vecEnd, s, dropped, half, keep);
        for (int j = vecEnd; j < end; j++) {
            double pj = round(p[j] / s);
            p[j] = pj;
            minP = Math.min(minP, pj);
        }
        if (!(minP >= minNormal)) {
            return Double.NaN;
        }
        // 4. the cross-entropy and the dot product over the classes with a non-zero target, left to right in fp32
        // (q_j ≠ 0 exactly when round(q_j) ≠ 0: the bits' rounding never gives 0 for a non-zero double)
        boolean clean = true;
        float sum = 0.0f;
        float dotAcc = 0.0f;
        for (int j = 0; j < classes; j++) {
            if (q[j] != 0.0) {
                double t = round(q[j]);
                double pj = p[base + j];
                double cpj = clip ? (pj < lo ? lo : (pj > hi ? hi : pj)) : pj;
                double log = NarrowStrictMath.log(cpj, f);
                double term = round(t * log);
                double g = !clip || (pj >= lo && pj <= hi) ? 0.0 - round(t / cpj) : 0.0;
                double pg = round(pj * g);
                clean &= zeroOrNormal(t) & zeroOrNormal(log) & zeroOrNormal(term) & zeroOrNormal(pg);
                sum += (float) term;
                dotAcc += (float) pg;
            }
        }
        double total = round(sum);
        double dot = round(dotAcc);
        clean &= zeroOrNormal(total) & zeroOrNormal(dot);
        if (!clean) {
            return Double.NaN;
        }
        // 5. g_j = 0 - round(t_j / clip(p_j)) (0 where the clip holds p_j back), grad_j = round(p_j round(g_j - dot))
        boolean bad = gradients(q, p, grad, base, vecEnd, dot, clip, lo, hi, dropped, half, keep, minNormal,
                maxFinite);
        for (int j = vecEnd; j < end; j++) {
            double t = round(q[j - base]);
            double pj = p[j];
            double cpj = clip ? (pj < lo ? lo : (pj > hi ? hi : pj)) : pj;
            double ratio = round(t / cpj);
            double g = !clip || (pj >= lo && pj <= hi) ? 0.0 - ratio : 0.0;
            double d = round(g - dot);
            double gj = round(pj * d);
            grad[j] = gj;
            bad |= !(zeroOrNormal(g) & zeroOrNormal(d) & zeroOrNormal(gj)); // |g| is the ratio where it is formed
        }
        return bad ? Double.NaN : 0.0 - total;
    }

    /** The lanes' rounding, one value at a time (the scalar twin's rounding on the bits). */
    private double round(double x) {
        return ScalarFusedHalf.roundOnBits(x, dropped, half, keep);
    }

    private boolean zeroOrNormal(double x) {
        double a = Math.abs(x);
        return a == 0.0 || (a >= minNormal && a <= maxFinite);
    }

    /** Pass 3 on [base, vecEnd): p_j = round(e_j / s) in place; returns min p_j. */
    private static double divide(double[] p, int base, int vecEnd, double s, int dropped, long half, long keep) {
        DoubleVector vs = DoubleVector.broadcast(S, s);
        DoubleVector vMin = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        for (int j = base; j < vecEnd; j += W) {
            LongVector qb = (LongVector) DoubleVector.fromArray(S, p, j).div(vs)
                    .convert(VectorOperators.REINTERPRET_D2L, 0);
            DoubleVector pj = (DoubleVector) qb.add(half).add(qb.lanewise(VectorOperators.LSHR, dropped).and(1L))
                    .and(keep).convert(VectorOperators.REINTERPRET_L2D, 0);
            pj.intoArray(p, j);
            vMin = vMin.min(pj);
        }
        return vMin.reduceLanes(VectorOperators.MIN);
    }

    /**
     * Pass 5 on [base, vecEnd) (q's row starts at 0): with t_j = round(q_j), ratio_j = round(t_j / clip(p_j)),
     * g_j = 0 - ratio_j (or 0 where the clip holds p_j back), grad_j = round(p_j round(g_j - dot)) into grad.
     *
     * @return whether some lane's ratio (where the clip lets it through), difference or gradient is neither zero
     *         nor normal in the format
     */
    private static boolean gradients(double[] q, double[] p, double[] grad, int base, int vecEnd, double dot,
            boolean clip, double lo, double hi, int dropped, long half, long keep, double minNormal,
            double maxFinite) {
        DoubleVector vDot = DoubleVector.broadcast(S, dot);
        DoubleVector vLo = DoubleVector.broadcast(S, lo);
        DoubleVector vHi = DoubleVector.broadcast(S, hi);
        DoubleVector zero = DoubleVector.zero(S);
        DoubleVector inf = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        DoubleVector vSmallest = inf;
        DoubleVector vLargest = zero;
        for (int j = base; j < vecEnd; j += W) {
            DoubleVector pj = DoubleVector.fromArray(S, p, j);
            LongVector tb = (LongVector) DoubleVector.fromArray(S, q, j - base)
                    .convert(VectorOperators.REINTERPRET_D2L, 0);
            DoubleVector t = (DoubleVector) tb.add(half).add(tb.lanewise(VectorOperators.LSHR, dropped).and(1L))
                    .and(keep).convert(VectorOperators.REINTERPRET_L2D, 0);
            DoubleVector cpj = clip ? pj.max(vLo).min(vHi) : pj;
            LongVector rb = (LongVector) t.div(cpj).convert(VectorOperators.REINTERPRET_D2L, 0);
            DoubleVector ratio = (DoubleVector) rb.add(half).add(rb.lanewise(VectorOperators.LSHR, dropped).and(1L))
                    .and(keep).convert(VectorOperators.REINTERPRET_L2D, 0);
            DoubleVector g = zero.sub(ratio);
            if (clip) {
                g = g.blend(zero, pj.compare(VectorOperators.LT, vLo).or(pj.compare(VectorOperators.GT, vHi)));
            }
            LongVector db = (LongVector) g.sub(vDot).convert(VectorOperators.REINTERPRET_D2L, 0);
            DoubleVector d = (DoubleVector) db.add(half).add(db.lanewise(VectorOperators.LSHR, dropped).and(1L))
                    .and(keep).convert(VectorOperators.REINTERPRET_L2D, 0);
            LongVector gb = (LongVector) pj.mul(d).convert(VectorOperators.REINTERPRET_D2L, 0);
            DoubleVector gj = (DoubleVector) gb.add(half).add(gb.lanewise(VectorOperators.LSHR, dropped).and(1L))
                    .and(keep).convert(VectorOperators.REINTERPRET_L2D, 0);
            gj.intoArray(grad, j);
            DoubleVector a1 = g.abs(); // the ratio where the clip lets it through, as the scalar twin tests it
            DoubleVector a2 = d.abs();
            DoubleVector a3 = gj.abs();
            vLargest = vLargest.max(a1.max(a2).max(a3));
            vSmallest = vSmallest.min(a1.blend(inf, a1.compare(VectorOperators.EQ, 0.0))
                    .min(a2.blend(inf, a2.compare(VectorOperators.EQ, 0.0)))
                    .min(a3.blend(inf, a3.compare(VectorOperators.EQ, 0.0))));
        }
        return !(vSmallest.reduceLanes(VectorOperators.MIN) >= minNormal)
                || !(vLargest.reduceLanes(VectorOperators.MAX) <= maxFinite);
    }
}
