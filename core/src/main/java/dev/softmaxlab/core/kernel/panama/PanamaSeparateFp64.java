package dev.softmaxlab.core.kernel.panama;

import dev.softmaxlab.core.kernel.ClipCount;
import dev.softmaxlab.core.kernel.LaneSums;
import dev.softmaxlab.core.kernel.ScalarSeparateFp64;
import dev.softmaxlab.core.kernel.SeparateDenseRowKernel;
import dev.softmaxlab.core.kernel.SeparateForm;
import dev.softmaxlab.core.kernel.SeparateSparseRowKernel;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ScalarSeparateFp64} with 4 lanes at a time: the same operations in the same order on each element, so the
 * same bits. Row of C classes at base, four passes:
 * <pre>
 *   1. m = max z, min z, clean = every |z| is 0 or in [MIN_NORMAL, MAX_VALUE]
 *   2. e_j = exp(z_j - m) ({@link VectorExp}; exp(z_j) when naive); min e ≥ MIN_NORMAL
 *   3. s = Σ e_j left to right (scalar: the reference's order is one chain), then p_y, the loss, g_y, dot
 *   4. p_j = e_j / s, grad_j = p_j (0 - dot), min p; grad_y = p_y (g_y - dot)
 * </pre>
 * Rows outside the vector exp's range (a spread of more than 708 below the max, a naive logit beyond ±708, or a max
 * so small that z_j - m could be subnormal) go to the scalar twin, which checks each element; they are rare.
 */
final class PanamaSeparateFp64 implements SeparateSparseRowKernel, SeparateDenseRowKernel {

    private static final PanamaSeparateFp64 SHIFTED = new PanamaSeparateFp64(SeparateForm.SHIFTED);
    private static final PanamaSeparateFp64 NAIVE = new PanamaSeparateFp64(SeparateForm.NAIVE);
    private static final PanamaSeparateFp64 CLIPPED = new PanamaSeparateFp64(SeparateForm.CLIPPED);

    private static final VectorSpecies<Double> S = VectorExp.S;
    private static final int W = 4;
    private static final DoubleVector ONE = DoubleVector.broadcast(S, 1.0);
    private static final DoubleVector ZERO = DoubleVector.zero(S);
    private static final DoubleVector INFINITY = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
    /** Working memory for dense rows, whose interface hands none in: one per thread, allocated once. */
    private static final ThreadLocal<double[]> SCRATCH = ThreadLocal.withInitial(() -> new double[LaneSums.SCRATCH]);
    /**
     * With |m| ≥ 2^-969 no z_j - m is subnormal: a z_j within 2^-1022 of m has |z_j| ≥ 2^-970, so both are
     * multiples of 2^-1022 and their difference is 0 or at least 2^-1022 (and a z_j farther away differs by more).
     */
    private static final double SAFE_MAX = 0x1p-969;
    /** fdlibm returns 1 + x for |x| &lt; 2^-28 (its first branch), which the vector formula does not cover. */
    private static final double TINY = 0x1p-28;
    /** The naive form's largest logit for the vector exp (fdlibm's overflow branch starts at 709.78). */
    private static final double NAIVE_HIGH = 709.0;

    private final ScalarSeparateFp64 scalar;
    private final boolean shift;
    private final boolean clip;

    private PanamaSeparateFp64(SeparateForm form) {
        this.scalar = ScalarSeparateFp64.of(form);
        this.shift = form.shift();
        this.clip = form.clip();
    }

    static PanamaSeparateFp64 of(SeparateForm form) {
        return switch (form) {
            case SHIFTED -> SHIFTED;
            case NAIVE -> NAIVE;
            case CLIPPED -> CLIPPED;
        };
    }

    /*
     * One vector loop per method, as in PanamaFusedFp64 (which says why): no vector crosses a call that C2 might
     * refuse to inline.
     */

