package dev.softmaxlab.core.kernel.panama;

import dev.softmaxlab.core.kernel.ClipCount;
import dev.softmaxlab.core.kernel.LaneSums;
import dev.softmaxlab.core.kernel.ScalarSeparateFp32;
import dev.softmaxlab.core.kernel.SeparateDenseRowKernel;
import dev.softmaxlab.core.kernel.SeparateForm;
import dev.softmaxlab.core.kernel.SeparateSparseRowKernel;
import dev.softmaxlab.core.precision.NarrowStrictMath;
import dev.softmaxlab.core.precision.Precision;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ScalarSeparateFp32} with 4 lanes at a time, the same four passes as {@link PanamaSeparateFp64}: the logits
 * are rounded to float, z_j - m is the double difference of two floats rounded once to float (the float
 * subtraction), exp is {@link VectorExp} rounded once to float, and the division and the gradient's product are float
 * operations (4 float lanes, converted from and to the double arrays exactly). The sum is one float chain, scalar.
 */
final class PanamaSeparateFp32 implements SeparateSparseRowKernel, SeparateDenseRowKernel {

    private static final PanamaSeparateFp32 SHIFTED = new PanamaSeparateFp32(SeparateForm.SHIFTED);
    private static final PanamaSeparateFp32 NAIVE = new PanamaSeparateFp32(SeparateForm.NAIVE);
    private static final PanamaSeparateFp32 CLIPPED = new PanamaSeparateFp32(SeparateForm.CLIPPED);

    private static final VectorSpecies<Double> S = VectorExp.S;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_128;
    private static final int W = 4;
    private static final DoubleVector ONE = DoubleVector.broadcast(S, 1.0);
    private static final FloatVector ZERO_F = FloatVector.zero(F);
    private static final FloatVector INFINITY_F = FloatVector.broadcast(F, Float.POSITIVE_INFINITY);
    /** Working memory for dense rows, whose interface hands none in: one per thread, allocated once. */
    private static final ThreadLocal<double[]> SCRATCH = ThreadLocal.withInitial(() -> new double[LaneSums.SCRATCH]);
    /**
     * With |m| ≥ 2^-102 no float z_j - m is subnormal: a z_j within 2^-126 of m has |z_j| ≥ 2^-103, so both are
     * multiples of 2^-126 (24-bit significands) and their difference is 0 or at least 2^-126.
     */
    private static final double SAFE_MAX = 0x1p-102;
    /** fdlibm returns 1 + x for |x| &lt; 2^-28 (its first branch), which the vector formula does not cover. */
    private static final double TINY = 0x1p-28;
    /** The naive form's largest logit for the vector exp (beyond about 88.7 float's exp overflows anyway). */
    private static final double NAIVE_HIGH = 709.0;

    private final ScalarSeparateFp32 scalar;
    private final boolean shift;
    private final boolean clip;

    private PanamaSeparateFp32(SeparateForm form) {
        this.scalar = ScalarSeparateFp32.of(form);
        this.shift = form.shift();
        this.clip = form.clip();
    }

    static PanamaSeparateFp32 of(SeparateForm form) {
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
        // 1-3. e_j in p and s = Σ e_j, in float
        float s = exponentials(logits, base, end, vecEnd, p, scratch);
        if (s != s) {
            return Double.NaN;
        }
        if (s < 0.0f) {
            return scalar.sparseRow(logits, base, classes, label, lo, hi, p, grad, scratch);
        }
        // 3. cross-entropy forward and backward; the dot product p_y g_y
        float fl = (float) lo;
        float fh = (float) hi;
        float py = (float) p[base + label] / s;
        float cpy = clip ? (py < fl ? fl : (py > fh ? fh : py)) : py;
        float logPy = (float) StrictMath.log(cpy);
        float gy = !clip || (py >= fl && py <= fh) ? 0.0f - 1.0f / cpy : 0.0f;
        float dot = py * gy;
        float nd = 0.0f - dot;
        float gradY = py * (gy - dot);
        boolean clean = ScalarSeparateFp32.zeroOrNormal(logPy) && ScalarSeparateFp32.zeroOrNormal(gy)
                && ScalarSeparateFp32.zeroOrNormal(dot) && ScalarSeparateFp32.zeroOrNormal(gy - dot)
                && ScalarSeparateFp32.zeroOrNormal(gradY);
        // 4. p = e / s, grad = p (0 - dot), in float; the clipped form also counts the p_j outside [lo, hi]
        float minP = (float) (clip ? divideScaleAndCount(p, grad, base, vecEnd, s, nd, lo, hi, scratch)
                : divideAndScale(p, grad, base, vecEnd, s, nd));
        double clipped = clip ? scratch[ClipCount.SCRATCH_SLOT] : 0.0;
        for (int j = vecEnd; j < end; j++) {
            float pj = (float) p[j] / s;
            p[j] = pj;
            grad[j] = pj * nd;
            minP = Math.min(minP, pj);
            clipped += (pj < fl | pj > fh) ? 1 : 0;
        }
        grad[base + label] = gradY;
        if (!clean || !ScalarSeparateFp32.cleanGradient(minP, nd)) {
            return Double.NaN;
        }
        if (clip) {
            scratch[ClipCount.SCRATCH_SLOT] = clipped;
        }
        return 0.0f - logPy;
    }

