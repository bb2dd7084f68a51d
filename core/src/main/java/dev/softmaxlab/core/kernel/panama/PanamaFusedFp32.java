package dev.softmaxlab.core.kernel.panama;

import dev.softmaxlab.core.kernel.ExactReciprocal;
import dev.softmaxlab.core.kernel.FusedSparseRowKernel;
import dev.softmaxlab.core.kernel.LaneSums;
import dev.softmaxlab.core.kernel.ScalarFusedFp32;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ScalarFusedFp32} with 4 lanes at a time, the same four passes as {@link PanamaFusedFp64}: the logits are
 * rounded to float, exp(z_j - m) is {@link VectorExp} on the exact double difference rounded once to float, and the
 * sum and the division are float operations (4 float lanes, converted from and to the double arrays exactly).
 */
final class PanamaFusedFp32 implements FusedSparseRowKernel {

    static final PanamaFusedFp32 INSTANCE = new PanamaFusedFp32();

    private static final VectorSpecies<Double> S = VectorExp.S;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_128;
    private static final VectorSpecies<Long> L = LongVector.SPECIES_256;
    private static final int W = 4;
    /** (bits(Float.MIN_NORMAL as a double) - 1) >>> 1: see PanamaFusedFp64's SUBNORMAL_KEY. */
    private static final long FLOAT_SUBNORMAL_KEY = (Double.doubleToRawLongBits(Float.MIN_NORMAL) - 1) >>> 1;
    private static final long TINY_BITS = Double.doubleToRawLongBits(-0x1p-28);

    private PanamaFusedFp32() {
    }

    /*
     * One vector loop per method, as in PanamaFusedFp64 (which says why): no vector crosses a call that C2 might
     * refuse to inline.
     */

    /** {@link #finishedSparseRow} with divisor 1 and the probabilities kept. */
    @Override
    public double sparseRow(double[] logits, int base, int classes, int label, double[] p, double[] grad,
            double[] scratch) {
        return finishedSparseRow(logits, base, classes, label, p, grad, 1.0, scratch);
    }

    @Override
    public double finishedSparseRow(double[] logits, int base, int classes, int label, double[] p, double[] grad,
            double divisor, double[] scratch) {
        if (!(divisor >= 1.0)) {
            return Double.NaN; // the tests below rely on grad_j ≤ p_j ≤ 1
        }
        int end = base + classes;
        int vecEnd = base + S.loopBound(classes);
        // 1. max of the logits rounded to float; their min in scratch[0]; NaN when one is a float subnormal, or
        //    overflows to ±∞, or is NaN
        double mMax = maxIfClean(logits, base, vecEnd, end, scratch);
        double min = scratch[0];
        if (mMax != mMax) {
            return Double.NaN;
        }
        int argmax = firstIndexOf(logits, base, vecEnd, mMax);
        float m = (float) logits[argmax];
        if (!(min - m >= VectorExp.NON_POSITIVE_LOW)) {
            // a spread of more than 708 between the logits: exp(z_j - m) nears the subnormals (rare; scalar)
            return ScalarFusedFp32.INSTANCE.finishedSparseRow(logits, base, classes, label, p, grad, divisor,
                    scratch);
        }
        double[] e = p != null ? p : grad; // e_j = exp(z_j - m) is kept here until the last pass
        // 2. e_j = exp(z_j - m) rounded to float
        double minE = shiftedExps(logits, base, vecEnd, m, e, scratch);
        for (int j = vecEnd; j < end; j++) {
            double ej = (float) StrictMath.exp((double) (float) logits[j] - m);
            e[j] = ej;
            minE = Math.min(minE, ej);
        }
        e[argmax] = 1.0;
        if (!(minE >= Float.MIN_NORMAL)) {
            return Double.NaN;
        }
        // 3. s' in the reference's lanes, in float; the argmax term is left out by adding +0 in its place
        e[argmax] = 0.0;
        float sPrime = laneSum(e, base, end, scratch);
        e[argmax] = 1.0;
        float s = 1.0f + sPrime;
        float logS = (float) StrictMath.log1p(sPrime);
        float dy = m - (float) logits[base + label];
        float loss = dy + logS;
        boolean clean = zeroOrNormal(sPrime) && zeroOrNormal(logS) && zeroOrNormal(dy) && zeroOrNormal(loss);
        float restY = base + label == argmax ? sPrime : s - (float) e[base + label];
        // 4. p = e / s in float, grad = p / D in double rounded to float (times 1/D when that is exact: same bits)
        double inverse = ExactReciprocal.of(divisor);
        boolean multiply = inverse == inverse;
        double minPG = divide(e, p != null, grad, base, vecEnd, s, multiply ? inverse : divisor, multiply);
        for (int j = vecEnd; j < end; j++) {
            float pj = (float) e[j] / s;
            if (p != null) {
                p[j] = pj;
            }
            double g = (float) (multiply ? pj * inverse : pj / divisor);
            grad[j] = g;
            minPG = Math.min(minPG, g);
        }
        float gy = restY / s;
        double gLabel = 0.0 - gy;
        gLabel = (float) (multiply ? gLabel * inverse : gLabel / divisor);
        grad[base + label] = gLabel;
        if (!clean || !(minPG >= Float.MIN_NORMAL) || !zeroOrNormal(gy) || !zeroOrNormal(restY)
                || !zeroOrNormal((float) gLabel)) {
            return Double.NaN;
        }
        return loss;
    }