    @Override
    public double sparseRow(double[] logits, int base, int classes, int label, double lo, double hi, double[] p,
            double[] grad, double[] scratch) {
        int end = base + classes;
        int vecEnd = base + S.loopBound(classes);
        // 1-3. e_j in p and s = Σ e_j
        double s = exponentials(logits, base, end, vecEnd, p, scratch);
        if (s != s) {
            return Double.NaN;
        }
        if (s < 0.0) {
            return scalar.sparseRow(logits, base, classes, label, lo, hi, p, grad, scratch);
        }
        // 3. cross-entropy forward and backward; the softmax's dot product p_y g_y
        double py = p[base + label] / s;
        double cpy = clip ? (py < lo ? lo : (py > hi ? hi : py)) : py;
        double logPy = StrictMath.log(cpy);
        double gy = !clip || (py >= lo && py <= hi) ? 0.0 - 1.0 / cpy : 0.0;
        double dot = py * gy;
        double nd = 0.0 - dot;
        double gradY = py * (gy - dot);
        boolean clean = ScalarSeparateFp64.zeroOrNormal(logPy) && ScalarSeparateFp64.zeroOrNormal(gy)
                && ScalarSeparateFp64.zeroOrNormal(dot) && ScalarSeparateFp64.zeroOrNormal(gy - dot)
                && ScalarSeparateFp64.zeroOrNormal(gradY);
        // 4. p = e / s, grad = p (0 - dot); the clipped form also counts the p_j outside [lo, hi] (ClipCount)
        double minP = clip ? divideScaleAndCount(p, grad, base, vecEnd, s, nd, lo, hi, scratch)
                : divideAndScale(p, grad, base, vecEnd, s, nd);
        double clipped = clip ? scratch[ClipCount.SCRATCH_SLOT] : 0.0;
        for (int j = vecEnd; j < end; j++) {
            double pj = p[j] / s;
            p[j] = pj;
            grad[j] = pj * nd;
            minP = Math.min(minP, pj);
            clipped += (pj < lo | pj > hi) ? 1 : 0;
        }
        grad[base + label] = gradY;
        if (!clean || !ScalarSeparateFp64.cleanGradient(minP, nd)) {
            return Double.NaN;
        }
        if (clip) {
            scratch[ClipCount.SCRATCH_SLOT] = clipped;
        }
        return 0.0 - logPy;
    }

    /**
     * Passes 1 to 3, shared by sparse and dense rows: m = max z, e_j = exp(z_j - m) (exp(z_j) when naive) written
     * into p, and s = Σ e_j left to right (scalar: the reference's plain sum is one chain).
     *
     * @param sc [4] working memory (Modified)
     * @return s; NaN when the reference would count something on the way (a logit, an e_j or s); -1 when the row is
     *         outside the vector exp's range and goes to the scalar twin whole
     */
    private double exponentials(double[] logits, int base, int end, int vecEnd, double[] p, double[] sc) {
        // 1. m = max z (NaN when a logit is subnormal or not finite); min z in sc[0]
        double m = PanamaFusedFp64.maxIfClean(logits, base, vecEnd, end, sc);
        double min = sc[0];
        if (m != m) {
            return Double.NaN;
        }
        // 2. e_j in p
        double minE;
        if (shift) {
            if (!(Math.abs(m) >= SAFE_MAX && min - m >= VectorExp.NON_POSITIVE_LOW)) {
                return -1.0;
            }
            minE = shiftedExps(logits, base, vecEnd, m, p);
            for (int j = vecEnd; j < end; j++) {
                double e = StrictMath.exp(logits[j] - m);
                p[j] = e;
                minE = Math.min(minE, e);
            }
        } else {
            if (!(min >= VectorExp.NON_POSITIVE_LOW && m <= NAIVE_HIGH)) {
                return -1.0;
            }
            minE = exps(logits, base, vecEnd, p);
            for (int j = vecEnd; j < end; j++) {
                double e = StrictMath.exp(logits[j]);
                p[j] = e;
                minE = Math.min(minE, e);
            }
        }
        if (!(minE >= Double.MIN_NORMAL)) {
            return Double.NaN;
        }
        // 3. s = Σ e_j left to right; an infinite e_j makes s infinite
        double s = 0.0;
        for (int j = base; j < end; j++) {
            s += p[j];
        }
        return s <= Double.MAX_VALUE ? s : Double.NaN;
    }