    /**
     * Passes 1 to 3 in float, shared by sparse and dense rows: the logits rounded to float, m = their max,
     * e_j = exp(z_j - m) (exp(z_j) when naive) rounded to float into p, and s = Σ e_j left to right (scalar: the
     * reference's plain sum is one chain).
     *
     * @param sc [4] working memory (Modified)
     * @return s; NaN when the reference would count something on the way; -1 when the row is outside the vector
     *         exp's range and goes to the scalar twin whole
     */
    private float exponentials(double[] logits, int base, int end, int vecEnd, double[] p, double[] sc) {
        // 1. max of the logits rounded to float (NaN when one is a float subnormal, overflows or is NaN); min in sc[0]
        double mMax = PanamaFusedFp32.maxIfClean(logits, base, vecEnd, end, sc);
        double min = sc[0];
        if (mMax != mMax) {
            return Float.NaN;
        }
        float m = (float) mMax;
        // 2. e_j in p, each rounded to float
        double minE;
        if (shift) {
            if (!(Math.abs(mMax) >= SAFE_MAX && min - mMax >= VectorExp.NON_POSITIVE_LOW)) {
                return -1.0f;
            }
            minE = shiftedExps(logits, base, vecEnd, mMax, p);
            for (int j = vecEnd; j < end; j++) {
                double e = (float) StrictMath.exp((float) logits[j] - m);
                p[j] = e;
                minE = Math.min(minE, e);
            }
        } else {
            if (!(min >= VectorExp.NON_POSITIVE_LOW && mMax <= NAIVE_HIGH)) {
                return -1.0f;
            }
            minE = exps(logits, base, vecEnd, p);
            for (int j = vecEnd; j < end; j++) {
                double e = (float) StrictMath.exp((float) logits[j]);
                p[j] = e;
                minE = Math.min(minE, e);
            }
        }
        if (!(minE >= Float.MIN_NORMAL)) {
            return Float.NaN;
        }
        // 3. s = Σ e_j left to right in float
        float s = 0.0f;
        for (int j = base; j < end; j++) {
            s += (float) p[j];
        }
        return s <= Float.MAX_VALUE ? s : Float.NaN;
    }

    /**
     * The dense row, {@link PanamaSeparateFp64#denseRow}'s passes in float (t_j = q_j rounded to float, every
     * operation a float operation, log rounded once to float): 4 and 6 in 4 float lanes, 5 scalar over the classes
     * with t_j ≠ 0.
     */
    @Override
    public double denseRow(double[] logits, int base, int classes, double[] q, double lo, double hi, double[] p,
            double[] grad) {
        double[] scratch = SCRATCH.get();
        int end = base + classes;
        int vecEnd = base + S.loopBound(classes);
        float s = exponentials(logits, base, end, vecEnd, p, scratch);
        if (s != s) {
            return Double.NaN;
        }
        if (s < 0.0f) {
            return scalar.denseRow(logits, base, classes, q, lo, hi, p, grad);
        }
        float fl = (float) lo;
        float fh = (float) hi;
        // 4. p, g and the checks of t, t/p and p g (the ratio's only where the clip passes g on)
        boolean fine = clip ? probabilitiesAndUpstreamClipped(p, grad, q, base, vecEnd, s, fl, fh)
                : probabilitiesAndUpstream(p, grad, q, base, vecEnd, s);
        for (int j = vecEnd; j < end; j++) {
            float pj = (float) p[j] / s;
            p[j] = pj;
            float t = (float) q[j - base];
            float g = 0.0f;
            if (!clip || (pj >= fl && pj <= fh)) {
                float ratio = t / pj;
                fine &= ScalarSeparateFp32.zeroOrNormal(ratio);
                g = 0.0f - ratio;
            }
            grad[j] = g;
            fine &= pj >= Float.MIN_NORMAL && ScalarSeparateFp32.zeroOrNormal(t)
                    && ScalarSeparateFp32.zeroOrNormal(pj * g);
        }
        if (!fine) {
            return Double.NaN;
        }
        // 5. the loss and the dot product over the classes the target weighs, in the reference's order
        float sum = 0.0f;
        float dot = 0.0f;
        boolean clean = true;
        for (int j = 0; j < classes; j++) {
            float t = (float) q[j];
            if (t != 0.0f) {
                float pj = (float) p[base + j];
                float cpj = clip ? (pj < fl ? fl : (pj > fh ? fh : pj)) : pj;
                float term = t * (float) NarrowStrictMath.log(cpj, Precision.FP32);
                clean &= ScalarSeparateFp32.zeroOrNormal(term);
                sum += term;
                dot += pj * (float) grad[base + j];
            }
        }
        if (!(clean && ScalarSeparateFp32.zeroOrNormal(sum) && ScalarSeparateFp32.zeroOrNormal(dot))) {
            return Double.NaN;
        }
        // 6. softmax backward
        fine = softmaxBackward(p, grad, base, vecEnd, dot);
        for (int j = vecEnd; j < end; j++) {
            float d = (float) grad[j] - dot;
            float gj = (float) p[j] * d;
            fine &= ScalarSeparateFp32.zeroOrNormal(d) && ScalarSeparateFp32.zeroOrNormal(gj);
            grad[j] = gj;
        }
        return fine ? 0.0f - sum : Double.NaN;
    }