    /**
     * Pass 1: the max of the logits rounded to float, or NaN when one of them is a float subnormal, overflows or is
     * NaN; their minimum is left in sc[0]. Subnormals are found from the bits of |z| as in PanamaFusedFp64.
     *
     * @param sc [4] working memory (Modified)
     */
    static double maxIfClean(double[] logits, int base, int vecEnd, int end, double[] sc) {
        DoubleVector vMax = DoubleVector.broadcast(S, Double.NEGATIVE_INFINITY);
        DoubleVector vMin = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        LongVector vKey = LongVector.broadcast(L, Long.MAX_VALUE);
        // two sets of running extremes, merged after the loop, as in PanamaFusedFp64.maxIfClean (which says why)
        DoubleVector vMax2 = vMax;
        DoubleVector vMin2 = vMin;
        LongVector vKey2 = vKey;
        int pairEnd = base + (vecEnd - base) / (2 * W) * (2 * W);
        int j = base;
        for (; j < pairEnd; j += 2 * W) {
            DoubleVector z = (DoubleVector) DoubleVector.fromArray(S, logits, j)
                    .convertShape(VectorOperators.D2F, F, 0).convertShape(VectorOperators.F2D, S, 0);
            DoubleVector z2 = (DoubleVector) DoubleVector.fromArray(S, logits, j + W)
                    .convertShape(VectorOperators.D2F, F, 0).convertShape(VectorOperators.F2D, S, 0);
            vMax = vMax.max(z);
            vMax2 = vMax2.max(z2);
            vMin = vMin.min(z);
            vMin2 = vMin2.min(z2);
            LongVector bits = (LongVector) z.abs().convert(VectorOperators.REINTERPRET_D2L, 0);
            LongVector bits2 = (LongVector) z2.abs().convert(VectorOperators.REINTERPRET_D2L, 0);
            vKey = vKey.min(bits.sub(1L).lanewise(VectorOperators.LSHR, 1));
            vKey2 = vKey2.min(bits2.sub(1L).lanewise(VectorOperators.LSHR, 1));
        }
        if (j < vecEnd) {
            DoubleVector z = (DoubleVector) DoubleVector.fromArray(S, logits, j)
                    .convertShape(VectorOperators.D2F, F, 0).convertShape(VectorOperators.F2D, S, 0);
            vMax = vMax.max(z);
            vMin = vMin.min(z);
            LongVector bits = (LongVector) z.abs().convert(VectorOperators.REINTERPRET_D2L, 0);
            vKey = vKey.min(bits.sub(1L).lanewise(VectorOperators.LSHR, 1));
        }
        vMax = vMax.max(vMax2);
        vMin = vMin.min(vMin2);
        vKey = vKey.min(vKey2);
        double mMax = vMax.reduceLanes(VectorOperators.MAX);
        double min = vMin.reduceLanes(VectorOperators.MIN);
        // no reduceLanes(MIN) on longs (see PanamaFusedFp64.maxIfClean): the lanes go through memory as raw bits
        ((DoubleVector) vKey.convert(VectorOperators.REINTERPRET_L2D, 0)).intoArray(sc, 0);
        long key = Long.MAX_VALUE;
        for (int k = 0; k < W; k++) {
            key = Math.min(key, Double.doubleToRawLongBits(sc[k]));
        }
        for (j = vecEnd; j < end; j++) {
            double z = (float) logits[j];
            mMax = Math.max(mMax, z);
            min = Math.min(min, z);
            key = Math.min(key, (Double.doubleToRawLongBits(Math.abs(z)) - 1) >>> 1);
        }
        sc[0] = min;
        if (!(mMax <= Float.MAX_VALUE && min >= -Float.MAX_VALUE) || key < FLOAT_SUBNORMAL_KEY) {
            return Double.NaN;
        }
        return mMax;
    }

