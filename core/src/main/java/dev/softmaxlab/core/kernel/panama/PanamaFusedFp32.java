package dev.softmaxlab.core.kernel.panama;

import dev.softmaxlab.core.kernel.FusedSparseRowKernel;
import dev.softmaxlab.core.kernel.LaneSums;
import dev.softmaxlab.core.kernel.ScalarFusedFp32;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
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

    /** Each lane rounded to the nearest float (ties to even), held as a double. */
    private static DoubleVector toFloat(DoubleVector v) {
        return (DoubleVector) v.convertShape(VectorOperators.D2F, F, 0).convertShape(VectorOperators.F2D, S, 0);
    }

    private static FloatVector floats(double[] a, int i) {
        return (FloatVector) DoubleVector.fromArray(S, a, i).convertShape(VectorOperators.D2F, F, 0);
    }

    private static DoubleVector doubles(FloatVector v) {
        return (DoubleVector) v.convertShape(VectorOperators.F2D, S, 0);
    }

    @Override
    public double sparseRow(double[] logits, int base, int classes, int label, double[] p, double[] grad,
            double[] scratch) {
        int end = base + classes;
        int vecEnd = base + S.loopBound(classes);
        // 1. max and min of the logits rounded to float (an overflow to ±∞ or a NaN fails the checks below), and the
        //    float subnormals, found from the bits of |z| as in PanamaFusedFp64
        DoubleVector vMax = DoubleVector.broadcast(S, Double.NEGATIVE_INFINITY);
        DoubleVector vMin = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        LongVector vKey = LongVector.broadcast(L, Long.MAX_VALUE);
        int j = base;
        for (; j < vecEnd; j += W) {
            DoubleVector z = toFloat(DoubleVector.fromArray(S, logits, j));
            vMax = vMax.max(z);
            vMin = vMin.min(z);
            LongVector bits = (LongVector) z.abs().convert(VectorOperators.REINTERPRET_D2L, 0);
            vKey = vKey.min(bits.sub(1L).lanewise(VectorOperators.LSHR, 1));
        }
        double mMax = vMax.reduceLanes(VectorOperators.MAX);
        double min = vMin.reduceLanes(VectorOperators.MIN);
        long key = vKey.reduceLanes(VectorOperators.MIN);
        for (; j < end; j++) {
            double z = (float) logits[j];
            mMax = Math.max(mMax, z);
            min = Math.min(min, z);
            key = Math.min(key, (Double.doubleToRawLongBits(Math.abs(z)) - 1) >>> 1);
        }
        if (!(mMax <= Float.MAX_VALUE && min >= -Float.MAX_VALUE) || key < FLOAT_SUBNORMAL_KEY) {
            return Double.NaN;
        }
        int argmax = base;
        while ((float) logits[argmax] != mMax) {
            argmax++;
        }
        float m = (float) logits[argmax];
        if (!(min - m >= VectorExp.NON_POSITIVE_LOW)) {
            // a spread of more than 708 between the logits: exp(z_j - m) nears the subnormals (rare; scalar)
            return ScalarFusedFp32.INSTANCE.sparseRow(logits, base, classes, label, p, grad, scratch);
        }
        // 2. e_j = exp(z_j - m) rounded to float; the difference of two floats is exact in double. Near-ties with
        //    the max, d in (-2^-28, 0), are recomputed after the loop, as in PanamaFusedFp64
        DoubleVector vm = DoubleVector.broadcast(S, m);
        DoubleVector vMinE = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        LongVector vTiny = LongVector.broadcast(L, Long.MAX_VALUE);
        for (j = base; j < vecEnd; j += W) {
            DoubleVector d = toFloat(DoubleVector.fromArray(S, logits, j)).sub(vm);
            DoubleVector e = toFloat(VectorExp.expNonPositive(d));
            e.intoArray(p, j);
            vMinE = vMinE.min(e);
            vTiny = vTiny.min((LongVector) d.convert(VectorOperators.REINTERPRET_D2L, 0));
        }
        double minE = vMinE.reduceLanes(VectorOperators.MIN);
        if (vTiny.reduceLanes(VectorOperators.MIN) < TINY_BITS) {
            for (int k = base; k < vecEnd; k++) {
                double d = (double) (float) logits[k] - m;
                if (d > -0x1p-28 && d != 0.0 || Double.doubleToRawLongBits(d) == Long.MIN_VALUE) {
                    p[k] = (float) StrictMath.exp(d);
                    minE = Math.min(minE, p[k]);
                }
            }
        }
        for (; j < end; j++) {
            double e = (float) StrictMath.exp((double) (float) logits[j] - m);
            p[j] = e;
            minE = Math.min(minE, e);
        }
        p[argmax] = 1.0;
        if (!(minE >= Float.MIN_NORMAL)) {
            return Double.NaN;
        }
        // 3. s' in the reference's lanes, in float; the argmax term is left out by adding +0 in its place
        p[argmax] = 0.0;
        float sPrime = laneSum(p, base, end, scratch);
        p[argmax] = 1.0;
        float s = 1.0f + sPrime;
        float logS = (float) StrictMath.log1p(sPrime);
        float dy = m - (float) logits[base + label];
        float loss = dy + logS;
        boolean clean = zeroOrNormal(sPrime) && zeroOrNormal(logS) && zeroOrNormal(dy) && zeroOrNormal(loss);
        float restY = base + label == argmax ? sPrime : s - (float) p[base + label];
        // 4. p = e / s in float, grad = p
        FloatVector vs = FloatVector.broadcast(F, s);
        DoubleVector vMinP = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        for (j = base; j < vecEnd; j += W) {
            DoubleVector pj = doubles(floats(p, j).div(vs));
            pj.intoArray(p, j);
            pj.intoArray(grad, j);
            vMinP = vMinP.min(pj);
        }
        double minP = vMinP.reduceLanes(VectorOperators.MIN);
        for (; j < end; j++) {
            float pj = (float) p[j] / s;
            p[j] = pj;
            grad[j] = pj;
            minP = Math.min(minP, pj);
        }
        float gy = restY / s;
        grad[base + label] = 0.0 - gy;
        if (!clean || !(minP >= Float.MIN_NORMAL) || !zeroOrNormal(gy) || !zeroOrNormal(restY)) {
            return Double.NaN;
        }
        return loss;
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
            FloatVector x0 = floats(a, i);
            FloatVector x1 = floats(a, i + W);
            FloatVector x2 = floats(a, i + 2 * W);
            FloatVector x3 = floats(a, i + 3 * W);
            FloatVector t0 = s0.add(x0);
            FloatVector t1 = s1.add(x1);
            FloatVector t2 = s2.add(x2);
            FloatVector t3 = s3.add(x3);
            c0 = c0.add(neumaierError(s0, x0, t0));
            c1 = c1.add(neumaierError(s1, x1, t1));
            c2 = c2.add(neumaierError(s2, x2, t2));
            c3 = c3.add(neumaierError(s3, x3, t3));
            s0 = t0;
            s1 = t1;
            s2 = t2;
            s3 = t3;
        }
        doubles(s0).intoArray(sc, 0);
        doubles(s1).intoArray(sc, W);
        doubles(s2).intoArray(sc, 2 * W);
        doubles(s3).intoArray(sc, 3 * W);
        doubles(c0).intoArray(sc, LaneSums.LANES);
        doubles(c1).intoArray(sc, LaneSums.LANES + W);
        doubles(c2).intoArray(sc, LaneSums.LANES + 2 * W);
        doubles(c3).intoArray(sc, LaneSums.LANES + 3 * W);
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

    /** The rounding error of t = s + x by branch-free TwoSum: equal to the reference's Neumaier term (see
     * PanamaFusedFp64). */
    private static FloatVector neumaierError(FloatVector s, FloatVector x, FloatVector t) {
        FloatVector bp = t.sub(s);
        return s.sub(t.sub(bp)).add(x.sub(bp));
    }

    private static boolean zeroOrNormal(float x) {
        float a = Math.abs(x);
        return a == 0.0f || (a >= Float.MIN_NORMAL && a <= Float.MAX_VALUE);
    }
}