    /**
     * The dense row ({@link SeparateDenseRowKernel}'s chain), passes 1 to 3 as for a sparse row, then:
     * <pre>
     *   4. p_j = e_j / s; g_j = 0 - t_j / p_j (+0 when clipped away); p_j g_j         vector, into p and grad
     *   5. loss = 0 - Σ t_j log clip(p_j), dot = Σ p_k g_k over t_j ≠ 0, left to right    scalar
     *   6. grad_j = p_j (g_j - dot)                                                   vector, in place
     * </pre>
     * Step 5 visits only the classes with t_j ≠ 0: elsewhere g_j is +0 (0/p_j is ±0 and 0 - (±0) is +0), so p_j g_j
     * is +0, and adding +0 leaves both sums' bits (they start at +0 and, being sums of non-zero terms, never become
     * -0). Where the clip passes g_j on, clip(p_j) = p_j, so the vector pass divides by p_j itself.
     */
    @Override
    public double denseRow(double[] logits, int base, int classes, double[] q, double lo, double hi, double[] p,
            double[] grad) {
        double[] scratch = SCRATCH.get();
        int end = base + classes;
        int vecEnd = base + S.loopBound(classes);
        double s = exponentials(logits, base, end, vecEnd, p, scratch);
        if (s != s) {
            return Double.NaN;
        }
        if (s < 0.0) {
            return scalar.denseRow(logits, base, classes, q, lo, hi, p, grad);
        }
        // 4. p, g and the checks of t, t/p and p g (the ratio's only where the clip passes g on)
        boolean fine = clip ? probabilitiesAndUpstreamClipped(p, grad, q, base, vecEnd, s, lo, hi)
                : probabilitiesAndUpstream(p, grad, q, base, vecEnd, s);
        for (int j = vecEnd; j < end; j++) {
            double pj = p[j] / s;
            p[j] = pj;
            double t = q[j - base];
            double g = 0.0;
            boolean pass = !clip || (pj >= lo && pj <= hi);
            if (pass) {
                double ratio = t / pj;
                fine &= ScalarSeparateFp64.zeroOrNormal(ratio);
                g = 0.0 - ratio;
            }
            grad[j] = g;
            fine &= pj >= Double.MIN_NORMAL && ScalarSeparateFp64.zeroOrNormal(t)
                    && ScalarSeparateFp64.zeroOrNormal(pj * g);
        }
        if (!fine) {
            return Double.NaN;
        }
        // 5. the loss and the dot product over the classes the target weighs, in the reference's order
        double sum = 0.0;
        double dot = 0.0;
        boolean clean = true;
        for (int j = 0; j < classes; j++) {
            double t = q[j];
            if (t != 0.0) {
                double pj = p[base + j];
                double cpj = clip ? (pj < lo ? lo : (pj > hi ? hi : pj)) : pj;
                double term = t * StrictMath.log(cpj);
                clean &= ScalarSeparateFp64.zeroOrNormal(term);
                sum += term;
                dot += pj * grad[base + j];
            }
        }
        if (!(clean && ScalarSeparateFp64.zeroOrNormal(sum) && ScalarSeparateFp64.zeroOrNormal(dot))) {
            return Double.NaN;
        }
        // 6. softmax backward
        fine = softmaxBackward(p, grad, base, vecEnd, dot);
        for (int j = vecEnd; j < end; j++) {
            double d = grad[j] - dot;
            double gj = p[j] * d;
            fine &= ScalarSeparateFp64.zeroOrNormal(d) && ScalarSeparateFp64.zeroOrNormal(gj);
            grad[j] = gj;
        }
        return fine ? 0.0 - sum : Double.NaN; // 0.0 - x: a loss of log 1 is +0, not -0
    }

    /**
     * Pass 4 of a dense row on [base, vecEnd), no clip: p_j = e_j / s into p, g_j = 0 - t_j / p_j into grad (t_j =
     * q[j - base]); whether every p_j is normal and every t_j, t_j / p_j and p_j g_j is zero or normal.
     */
    private static boolean probabilitiesAndUpstream(double[] p, double[] grad, double[] q, int base, int vecEnd,
            double s) {
        DoubleVector vs = DoubleVector.broadcast(S, s);
        DoubleVector vMinP = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        DoubleVector vMinNonZero = vMinP; // the smallest non-zero magnitude among t, t/p and p g
        DoubleVector vMaxAbs = DoubleVector.zero(S); // the largest magnitude (NaN when one is NaN)
        for (int j = base; j < vecEnd; j += W) {
            DoubleVector pj = DoubleVector.fromArray(S, p, j).div(vs);
            pj.intoArray(p, j);
            DoubleVector t = DoubleVector.fromArray(S, q, j - base);
            DoubleVector ratio = t.div(pj);
            DoubleVector g = ZERO.sub(ratio);
            g.intoArray(grad, j);
            DoubleVector pg = pj.mul(g);
            vMinP = vMinP.blend(pj, pj.compare(VectorOperators.LT, vMinP)); // PanamaFusedFp32.shiftedExps says why
            DoubleVector at = t.abs();
            DoubleVector ar = ratio.abs();
            DoubleVector apg = pg.abs();
            vMaxAbs = vMaxAbs.max(at).max(ar).max(apg);
            vMinNonZero = vMinNonZero.min(at.blend(INFINITY, at.compare(VectorOperators.EQ, 0.0)))
                    .min(ar.blend(INFINITY, ar.compare(VectorOperators.EQ, 0.0)))
                    .min(apg.blend(INFINITY, apg.compare(VectorOperators.EQ, 0.0)));
        }
        return vMinP.reduceLanes(VectorOperators.MIN) >= Double.MIN_NORMAL
                && vMinNonZero.reduceLanes(VectorOperators.MIN) >= Double.MIN_NORMAL
                && vMaxAbs.reduceLanes(VectorOperators.MAX) <= Double.MAX_VALUE;
    }