    /**
     * The first index j ≥ from whose logit rounded to float equals m, 4 lanes at a time up to vecEnd, then one by one
     * (PanamaFusedFp64.firstIndexOf with the rounding).
     *
     * @param m a float value that one of logits[from..] rounds to (the row's max), not NaN
     */
    static int firstIndexOf(double[] logits, int from, int vecEnd, double m) {
        DoubleVector vm = DoubleVector.broadcast(S, m);
        int j = from;
        for (; j < vecEnd; j += W) {
            VectorMask<Double> found = ((DoubleVector) DoubleVector.fromArray(S, logits, j)
                    .convertShape(VectorOperators.D2F, F, 0).convertShape(VectorOperators.F2D, S, 0))
                    .compare(VectorOperators.EQ, vm);
            if (found.anyTrue()) {
                return j + found.firstTrue();
            }
        }
        while ((float) logits[j] != m) {
            j++;
        }
        return j;
    }

    /**
     * Pass 2 on [base, vecEnd): p_j = exp(z_j - m) rounded to float (the difference of two floats is exact in
     * double); returns min p_j. Near-ties with the max, d in (-2^-28, 0), are recomputed after the loop, as in
     * PanamaFusedFp64.
     *
     * @param sc [4] working memory (Modified)
     */
    static double shiftedExps(double[] logits, int base, int vecEnd, float m, double[] p, double[] sc) {
        DoubleVector vm = DoubleVector.broadcast(S, m);
        DoubleVector vMinE = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        LongVector vTiny = LongVector.broadcast(L, Long.MAX_VALUE);
        for (int j = base; j < vecEnd; j += W) {
            DoubleVector d = ((DoubleVector) DoubleVector.fromArray(S, logits, j)
                    .convertShape(VectorOperators.D2F, F, 0).convertShape(VectorOperators.F2D, S, 0)).sub(vm);
            DoubleVector e = (DoubleVector) VectorExp.expNonPositive(d)
                    .convertShape(VectorOperators.D2F, F, 0).convertShape(VectorOperators.F2D, S, 0);
            e.intoArray(p, j);
            // the minimum as a compare and a blend: Java's min takes several instructions on AVX2 for NaN and -0,
            // and no lane here is either (the logits are clean, exp is positive)
            vMinE = vMinE.blend(e, e.compare(VectorOperators.LT, vMinE));
            vTiny = vTiny.min((LongVector) d.convert(VectorOperators.REINTERPRET_D2L, 0));
        }
        double minE = vMinE.reduceLanes(VectorOperators.MIN);
        ((DoubleVector) vTiny.convert(VectorOperators.REINTERPRET_L2D, 0)).intoArray(sc, 0);
        long tiny = Long.MAX_VALUE;
        for (int k = 0; k < W; k++) {
            tiny = Math.min(tiny, Double.doubleToRawLongBits(sc[k]));
        }
        if (tiny < TINY_BITS) {
            for (int k = base; k < vecEnd; k++) {
                double d = (double) (float) logits[k] - m;
                if (d > -0x1p-28 && d != 0.0 || Double.doubleToRawLongBits(d) == Long.MIN_VALUE) {
                    p[k] = (float) StrictMath.exp(d);
                    minE = Math.min(minE, p[k]);
                }
            }
        }
        return minE;
    }

    /**
     * Pass 4 on [base, vecEnd): p_j = e_j / s in float, kept in e when keep (e is then the probabilities; else it is
     * grad, overwritten in place), grad_j = p_j / D in double rounded to float, or p_j · (1/D) when multiply (then
     * scale is 1/D, else D); returns the minimum of every grad_j (for D ≥ 1 a normal grad_j has a normal p_j).
     */
    private static double divide(double[] e, boolean keep, double[] grad, int base, int vecEnd, float s,
            double scale, boolean multiply) {
        FloatVector vs = FloatVector.broadcast(F, s);
        DoubleVector vScale = DoubleVector.broadcast(S, scale);
        DoubleVector vMin = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        for (int j = base; j < vecEnd; j += W) {
            DoubleVector pj = (DoubleVector) ((FloatVector) DoubleVector.fromArray(S, e, j)
                    .convertShape(VectorOperators.D2F, F, 0)).div(vs).convertShape(VectorOperators.F2D, S, 0);
            if (keep) {
                pj.intoArray(e, j);
            }
            DoubleVector q = multiply ? pj.mul(vScale) : pj.div(vScale);
            DoubleVector g = (DoubleVector) q.convertShape(VectorOperators.D2F, F, 0)
                    .convertShape(VectorOperators.F2D, S, 0);
            g.intoArray(grad, j);
            vMin = vMin.blend(g, g.compare(VectorOperators.LT, vMin)); // as in shiftedExps: g ≥ +0, never NaN
        }
        return vMin.reduceLanes(VectorOperators.MIN);
    }