    /**
     * Pass 4 of a dense row on [base, vecEnd), no clip, in float: p_j = e_j / s into p, g_j = 0 - t_j / p_j into grad;
     * whether every p_j is a normal float and every t_j, t_j / p_j and p_j g_j is zero or a normal float.
     */
    private static boolean probabilitiesAndUpstream(double[] p, double[] grad, double[] q, int base, int vecEnd,
            float s) {
        FloatVector vs = FloatVector.broadcast(F, s);
        FloatVector vMinP = FloatVector.broadcast(F, Float.POSITIVE_INFINITY);
        FloatVector vMinNonZero = vMinP; // the smallest non-zero magnitude among t, t/p and p g
        FloatVector vMaxAbs = FloatVector.zero(F); // the largest magnitude (NaN when one is NaN)
        for (int j = base; j < vecEnd; j += W) {
            FloatVector pj = ((FloatVector) DoubleVector.fromArray(S, p, j)
                    .convertShape(VectorOperators.D2F, F, 0)).div(vs);
            ((DoubleVector) pj.convertShape(VectorOperators.F2D, S, 0)).intoArray(p, j);
            FloatVector t = (FloatVector) DoubleVector.fromArray(S, q, j - base)
                    .convertShape(VectorOperators.D2F, F, 0);
            FloatVector ratio = t.div(pj);
            FloatVector g = ZERO_F.sub(ratio);
            ((DoubleVector) g.convertShape(VectorOperators.F2D, S, 0)).intoArray(grad, j);
            FloatVector pg = pj.mul(g);
            vMinP = vMinP.blend(pj, pj.compare(VectorOperators.LT, vMinP)); // PanamaFusedFp32.shiftedExps says why
            FloatVector at = t.abs();
            FloatVector ar = ratio.abs();
            FloatVector apg = pg.abs();
            vMaxAbs = vMaxAbs.max(at).max(ar).max(apg);
            vMinNonZero = vMinNonZero.min(at.blend(INFINITY_F, at.compare(VectorOperators.EQ, 0.0f)))
                    .min(ar.blend(INFINITY_F, ar.compare(VectorOperators.EQ, 0.0f)))
                    .min(apg.blend(INFINITY_F, apg.compare(VectorOperators.EQ, 0.0f)));
        }
        return vMinP.reduceLanes(VectorOperators.MIN) >= Float.MIN_NORMAL
                && vMinNonZero.reduceLanes(VectorOperators.MIN) >= Float.MIN_NORMAL
                && vMaxAbs.reduceLanes(VectorOperators.MAX) <= Float.MAX_VALUE;
    }