    /**
     * {@link #probabilitiesAndUpstream} of the clipped form: where p_j is outside [lo, hi] the clip passes nothing
     * back, g_j = +0, and the reference does not divide (so t_j / p_j is not checked there).
     */
    private static boolean probabilitiesAndUpstreamClipped(double[] p, double[] grad, double[] q, int base,
            int vecEnd, double s, double lo, double hi) {
        DoubleVector vs = DoubleVector.broadcast(S, s);
        DoubleVector vMinP = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        DoubleVector vMinNonZero = vMinP;
        DoubleVector vMaxAbs = DoubleVector.zero(S);
        for (int j = base; j < vecEnd; j += W) {
            DoubleVector pj = DoubleVector.fromArray(S, p, j).div(vs);
            pj.intoArray(p, j);
            DoubleVector t = DoubleVector.fromArray(S, q, j - base);
            VectorMask<Double> passed = pj.compare(VectorOperators.GE, lo).and(pj.compare(VectorOperators.LE, hi));
            DoubleVector ratio = ZERO.blend(t.div(pj), passed);
            DoubleVector g = ZERO.sub(ratio); // +0 where clipped away: 0 - (+0)
            g.intoArray(grad, j);
            DoubleVector pg = pj.mul(g);
            vMinP = vMinP.blend(pj, pj.compare(VectorOperators.LT, vMinP)); // PanamaFusedFp32.shiftedExps says why
            DoubleVector at = t.abs();
            DoubleVector ar = ratio.abs();
            DoubleVector apg = pg.abs();
            vMaxAbs = vMaxAbs.max(at).max(ar).max(apg);
            vMinNonZero = vMinNonZero.min(at.blend(INFINITY, at.compare(VectorOperators.EQ, 0.0)))
                    .min(ar.blend(INFINITY, ar.compare(VectorOperators.EQ, 0.0)))
                    .min(apg.blend(INFINITY, apg.compare(VectorOperators.EQ, 0.0)));
        }
        return vMinP.reduceLanes(VectorOperators.MIN) >= Double.MIN_NORMAL
                && vMinNonZero.reduceLanes(VectorOperators.MIN) >= Double.MIN_NORMAL
                && vMaxAbs.reduceLanes(VectorOperators.MAX) <= Double.MAX_VALUE;
    }

    /**
     * Pass 6 of a dense row on [base, vecEnd): grad_j = p_j (g_j - dot) in place; whether every g_j - dot and every
     * grad_j is zero or normal.
     */
    private static boolean softmaxBackward(double[] p, double[] grad, int base, int vecEnd, double dot) {
        DoubleVector vDot = DoubleVector.broadcast(S, dot);
        DoubleVector vMinNonZero = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        DoubleVector vMaxAbs = DoubleVector.zero(S);
        for (int j = base; j < vecEnd; j += W) {
            DoubleVector d = DoubleVector.fromArray(S, grad, j).sub(vDot);
            DoubleVector gj = DoubleVector.fromArray(S, p, j).mul(d);
            gj.intoArray(grad, j);
            DoubleVector ad = d.abs();
            DoubleVector ag = gj.abs();
            vMaxAbs = vMaxAbs.max(ad).max(ag);
            vMinNonZero = vMinNonZero.min(ad.blend(INFINITY, ad.compare(VectorOperators.EQ, 0.0)))
                    .min(ag.blend(INFINITY, ag.compare(VectorOperators.EQ, 0.0)));
        }
        return vMinNonZero.reduceLanes(VectorOperators.MIN) >= Double.MIN_NORMAL
                && vMaxAbs.reduceLanes(VectorOperators.MAX) <= Double.MAX_VALUE;
    }

