package dev.softmaxlab.core.kernel.panama;

import dev.softmaxlab.core.kernel.ClipCount;
import dev.softmaxlab.core.kernel.ScalarSeparateFp64;
import dev.softmaxlab.core.kernel.SeparateForm;
import dev.softmaxlab.core.kernel.SeparateSparseRowKernel;
import jdk.incubator.vector.DoubleVector;
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
final class PanamaSeparateFp64 implements SeparateSparseRowKernel {

    private static final PanamaSeparateFp64 SHIFTED = new PanamaSeparateFp64(SeparateForm.SHIFTED);
    private static final PanamaSeparateFp64 NAIVE = new PanamaSeparateFp64(SeparateForm.NAIVE);
    private static final PanamaSeparateFp64 CLIPPED = new PanamaSeparateFp64(SeparateForm.CLIPPED);

    private static final VectorSpecies<Double> S = VectorExp.S;
    private static final int W = 4;
    private static final DoubleVector ONE = DoubleVector.broadcast(S, 1.0);
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
        // 1. m = max z (NaN when a logit is subnormal or not finite); min z in scratch[0]
        double m = PanamaFusedFp64.maxIfClean(logits, base, vecEnd, end, scratch);
        double min = scratch[0];
        if (m != m) {
            return Double.NaN;
        }
        // 2. e_j in p
        double minE;
        if (shift) {
            if (!(Math.abs(m) >= SAFE_MAX && min - m >= VectorExp.NON_POSITIVE_LOW)) {
                return scalar.sparseRow(logits, base, classes, label, lo, hi, p, grad, scratch);
            }
            minE = shiftedExps(logits, base, vecEnd, m, p);
            for (int j = vecEnd; j < end; j++) {
                double e = StrictMath.exp(logits[j] - m);
                p[j] = e;
                minE = Math.min(minE, e);
            }
        } else {
            if (!(min >= VectorExp.NON_POSITIVE_LOW && m <= NAIVE_HIGH)) {
                return scalar.sparseRow(logits, base, classes, label, lo, hi, p, grad, scratch);
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
        // 3. s = Σ e_j left to right; cross-entropy forward and backward; the softmax's dot product p_y g_y
        double s = 0.0;
        for (int j = base; j < end; j++) {
            s += p[j];
        }
        if (!(s <= Double.MAX_VALUE)) {
            return Double.NaN;
        }
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
            vMinE = vMinE.min(e);
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
            vMinE = vMinE.min(e);
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
            vMinP = vMinP.min(pj);
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
            vMinP = vMinP.min(pj);
            vCount = vCount.add(ONE, pj.compare(VectorOperators.LT, lo).or(pj.compare(VectorOperators.GT, hi)));
        }
        sc[ClipCount.SCRATCH_SLOT] = vCount.reduceLanes(VectorOperators.ADD);
        return vMinP.reduceLanes(VectorOperators.MIN);
    }
}
