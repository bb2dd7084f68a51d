package dev.softmaxlab.core.kernel.panama;

import dev.softmaxlab.core.kernel.ExactReciprocal;
import dev.softmaxlab.core.kernel.FusedDenseRowKernel;
import dev.softmaxlab.core.kernel.ScalarFusedDenseFp32;
import dev.softmaxlab.core.kernel.ScalarFusedDenseFp64;
import dev.softmaxlab.core.precision.NarrowStrictMath;
import dev.softmaxlab.core.precision.Precision;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ScalarFusedDenseFp32} with 4 lanes at a time, the same operations in the same order on each element. Row of
 * C classes at base, t its target row, everything in float as the scalar twin computes it:
 * <pre>
 *   1-3. m, argmax a, e_j = exp(z_j - m), s' = Σ_{j≠a} e_j     {@link PanamaFusedFp32}'s passes 1 to 3
 *   4.   cross = Σ_{t_j≠0} t_j (m - z_j), mass = Σ_{t_j≠0} t_j     scalar, left to right (the reference's order)
 *   5.   rest_j = s - e_j, kept = e_j (1 - t_j), given = t_j rest_j, g_j = (kept - given) / s, p_j = e_j / s,
 *        grad_j = g_j / D (in double, rounded to float)           4 float lanes
 * </pre>
 * Pass 5 runs in the lanes on every block of 4 but the one holding a (there rest_a = s', not s - e_a), which goes
 * entry by entry like the tail. A row is refused (NaN) under the scalar twin's rule: something that is neither zero
 * nor a normal float, or a numerator that cancels (|kept - given| &lt; |larger term| / 8).
 */
final class PanamaFusedDenseFp32 implements FusedDenseRowKernel {

    static final PanamaFusedDenseFp32 INSTANCE = new PanamaFusedDenseFp32();

    private static final VectorSpecies<Double> S = VectorExp.S;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_128;
    private static final int W = 4;
    private static final FloatVector ONE_F = FloatVector.broadcast(F, 1.0f);
    private static final FloatVector INFINITY_F = FloatVector.broadcast(F, Float.POSITIVE_INFINITY);
    private static final double CANCELLATION = ScalarFusedDenseFp64.DENSE_CANCELLATION;

    private PanamaFusedDenseFp32() {
    }

    /*
     * One vector loop per method, as in PanamaFusedFp64 (which says why): no vector crosses a call that C2 might
     * refuse to inline.
     */

    @Override
    public double finishedDenseRow(double[] logits, double[] targets, int base, int classes, double[] p,
            double[] grad, double divisor, double[] scratch) {
        if (!(divisor >= 1.0)) {
            return Double.NaN; // the test of the scaled gradient relies on |grad_j / D| ≤ |grad_j|
        }
        int end = base + classes;
        int vecEnd = base + S.loopBound(classes);
        // 1. max of the logits rounded to float; their min in scratch[0]; NaN when one is not zero or a normal float
        double mMax = PanamaFusedFp32.maxIfClean(logits, base, vecEnd, end, scratch);
        double min = scratch[0];
        if (mMax != mMax) {
            return Double.NaN;
        }
        int argmax = PanamaFusedFp32.firstIndexOf(logits, base, vecEnd, mMax);
        float m = (float) logits[argmax]; // the first maximum, with its own sign of zero
        if (!(min - m >= VectorExp.NON_POSITIVE_LOW)) {
            // a spread of more than 708 between the logits: exp(z_j - m) nears the subnormals (rare; scalar)
            return ScalarFusedDenseFp32.INSTANCE.finishedDenseRow(logits, targets, base, classes, p, grad, divisor,
                    scratch);
        }
        double[] e = p != null ? p : grad; // e_j = exp(z_j - m) is kept here until the last pass
        // 2. e_j = exp(z_j - m) rounded to float
        double minE = PanamaFusedFp32.shiftedExps(logits, base, vecEnd, m, e, scratch);
        for (int j = vecEnd; j < end; j++) {
            double ej = (float) NarrowStrictMath.exp((double) (float) logits[j] - m, Precision.FP32);
            e[j] = ej;
            minE = Math.min(minE, ej);
        }
        if (!(minE >= Float.MIN_NORMAL)) { // e at argmax is exp(0) = 1 and cannot fail this
            return Double.NaN;
        }
        // 3. s' in the reference's lanes, in float; the argmax term is left out by adding +0 in its place
        e[argmax] = 0.0;
        float sPrime = PanamaFusedFp32.laneSum(e, base, end, scratch);
        e[argmax] = 1.0;
        float s = 1.0f + sPrime;
        float logS = (float) StrictMath.log1p(sPrime);
        // 4. the cross term and the mass over the classes the target weighs, left to right in float
        float cross = 0.0f;
        float mass = 0.0f;
        boolean clean = true;
        for (int j = base; j < end; j++) {
            float tj = (float) targets[j];
            if (tj != 0.0f) {
                float diff = m - (float) logits[j];
                float term = tj * diff;
                clean &= zeroOrNormal(tj) & zeroOrNormal(diff) & zeroOrNormal(term);
                cross += term;
                mass += tj;
            }
        }
        float massLog = mass * logS;
        float loss = cross + massLog;
        clean &= zeroOrNormal(sPrime) & zeroOrNormal(logS) & zeroOrNormal(cross) & zeroOrNormal(mass)
                & zeroOrNormal(massLog) & zeroOrNormal(loss);
        if (!clean) {
            return Double.NaN;
        }
        // 5. the gradient, the batch end's division folded in: the lanes on every block but argmax's
        double inverse = ExactReciprocal.of(divisor);
        boolean multiply = inverse == inverse;
        double scale = multiply ? inverse : divisor;
        boolean keep = p != null;
        int argBlock = base + (argmax - base) / W * W;
        boolean ok = true;
        if (argBlock < vecEnd) {
            ok &= gradient(e, targets, grad, base, argBlock, s, divisor);
            ok &= gradient(e, targets, grad, argBlock + W, vecEnd, s, divisor);
            for (int j = argBlock; j < argBlock + W; j++) {
                ok &= entry(e, keep, targets, grad, j, j == argmax ? sPrime : s - (float) e[j], s, scale, multiply);
            }
        } else {
            ok &= gradient(e, targets, grad, base, vecEnd, s, divisor);
        }
        for (int j = vecEnd; j < end; j++) {
            ok &= entry(e, keep, targets, grad, j, j == argmax ? sPrime : s - (float) e[j], s, scale, multiply);
        }
        return ok ? loss : Double.NaN;
    }

    /**
     * One entry j of pass 5, scalar, as the scalar twin computes it: p_j into e when keep, the scaled gradient into
     * grad.
     *
     * @return whether nothing in it would be counted and it does not cancel
     */
    private static boolean entry(double[] e, boolean keep, double[] targets, double[] grad, int j, float rest,
            float s, double scale, boolean multiply) {
        float ej = (float) e[j];
        float tj = (float) targets[j];
        float notT = 1.0f - tj;
        float kept = ej * notT;
        float given = tj * rest;
        float numerator = kept - given;
        float g = numerator / s;
        float pj = ej / s;
        float scaled = (float) (multiply ? g * scale : g / scale);
        if (keep) {
            e[j] = pj;
        }
        grad[j] = scaled;
        return zeroOrNormal(rest) & zeroOrNormal(notT) & zeroOrNormal(kept) & zeroOrNormal(given)
                & zeroOrNormal(numerator) & zeroOrNormal(g) & zeroOrNormal(scaled) & pj >= Float.MIN_NORMAL
                & !(Math.abs(numerator) < CANCELLATION * Math.max(Math.abs(kept), Math.abs(given)));
    }

    /**
     * Pass 5 on [from, to) (whole blocks of 4, none holding the argmax), every entry as {@link #entry} with
     * rest = s - e_j. p_j is written into e, which is grad itself when the probabilities are not kept: the scaled
     * gradient written next overwrites it there. The scaled gradient is always g_j / D in double: where the scalar
     * twin multiplies by 1/D instead, 1/D is exact, so the two are the same real number and round alike (dividing
     * here keeps the loop to one form, small enough for C2 to compile without boxing a vector). The checks are
     * running minima: of the non-zero magnitudes of kept, given, the numerator, g and the scaled g; of p_j; and of
     * |numerator| - |larger term| / 8 in double (exact there, negative exactly when the reference's cancellation
     * test fires). rest and 1 - t_j need no test: with s ≥ 1, e_j ≤ 1 and t_j in [0, 1 + 1e-6] (validated targets)
     * each is 0 or at least 2^-24 in magnitude; and nothing here can overflow.
     *
     * @return whether no entry fails a check
     */
    private static boolean gradient(double[] e, double[] targets, double[] grad, int from, int to, float s,
            double divisor) {
        FloatVector vs = FloatVector.broadcast(F, s);
        DoubleVector vd = DoubleVector.broadcast(S, divisor);
        FloatVector vMinP = INFINITY_F;
        FloatVector vMinNonZero = INFINITY_F;
        DoubleVector vMinCancel = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        for (int j = from; j < to; j += W) {
            FloatVector ej = (FloatVector) DoubleVector.fromArray(S, e, j).convertShape(VectorOperators.D2F, F, 0);
            FloatVector tj = (FloatVector) DoubleVector.fromArray(S, targets, j)
                    .convertShape(VectorOperators.D2F, F, 0);
            FloatVector kept = ej.mul(ONE_F.sub(tj));
            FloatVector given = tj.mul(vs.sub(ej));
            FloatVector numerator = kept.sub(given);
            FloatVector g = numerator.div(vs);
            FloatVector pj = ej.div(vs);
            FloatVector scaled = (FloatVector) ((DoubleVector) g.convertShape(VectorOperators.F2D, S, 0)).div(vd)
                    .convertShape(VectorOperators.D2F, F, 0);
            ((DoubleVector) pj.convertShape(VectorOperators.F2D, S, 0)).intoArray(e, j);
            ((DoubleVector) scaled.convertShape(VectorOperators.F2D, S, 0)).intoArray(grad, j);
            vMinP = vMinP.min(pj);
            // given ≥ 0 here (t_j ≥ 0, rest ≥ 0); kept < 0 where t_j is just above 1
            FloatVector ak = kept.abs();
            FloatVector an = numerator.abs();
            FloatVector ag = g.abs();
            FloatVector as = scaled.abs();
            vMinNonZero = vMinNonZero.min(ak.blend(INFINITY_F, ak.compare(VectorOperators.EQ, 0.0f)))
                    .min(given.blend(INFINITY_F, given.compare(VectorOperators.EQ, 0.0f)))
                    .min(an.blend(INFINITY_F, an.compare(VectorOperators.EQ, 0.0f)))
                    .min(ag.blend(INFINITY_F, ag.compare(VectorOperators.EQ, 0.0f)))
                    .min(as.blend(INFINITY_F, as.compare(VectorOperators.EQ, 0.0f)));
            DoubleVector larger = (DoubleVector) ak.max(given).convertShape(VectorOperators.F2D, S, 0);
            vMinCancel = vMinCancel.min(((DoubleVector) an.convertShape(VectorOperators.F2D, S, 0))
                    .sub(larger.mul(CANCELLATION)));
        }
        return vMinP.reduceLanes(VectorOperators.MIN) >= Float.MIN_NORMAL
                && vMinNonZero.reduceLanes(VectorOperators.MIN) >= Float.MIN_NORMAL
                && vMinCancel.reduceLanes(VectorOperators.MIN) >= 0.0;
    }

    private static boolean zeroOrNormal(float x) {
        float a = Math.abs(x);
        return a == 0.0f || (a >= Float.MIN_NORMAL && a <= Float.MAX_VALUE);
    }
}
