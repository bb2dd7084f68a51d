package dev.softmaxlab.core.kernel.panama;

import dev.softmaxlab.core.kernel.ExactReciprocal;
import dev.softmaxlab.core.kernel.FusedDenseRowKernel;
import dev.softmaxlab.core.kernel.ScalarFusedDenseFp64;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ScalarFusedDenseFp64} with 4 lanes at a time, the same operations in the same order on each element. Row of
 * C classes at base, t its target row:
 * <pre>
 *   1-3. m, argmax a, e_j = exp(z_j - m), s' = Σ_{j≠a} e_j    {@link PanamaFusedFp64#expsAndSum}
 *   4.   cross = Σ_{t_j≠0} t_j (m - z_j), mass = Σ_{t_j≠0} t_j    scalar, left to right (the reference's order)
 *   5.   rest_j = s - e_j, kept = e_j (1 - t_j), given = t_j rest_j, g_j = (kept - given) / s / D, p_j = e_j / s
 * </pre>
 * Pass 5 computes the argmax lane with rest = s - 1 like the others and then redoes that one entry with rest = s', as
 * the reference does. A row is refused (NaN) when some result is subnormal, found from the bits as in
 * {@link PanamaFusedFp64}, or when a numerator cancels (|kept - given| &lt; |larger term| / 8, the reference's test).
 */
final class PanamaFusedDenseFp64 implements FusedDenseRowKernel {

    static final PanamaFusedDenseFp64 INSTANCE = new PanamaFusedDenseFp64();

    private static final VectorSpecies<Double> S = VectorExp.S;
    private static final VectorSpecies<Long> L = LongVector.SPECIES_256;
    private static final double CANCELLATION = ScalarFusedDenseFp64.DENSE_CANCELLATION;
    private static final int W = 4;
    /** See PanamaFusedFp64.SUBNORMAL_KEY: (bits(|x|) - 1) >>> 1 is below it exactly for the subnormals. */
    private static final long SUBNORMAL_KEY = (Double.doubleToRawLongBits(Double.MIN_NORMAL) - 1) >>> 1;

    private PanamaFusedDenseFp64() {
    }

    @Override
    public double finishedDenseRow(double[] logits, double[] targets, int base, int classes, double[] p,
            double[] grad, double divisor, double[] scratch) {
        if (!(divisor >= 1.0)) {
            return Double.NaN; // the test of the scaled gradient relies on |grad_j / D| ≤ |grad_j|
        }
        double[] e = p != null ? p : grad; // e_j = exp(z_j - m) is kept here until the last pass
        double sPrime = PanamaFusedFp64.expsAndSum(logits, base, classes, e, scratch);
        if (sPrime != sPrime) {
            return Double.NaN;
        }
        if (sPrime < 0.0) {
            // a spread of more than 708 between the logits: exp(z_j - m) nears the subnormals (rare; scalar)
            return ScalarFusedDenseFp64.INSTANCE.finishedDenseRow(logits, targets, base, classes, p, grad, divisor,
                    scratch);
        }
        double m = scratch[0];
        int argmax = (int) scratch[1];
        int end = base + classes;
        double s = 1.0 + sPrime;
        double logS = StrictMath.log1p(sPrime);
        // 4. the cross term and the mass over the classes the target weighs, left to right
        double cross = 0.0;
        double mass = 0.0;
        boolean clean = true;
        for (int j = base; j < end; j++) {
            double tj = targets[j];
            if (tj != 0.0) {
                double diff = m - logits[j];
                double term = tj * diff;
                clean &= zeroOrNormal(tj) & zeroOrNormal(diff) & zeroOrNormal(term);
                cross += term;
                mass += tj;
            }
        }
        double massLog = mass * logS;
        double loss = cross + massLog;
        clean &= zeroOrNormal(sPrime) & zeroOrNormal(logS) & zeroOrNormal(cross) & zeroOrNormal(mass)
                & zeroOrNormal(massLog) & zeroOrNormal(loss);
        if (!clean) {
            return Double.NaN;
        }
        // 5. the gradient, the batch end's division folded in
        double inverse = ExactReciprocal.of(divisor);
        boolean multiply = inverse == inverse;
        double scale = multiply ? inverse : divisor;
        int vecEnd = base + S.loopBound(classes);
        double ok = gradient(e, p != null, targets, grad, base, vecEnd, s, divisor, scratch);
        for (int j = vecEnd; j < end; j++) {
            ok = Math.min(ok, entry(e[j], e, p != null, targets, grad, j, s - e[j], s, scale, multiply));
        }
        // the argmax entry again, with e_a = 1 (its slot in e was overwritten above) and rest = s'
        ok = Math.min(ok, entry(1.0, e, p != null, targets, grad, argmax, sPrime, s, scale, multiply));
        return ok > 0.0 ? loss : Double.NaN;
    }

    /**
     * One entry j with e_j = ej, scalar: the reference's operations, p_j into e when keep, the scaled gradient into
     * grad.
     *
     * @return a positive number when nothing in it would be counted and it does not cancel, else 0 or less
     */
    private static double entry(double ej, double[] e, boolean keep, double[] targets, double[] grad, int j,
            double rest, double s, double scale, boolean multiply) {
        double tj = targets[j];
        double kept = ej * (1.0 - tj);
        double given = tj * rest;
        double numerator = kept - given;
        double g = numerator / s;
        double pj = ej / s;
        double scaled = multiply ? g * scale : g / scale;
        if (keep) {
            e[j] = pj;
        }
        grad[j] = scaled;
        boolean fine = zeroOrNormal(rest) & zeroOrNormal(1.0 - tj) & zeroOrNormal(kept) & zeroOrNormal(given)
                & zeroOrNormal(numerator) & zeroOrNormal(g) & zeroOrNormal(scaled) & pj >= Double.MIN_NORMAL
                & !(Math.abs(numerator) < ScalarFusedDenseFp64.DENSE_CANCELLATION
                        * Math.max(Math.abs(kept), Math.abs(given)));
        return fine ? 1.0 : 0.0;
    }

    /**
     * Pass 5 on [base, vecEnd): every entry as {@link #entry} with rest = s - e_j, divided by D. The checks are running
     * minima: of the subnormal keys of kept, given, the numerator, g and the scaled g; of p_j; and of
     * |numerator| - |larger term| / 8 (negative exactly when the reference's cancellation test fires: the subtraction
     * of two finite numbers has the sign of their difference). rest = s - e_j and 1 - t_j need no test: with s ≥ 1,
     * e_j ≤ 1 and t_j in [0, 1 + 1e-6] each is 0 or at least 2^-53 in magnitude. Everything here is finite (the
     * targets are validated finite). One flat loop with no helper calls: C2 inlines it whole, so no vector is boxed.
     *
     * @param sc [4] working memory (Modified)
     * @return a positive number when no entry fails a check, else 0 or less
     */
    private static double gradient(double[] e, boolean keep, double[] targets, double[] grad, int base, int vecEnd,
            double s, double divisor, double[] sc) {
        DoubleVector vs = DoubleVector.broadcast(S, s);
        DoubleVector vd = DoubleVector.broadcast(S, divisor);
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        DoubleVector vMinP = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        DoubleVector vMinCancel = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        LongVector vKey = LongVector.broadcast(L, Long.MAX_VALUE);
        for (int j = base; j < vecEnd; j += W) {
            DoubleVector ej = DoubleVector.fromArray(S, e, j);
            DoubleVector tj = DoubleVector.fromArray(S, targets, j);
            DoubleVector kept = ej.mul(one.sub(tj)).abs();
            DoubleVector given = tj.mul(vs.sub(ej)).abs(); // both ≥ 0 here: the signs are known
            DoubleVector numerator = ej.mul(one.sub(tj)).sub(tj.mul(vs.sub(ej)));
            DoubleVector g = numerator.div(vs);
            DoubleVector scaled = g.div(vd);
            DoubleVector pj = ej.div(vs);
            if (keep) {
                pj.intoArray(e, j);
            }
            scaled.intoArray(grad, j);
            vMinP = vMinP.min(pj);
            vMinCancel = vMinCancel.min(numerator.abs().sub(kept.max(given).mul(CANCELLATION)));
            // (bits(|x|) - 1) >>> 1 is below SUBNORMAL_KEY exactly for a subnormal |x| (zero wraps to the top)
            LongVector b1 = (LongVector) kept.convert(VectorOperators.REINTERPRET_D2L, 0);
            LongVector b2 = (LongVector) given.convert(VectorOperators.REINTERPRET_D2L, 0);
            LongVector b3 = (LongVector) numerator.abs().convert(VectorOperators.REINTERPRET_D2L, 0);
            LongVector b4 = (LongVector) g.abs().convert(VectorOperators.REINTERPRET_D2L, 0);
            LongVector b5 = (LongVector) scaled.abs().convert(VectorOperators.REINTERPRET_D2L, 0);
            vKey = vKey.min(b1.sub(1L).lanewise(VectorOperators.LSHR, 1))
                    .min(b2.sub(1L).lanewise(VectorOperators.LSHR, 1))
                    .min(b3.sub(1L).lanewise(VectorOperators.LSHR, 1))
                    .min(b4.sub(1L).lanewise(VectorOperators.LSHR, 1))
                    .min(b5.sub(1L).lanewise(VectorOperators.LSHR, 1));
        }
        // the lanes' minimum key read through memory as raw bits (see PanamaFusedFp64.maxIfClean)
        ((DoubleVector) vKey.convert(VectorOperators.REINTERPRET_L2D, 0)).intoArray(sc, 0);
        long key = Long.MAX_VALUE;
        for (int k = 0; k < W; k++) {
            key = Math.min(key, Double.doubleToRawLongBits(sc[k]));
        }
        double minP = vMinP.reduceLanes(VectorOperators.MIN);
        double minCancel = vMinCancel.reduceLanes(VectorOperators.MIN);
        return key >= SUBNORMAL_KEY && minP >= Double.MIN_NORMAL && minCancel >= 0.0 ? 1.0 : 0.0;
    }

    private static boolean zeroOrNormal(double x) {
        double a = Math.abs(x);
        return a == 0.0 || (a >= Double.MIN_NORMAL && a <= Double.MAX_VALUE);
    }
}