    /**
     * {@link #probabilitiesAndUpstream} of the clipped form: where p_j is outside [lo, hi] g_j = +0 and the reference
     * does not divide.
     */
    private static boolean probabilitiesAndUpstreamClipped(double[] p, double[] grad, double[] q, int base,
            int vecEnd, float s, float lo, float hi) {
        FloatVector vs = FloatVector.broadcast(F, s);
        FloatVector vMinP = FloatVector.broadcast(F, Float.POSITIVE_INFINITY);
        FloatVector vMinNonZero = vMinP;
        FloatVector vMaxAbs = FloatVector.zero(F);
        for (int j = base; j < vecEnd; j += W) {
            FloatVector pj = ((FloatVector) DoubleVector.fromArray(S, p, j)
                    .convertShape(VectorOperators.D2F, F, 0)).div(vs);
            ((DoubleVector) pj.convertShape(VectorOperators.F2D, S, 0)).intoArray(p, j);
            FloatVector t = (FloatVector) DoubleVector.fromArray(S, q, j - base)
                    .convertShape(VectorOperators.D2F, F, 0);
            VectorMask<Float> passed = pj.compare(VectorOperators.GE, lo).and(pj.compare(VectorOperators.LE, hi));
            FloatVector ratio = ZERO_F.blend(t.div(pj), passed);
            FloatVector g = ZERO_F.sub(ratio); // +0 where clipped away: 0 - (+0)
            ((DoubleVector) g.convertShape(VectorOperators.F2D, S, 0)).intoArray(grad, j);
            FloatVector pg = pj.mul(g);
            vMinP = vMinP.blend(pj, pj.compare(VectorOperators.LT, vMinP)); // PanamaFusedFp32.shiftedExps says why
            FloatVector at = t.abs();
            FloatVector ar = ratio.abs();
            FloatVector apg = pg.abs();
            vMaxAbs = vMaxAbs.max(at).max(ar).max(apg);
            vMinNonZero = vMinNonZero.min(at.blend(INFINITY_F, at.compare(VectorOperators.EQ, 0.0f)))
                    .min(ar.blend(INFINITY_F, ar.compare(VectorOperators.EQ, 0.0f)))
                    .min(apg.blend(INFINITY_F, apg.compare(VectorOperators.EQ, 0.0f)));
        }
        return vMinP.reduceLanes(VectorOperators.MIN) >= Float.MIN_NORMAL
                && vMinNonZero.reduceLanes(VectorOperators.MIN) >= Float.MIN_NORMAL
                && vMaxAbs.reduceLanes(VectorOperators.MAX) <= Float.MAX_VALUE;
    }

    /**
     * Pass 6 of a dense row on [base, vecEnd), in float: grad_j = p_j (g_j - dot) in place; whether every g_j - dot
     * and every grad_j is zero or a normal float.
     */
    private static boolean softmaxBackward(double[] p, double[] grad, int base, int vecEnd, float dot) {
        FloatVector vDot = FloatVector.broadcast(F, dot);
        FloatVector vMinNonZero = FloatVector.broadcast(F, Float.POSITIVE_INFINITY);
        FloatVector vMaxAbs = FloatVector.zero(F);
        for (int j = base; j < vecEnd; j += W) {
            FloatVector d = ((FloatVector) DoubleVector.fromArray(S, grad, j)
                    .convertShape(VectorOperators.D2F, F, 0)).sub(vDot);
            FloatVector gj = ((FloatVector) DoubleVector.fromArray(S, p, j)
                    .convertShape(VectorOperators.D2F, F, 0)).mul(d);
            ((DoubleVector) gj.convertShape(VectorOperators.F2D, S, 0)).intoArray(grad, j);
            FloatVector ad = d.abs();
            FloatVector ag = gj.abs();
            vMaxAbs = vMaxAbs.max(ad).max(ag);
            vMinNonZero = vMinNonZero.min(ad.blend(INFINITY_F, ad.compare(VectorOperators.EQ, 0.0f)))
                    .min(ag.blend(INFINITY_F, ag.compare(VectorOperators.EQ, 0.0f)));
        }
        return vMinNonZero.reduceLanes(VectorOperators.MIN) >= Float.MIN_NORMAL
                && vMaxAbs.reduceLanes(VectorOperators.MAX) <= Float.MAX_VALUE;
    }

    /**
     * Pass 2 of the shifted forms on [base, vecEnd): p_j = exp(d) rounded to float, d = z_j - m rounded to float, for
     * d in [-708, 0]; returns min p_j. Lanes with d in (-2^-28, 0] take fdlibm's 1 + d.
     */
    private static double shiftedExps(double[] logits, int base, int vecEnd, double m, double[] p) {
        DoubleVector vm = DoubleVector.broadcast(S, m);
        DoubleVector vMinE = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        for (int j = base; j < vecEnd; j += W) {
            // z rounded to float and back, written out rather than through a helper: this loop's graph is large
            // enough that C2 stops inlining there, and then every vector crossing the call is boxed
            DoubleVector z = (DoubleVector) DoubleVector.fromArray(S, logits, j)
                    .convertShape(VectorOperators.D2F, F, 0).convertShape(VectorOperators.F2D, S, 0);
            DoubleVector d = (DoubleVector) z.sub(vm)
                    .convertShape(VectorOperators.D2F, F, 0).convertShape(VectorOperators.F2D, S, 0);
            DoubleVector e = (DoubleVector) VectorExp.expNonPositive(d)
                    .blend(ONE.add(d), d.compare(VectorOperators.GT, -TINY))
                    .convertShape(VectorOperators.D2F, F, 0).convertShape(VectorOperators.F2D, S, 0);
            e.intoArray(p, j);
            vMinE = vMinE.blend(e, e.compare(VectorOperators.LT, vMinE)); // PanamaFusedFp32.shiftedExps says why
        }
        return vMinE.reduceLanes(VectorOperators.MIN);
    }