    /** {@link LaneSums#compensatedSumFloat}'s order with float lanes: vector q holds lanes 4q..4q+3. */
    static float laneSum(double[] a, int from, int to, double[] sc) {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        FloatVector c0 = s0;
        FloatVector c1 = s0;
        FloatVector c2 = s0;
        FloatVector c3 = s0;
        int blockEnd = from + (to - from) / LaneSums.LANES * LaneSums.LANES;
        int i = from;
        for (; i < blockEnd; i += LaneSums.LANES) {
            FloatVector x0 = (FloatVector) DoubleVector.fromArray(S, a, i)
                    .convertShape(VectorOperators.D2F, F, 0);
            FloatVector x1 = (FloatVector) DoubleVector.fromArray(S, a, i + W)
                    .convertShape(VectorOperators.D2F, F, 0);
            FloatVector x2 = (FloatVector) DoubleVector.fromArray(S, a, i + 2 * W)
                    .convertShape(VectorOperators.D2F, F, 0);
            FloatVector x3 = (FloatVector) DoubleVector.fromArray(S, a, i + 3 * W)
                    .convertShape(VectorOperators.D2F, F, 0);
            FloatVector t0 = s0.add(x0);
            FloatVector t1 = s1.add(x1);
            FloatVector t2 = s2.add(x2);
            FloatVector t3 = s3.add(x3);
            // the rounding error of t = s + x by Knuth's branch-free TwoSum, written out (no vector crosses a call):
            // the error of a rounded sum is unique, so this equals the reference's Neumaier term bit for bit
            FloatVector b0 = t0.sub(s0);
            c0 = c0.add(s0.sub(t0.sub(b0)).add(x0.sub(b0)));
            FloatVector b1 = t1.sub(s1);
            c1 = c1.add(s1.sub(t1.sub(b1)).add(x1.sub(b1)));
            FloatVector b2 = t2.sub(s2);
            c2 = c2.add(s2.sub(t2.sub(b2)).add(x2.sub(b2)));
            FloatVector b3 = t3.sub(s3);
            c3 = c3.add(s3.sub(t3.sub(b3)).add(x3.sub(b3)));
            s0 = t0;
            s1 = t1;
            s2 = t2;
            s3 = t3;
        }
        ((DoubleVector) s0.convertShape(VectorOperators.F2D, S, 0)).intoArray(sc, 0);
        ((DoubleVector) s1.convertShape(VectorOperators.F2D, S, 0)).intoArray(sc, W);
        ((DoubleVector) s2.convertShape(VectorOperators.F2D, S, 0)).intoArray(sc, 2 * W);
        ((DoubleVector) s3.convertShape(VectorOperators.F2D, S, 0)).intoArray(sc, 3 * W);
        ((DoubleVector) c0.convertShape(VectorOperators.F2D, S, 0)).intoArray(sc, LaneSums.LANES);
        ((DoubleVector) c1.convertShape(VectorOperators.F2D, S, 0)).intoArray(sc, LaneSums.LANES + W);
        ((DoubleVector) c2.convertShape(VectorOperators.F2D, S, 0)).intoArray(sc, LaneSums.LANES + 2 * W);
        ((DoubleVector) c3.convertShape(VectorOperators.F2D, S, 0)).intoArray(sc, LaneSums.LANES + 3 * W);
        for (int k = 0; i < to; i++, k++) {
            float s = (float) sc[k];
            float x = (float) a[i];
            float t = s + x;
            sc[LaneSums.LANES + k] = (float) sc[LaneSums.LANES + k]
                    + (Math.abs(s) >= Math.abs(x) ? (s - t) + x : (x - t) + s);
            sc[k] = t;
        }
        return LaneSums.mergeFloat(sc);
    }

    private static boolean zeroOrNormal(float x) {
        float a = Math.abs(x);
        return a == 0.0f || (a >= Float.MIN_NORMAL && a <= Float.MAX_VALUE);
    }
}