    /**
     * Pass 2 of the shifted forms on [base, vecEnd): p_j = exp(z_j - m) for z_j - m in [-708, 0]; returns min p_j.
     * Lanes with z_j - m in (-2^-28, 0] take fdlibm's 1 + d.
     */
    private static double shiftedExps(double[] logits, int base, int vecEnd, double m, double[] p) {
        DoubleVector vm = DoubleVector.broadcast(S, m);
        DoubleVector vMinE = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        for (int j = base; j < vecEnd; j += W) {
            DoubleVector d = DoubleVector.fromArray(S, logits, j).sub(vm);
            DoubleVector e = VectorExp.expNonPositive(d).blend(ONE.add(d), d.compare(VectorOperators.GT, -TINY));
            e.intoArray(p, j);
            vMinE = vMinE.blend(e, e.compare(VectorOperators.LT, vMinE)); // PanamaFusedFp32.shiftedExps says why
        }
        return vMinE.reduceLanes(VectorOperators.MIN);
    }

    /**
     * Pass 2 of the naive form on [base, vecEnd): p_j = exp(z_j) for z_j in [-708, 709]; returns min p_j. Lanes with
     * |z_j| &lt; 2^-28 take fdlibm's 1 + z.
     */
    private static double exps(double[] logits, int base, int vecEnd, double[] p) {
        DoubleVector vMinE = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        for (int j = base; j < vecEnd; j += W) {
            DoubleVector z = DoubleVector.fromArray(S, logits, j);
            DoubleVector e = VectorExp.exp(z).blend(ONE.add(z), z.abs().compare(VectorOperators.LT, TINY));
            e.intoArray(p, j);
            vMinE = vMinE.blend(e, e.compare(VectorOperators.LT, vMinE)); // PanamaFusedFp32.shiftedExps says why
        }
        return vMinE.reduceLanes(VectorOperators.MIN);
    }

    /** Pass 4 on [base, vecEnd): p_j = e_j / s, grad_j = p_j·nd; returns min p_j. */
    private static double divideAndScale(double[] p, double[] grad, int base, int vecEnd, double s, double nd) {
        DoubleVector vs = DoubleVector.broadcast(S, s);
        DoubleVector vnd = DoubleVector.broadcast(S, nd);
        DoubleVector vMinP = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        for (int j = base; j < vecEnd; j += W) {
            DoubleVector pj = DoubleVector.fromArray(S, p, j).div(vs);
            pj.intoArray(p, j);
            pj.mul(vnd).intoArray(grad, j);
            vMinP = vMinP.blend(pj, pj.compare(VectorOperators.LT, vMinP)); // PanamaFusedFp32.shiftedExps says why
        }
        return vMinP.reduceLanes(VectorOperators.MIN);
    }

    /**
     * {@link #divideAndScale}, counting per lane the p_j outside [lo, hi] (ClipCount's comparisons); the count
     * (an integer, exact in a double) goes to sc[ClipCount.SCRATCH_SLOT].
     */
    private static double divideScaleAndCount(double[] p, double[] grad, int base, int vecEnd, double s, double nd,
            double lo, double hi, double[] sc) {
        DoubleVector vs = DoubleVector.broadcast(S, s);
        DoubleVector vnd = DoubleVector.broadcast(S, nd);
        DoubleVector vMinP = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        DoubleVector vCount = DoubleVector.zero(S);
        for (int j = base; j < vecEnd; j += W) {
            DoubleVector pj = DoubleVector.fromArray(S, p, j).div(vs);
            pj.intoArray(p, j);
            pj.mul(vnd).intoArray(grad, j);
            vMinP = vMinP.blend(pj, pj.compare(VectorOperators.LT, vMinP)); // PanamaFusedFp32.shiftedExps says why
            vCount = vCount.add(ONE, pj.compare(VectorOperators.LT, lo).or(pj.compare(VectorOperators.GT, hi)));
        }
        sc[ClipCount.SCRATCH_SLOT] = vCount.reduceLanes(VectorOperators.ADD);
        return vMinP.reduceLanes(VectorOperators.MIN);
    }
}