    /**
     * Pass 2 of the naive form on [base, vecEnd): p_j = exp(z_j) rounded to float, for z_j in [-708, 709]; returns
     * min p_j. Lanes with |z_j| &lt; 2^-28 take fdlibm's 1 + z.
     */
    private static double exps(double[] logits, int base, int vecEnd, double[] p) {
        DoubleVector vMinE = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        for (int j = base; j < vecEnd; j += W) {
            DoubleVector z = (DoubleVector) DoubleVector.fromArray(S, logits, j)
                    .convertShape(VectorOperators.D2F, F, 0).convertShape(VectorOperators.F2D, S, 0);
            DoubleVector e = (DoubleVector) VectorExp.exp(z)
                    .blend(ONE.add(z), z.abs().compare(VectorOperators.LT, TINY))
                    .convertShape(VectorOperators.D2F, F, 0).convertShape(VectorOperators.F2D, S, 0);
            e.intoArray(p, j);
            vMinE = vMinE.blend(e, e.compare(VectorOperators.LT, vMinE)); // PanamaFusedFp32.shiftedExps says why
        }
        return vMinE.reduceLanes(VectorOperators.MIN);
    }

    /** Pass 4 on [base, vecEnd): p_j = e_j / s and grad_j = p_j·nd in float; returns min p_j. */
    private static double divideAndScale(double[] p, double[] grad, int base, int vecEnd, float s, float nd) {
        FloatVector vs = FloatVector.broadcast(F, s);
        FloatVector vnd = FloatVector.broadcast(F, nd);
        DoubleVector vMinP = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        for (int j = base; j < vecEnd; j += W) {
            FloatVector pj = ((FloatVector) DoubleVector.fromArray(S, p, j)
                    .convertShape(VectorOperators.D2F, F, 0)).div(vs);
            DoubleVector pd = (DoubleVector) pj.convertShape(VectorOperators.F2D, S, 0);
            pd.intoArray(p, j);
            ((DoubleVector) pj.mul(vnd).convertShape(VectorOperators.F2D, S, 0)).intoArray(grad, j);
            vMinP = vMinP.blend(pd, pd.compare(VectorOperators.LT, vMinP)); // PanamaFusedFp32.shiftedExps says why
        }
        return vMinP.reduceLanes(VectorOperators.MIN);
    }

    /**
     * {@link #divideAndScale}, counting per lane the p_j outside [lo, hi] (ClipCount's comparisons, on p_j widened
     * to double as the reference compares them); the count (an integer, exact in a double) goes to
     * sc[ClipCount.SCRATCH_SLOT].
     */
    private static double divideScaleAndCount(double[] p, double[] grad, int base, int vecEnd, float s, float nd,
            double lo, double hi, double[] sc) {
        FloatVector vs = FloatVector.broadcast(F, s);
        FloatVector vnd = FloatVector.broadcast(F, nd);
        DoubleVector vMinP = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        DoubleVector vCount = DoubleVector.zero(S);
        for (int j = base; j < vecEnd; j += W) {
            FloatVector pj = ((FloatVector) DoubleVector.fromArray(S, p, j)
                    .convertShape(VectorOperators.D2F, F, 0)).div(vs);
            DoubleVector pd = (DoubleVector) pj.convertShape(VectorOperators.F2D, S, 0);
            pd.intoArray(p, j);
            ((DoubleVector) pj.mul(vnd).convertShape(VectorOperators.F2D, S, 0)).intoArray(grad, j);
            vMinP = vMinP.blend(pd, pd.compare(VectorOperators.LT, vMinP)); // PanamaFusedFp32.shiftedExps says why
            vCount = vCount.add(ONE, pd.compare(VectorOperators.LT, lo).or(pd.compare(VectorOperators.GT, hi)));
        }
        sc[ClipCount.SCRATCH_SLOT] = vCount.reduceLanes(VectorOperators.ADD);
        return vMinP.reduceLanes(VectorOperators.MIN);
    }
}
