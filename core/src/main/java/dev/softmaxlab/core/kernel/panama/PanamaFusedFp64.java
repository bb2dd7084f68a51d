package dev.softmaxlab.core.kernel.panama;

import dev.softmaxlab.core.kernel.ExactReciprocal;
import dev.softmaxlab.core.kernel.FusedSparseRowKernel;
import dev.softmaxlab.core.kernel.LaneSums;
import dev.softmaxlab.core.kernel.ScalarFusedFp64;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ScalarFusedFp64} with 4 lanes at a time: the same operations in the same order on each element, so the same
 * bits. Row of C classes at base, four passes:
 * <pre>
 *   1. m = max z, argmax (first index of m), clean = every |z| is 0 or in [MIN_NORMAL, MAX_VALUE]
 *   2. e_j = exp(z_j - m) (TwoSum-corrected, {@link VectorExp}), e_argmax = 1; min e ≥ MIN_NORMAL
 *   3. s' = Σ_{j≠argmax} e_j in the reference's 16 interleaved Neumaier lanes (4 vectors of 4 lanes)
 *   4. p_j = e_j / s, grad_j = p_j / D, grad_y = -(rest_y / s) / D; min p and min grad ≥ MIN_NORMAL
 * </pre>
 * D is the batch end's divisor of the gradient (1 when it does not divide): folding it into the last pass saves
 * the batch end a pass over the gradient. Without probabilities (p null) e_j is kept in the gradient's row.
 * Cleanliness is judged from running minima and maxima (no per-element branch); a row that fails any check is handed
 * back (NaN) for the instrumented reference.
 */
final class PanamaFusedFp64 implements FusedSparseRowKernel {

    static final PanamaFusedFp64 INSTANCE = new PanamaFusedFp64();

    private static final VectorSpecies<Double> S = VectorExp.S;
    private static final VectorSpecies<Long> L = LongVector.SPECIES_256;
    private static final int W = 4;
    /** (bits(MIN_NORMAL) - 1) >>> 1: |z| is subnormal exactly when (bits(|z|) - 1) >>> 1 is below it. */
    private static final long SUBNORMAL_KEY = (Double.doubleToRawLongBits(Double.MIN_NORMAL) - 1) >>> 1;
    /** bits(-2^-28) as a signed long: d in [-0.0, -2^-28) has smaller bits; +0 and every d ≤ -2^-28 do not. */
    private static final long TINY_BITS = Double.doubleToRawLongBits(-0x1p-28);

    private PanamaFusedFp64() {
    }

    /*
     * Each vector loop is a method of its own, called with arrays and returning scalars: C2 stops inlining once a
     * method's graph is large (the Vector API's methods expand to many nodes before they become vector instructions),
     * and a vector passed across a call that was not inlined, or kept in a loop around one, is boxed on every
     * iteration. One loop per method keeps each graph small; no vector crosses a method boundary except into
     * VectorExp.expNonPositive, which is one flat method.
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
        double[] e = p != null ? p : grad; // e_j = exp(z_j - m) is kept here until the last pass
        // 1-3. m, argmax, e_j and s'
        double sPrime = expsAndSum(logits, base, classes, e, scratch);
        if (sPrime != sPrime) {
            return Double.NaN;
        }
        if (sPrime < 0.0) {
            // a spread of more than 708 between the logits: exp(z_j - m) nears the subnormals (rare; scalar)
            return ScalarFusedFp64.INSTANCE.finishedSparseRow(logits, base, classes, label, p, grad, divisor,
                    scratch);
        }
        double m = scratch[0];
        int argmax = (int) scratch[1];
        int end = base + classes;
        int vecEnd = base + S.loopBound(classes);
        double s = 1.0 + sPrime;
        double logS = StrictMath.log1p(sPrime);
        double dy = m - logits[base + label];
        double loss = dy + logS;
        boolean clean = zeroOrNormal(sPrime) && zeroOrNormal(logS) && zeroOrNormal(dy) && zeroOrNormal(loss);
        double restY = base + label == argmax ? sPrime : s - e[base + label];
        // 4. p = e / s, grad = p / D (times 1/D when that is exact: the same bits)
        double inverse = ExactReciprocal.of(divisor);
        boolean multiply = inverse == inverse;
        double minPG = p == null ? divideInPlace(grad, base, vecEnd, s, multiply ? inverse : divisor, multiply)
                : divide(p, grad, base, vecEnd, s, multiply ? inverse : divisor, multiply);
        for (int j = vecEnd; j < end; j++) {
            double pj = e[j] / s;
            if (p != null) {
                p[j] = pj;
            }
            double g = multiply ? pj * inverse : pj / divisor;
            grad[j] = g;
            minPG = Math.min(minPG, g);
        }
        double gy = restY / s;
        double gLabel = 0.0 - gy;
        gLabel = multiply ? gLabel * inverse : gLabel / divisor;
        grad[base + label] = gLabel;
        if (!clean || !(minPG >= Double.MIN_NORMAL) || !zeroOrNormal(gy) || !zeroOrNormal(gLabel)) {
            return Double.NaN;
        }
        return loss;
    }

    /**
     * Passes 1 to 3 of a row at base, shared with {@link PanamaFusedDenseFp64}: m = max z and its first index a,
     * e_j = exp(z_j - m) written to e (e_a = 1), and s' = Σ_{j≠a} e_j in the reference's lanes.
     *
     * @param e  [B, C] where e's row is written (Modified)
     * @param sc [32] working memory; on success sc[0] = m and sc[1] = a (the absolute index base + j) (Modified)
     * @return s' ≥ 0; NaN when the row is not clean (a logit or an e_j the reference would count); -1 when the spread
     *         of the logits exceeds what the vector exp covers and the row must go to the scalar twin
     */
    static double expsAndSum(double[] logits, int base, int classes, double[] e, double[] sc) {
        int end = base + classes;
        int vecEnd = base + S.loopBound(classes);
        // 1. m = max z; min z in sc[0]; NaN when a logit is subnormal or not finite
        double m = maxIfClean(logits, base, vecEnd, end, sc);
        double min = sc[0];
        if (m != m) {
            return Double.NaN;
        }
        int argmax = base;
        while (logits[argmax] != m) {
            argmax++;
        }
        m = logits[argmax]; // the reference's m: the first maximum, with its own sign of zero
        if (!(min - m >= VectorExp.NON_POSITIVE_LOW)) {
            return -1.0;
        }
        // 2. e_j = exp(z_j - m), TwoSum-corrected
        double minE = shiftedExps(logits, base, vecEnd, m, e, sc);
        for (int j = vecEnd; j < end; j++) {
            double ej = ScalarFusedFp64.shiftedExp(logits[j], m);
            e[j] = ej;
            minE = Math.min(minE, ej);
        }
        if (!(minE >= Double.MIN_NORMAL)) { // e at argmax is exp(0) = 1 and cannot fail this
            return Double.NaN;
        }
        // 3. s' in the reference's lanes; the argmax term is left out by adding +0 in its place
        e[argmax] = 0.0;
        double sPrime = laneSum(e, base, end, sc);
        e[argmax] = 1.0;
        sc[0] = m;
        sc[1] = argmax;
        return sPrime;
    }

    /**
     * Pass 1: max z over logits[base..end), or NaN when some logit is subnormal, infinite or NaN; the minimum is left
     * in sc[0]. NaN spreads through max and min and fails the finiteness check. A subnormal is found from the bits of
     * |z|: (bits - 1) >>> 1 is below SUBNORMAL_KEY exactly for the subnormals (zero wraps around to the top).
     *
     * @param sc [4] working memory (Modified)
     */
    static double maxIfClean(double[] logits, int base, int vecEnd, int end, double[] sc) {
        DoubleVector vMax = DoubleVector.broadcast(S, Double.NEGATIVE_INFINITY);
        DoubleVector vMin = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        LongVector vKey = LongVector.broadcast(L, Long.MAX_VALUE);
        // two sets of running extremes, merged after the loop: Java's max and min take several instructions each on
        // AVX2 (NaN and signed zeros), and one chain per set would bound the loop by their latency. The merge gives the
        // same values in any order (max(-0, +0) = +0 and NaN wins either way)
        DoubleVector vMax2 = vMax;
        DoubleVector vMin2 = vMin;
        LongVector vKey2 = vKey;
        int pairEnd = base + (vecEnd - base) / (2 * W) * (2 * W);
        int j = base;
        for (; j < pairEnd; j += 2 * W) {
            DoubleVector z = DoubleVector.fromArray(S, logits, j);
            DoubleVector z2 = DoubleVector.fromArray(S, logits, j + W);
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
            DoubleVector z = DoubleVector.fromArray(S, logits, j);
            vMax = vMax.max(z);
            vMin = vMin.min(z);
            LongVector bits = (LongVector) z.abs().convert(VectorOperators.REINTERPRET_D2L, 0);
            vKey = vKey.min(bits.sub(1L).lanewise(VectorOperators.LSHR, 1));
        }
        vMax = vMax.max(vMax2);
        vMin = vMin.min(vMin2);
        vKey = vKey.min(vKey2);
        double m = vMax.reduceLanes(VectorOperators.MAX);
        double min = vMin.reduceLanes(VectorOperators.MIN);
        // no reduceLanes(MIN) on longs: AVX2 has no long minimum reduction, and C2's fallback boxes the vector
        ((DoubleVector) vKey.convert(VectorOperators.REINTERPRET_L2D, 0)).intoArray(sc, 0);
        long key = Long.MAX_VALUE;
        for (int k = 0; k < W; k++) {
            key = Math.min(key, Double.doubleToRawLongBits(sc[k]));
        }
        for (j = vecEnd; j < end; j++) {
            double z = logits[j];
            m = Math.max(m, z);
            min = Math.min(min, z);
            key = Math.min(key, (Double.doubleToRawLongBits(Math.abs(z)) - 1) >>> 1);
        }
        sc[0] = min;
        if (!(m <= Double.MAX_VALUE && min >= -Double.MAX_VALUE) || key < SUBNORMAL_KEY) {
            return Double.NaN;
        }
        return m;
    }

    /**
     * Pass 2 on [base, vecEnd): p_j = exp(d) + exp(d)·δ, d = z_j - m, δ its rounding error (TwoSum). A d in
     * (-2^-28, 0) (a near-tie with the max) is outside the vector formula: such lanes are found from the bits of d (as
     * signed longs they are the smallest) and recomputed with StrictMath after the loop. Returns the minimum of those
     * recomputed p_j only (MAX_VALUE when there are none): every lane the formula computes is normal, since the caller
     * admits only rows with every d ≥ -708 (NON_POSITIVE_LOW), exp(-708) ≈ 3.3e-308 is above MIN_NORMAL, and |δ| is
     * below 2^-43 there. Not keeping a running minimum in the loop saves a quarter of its time (Java's min is several
     * instructions on AVX2).
     *
     * @param sc [4] working memory (Modified)
     */
    private static double shiftedExps(double[] logits, int base, int vecEnd, double m, double[] p, double[] sc) {
        DoubleVector vm = DoubleVector.broadcast(S, m);
        LongVector vTiny = LongVector.broadcast(L, Long.MAX_VALUE);
        for (int j = base; j < vecEnd; j += W) {
            DoubleVector a = DoubleVector.fromArray(S, logits, j);
            DoubleVector d = a.sub(vm);
            DoubleVector bb = d.sub(a);
            DoubleVector delta = a.sub(d.sub(bb)).add(vm.neg().sub(bb));
            DoubleVector ed = VectorExp.expNonPositive(d);
            DoubleVector e = ed.add(ed.mul(delta));
            e.intoArray(p, j);
            vTiny = vTiny.min((LongVector) d.convert(VectorOperators.REINTERPRET_D2L, 0));
        }
        double minE = Double.MAX_VALUE;
        // the lanes' minimum read through memory (as raw bits, never computed on as doubles): see maxIfClean
        ((DoubleVector) vTiny.convert(VectorOperators.REINTERPRET_L2D, 0)).intoArray(sc, 0);
        long tiny = Long.MAX_VALUE;
        for (int k = 0; k < W; k++) {
            tiny = Math.min(tiny, Double.doubleToRawLongBits(sc[k]));
        }
        if (tiny < TINY_BITS) {
            for (int k = base; k < vecEnd; k++) {
                double d = logits[k] - m;
                if (d > -0x1p-28 && d != 0.0 || Double.doubleToRawLongBits(d) == Long.MIN_VALUE) {
                    p[k] = ScalarFusedFp64.shiftedExp(logits[k], m);
                    minE = Math.min(minE, p[k]);
                }
            }
        }
        return minE;
    }

    /**
     * Pass 4 on [base, vecEnd), probabilities kept: p_j = e_j / s, grad_j = p_j / D, or p_j · (1/D) when multiply
     * (then scale is 1/D, else D); returns the minimum of every grad_j (for D ≥ 1 a normal grad_j has a normal p_j).
     */
    private static double divide(double[] p, double[] grad, int base, int vecEnd, double s, double scale,
            boolean multiply) {
        DoubleVector vs = DoubleVector.broadcast(S, s);
        DoubleVector vScale = DoubleVector.broadcast(S, scale);
        DoubleVector vMin = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        if (multiply) {
            for (int j = base; j < vecEnd; j += W) {
                DoubleVector pj = DoubleVector.fromArray(S, p, j).div(vs);
                pj.intoArray(p, j);
                DoubleVector g = pj.mul(vScale);
                g.intoArray(grad, j);
                vMin = vMin.min(g);
            }
        } else {
            for (int j = base; j < vecEnd; j += W) {
                DoubleVector pj = DoubleVector.fromArray(S, p, j).div(vs);
                pj.intoArray(p, j);
                DoubleVector g = pj.div(vScale);
                g.intoArray(grad, j);
                vMin = vMin.min(g);
            }
        }
        return vMin.reduceLanes(VectorOperators.MIN);
    }

    /**
     * Pass 4 on [base, vecEnd), in place, probabilities not kept: grad holds e_j and becomes (e_j / s) / D (or times
     * 1/D, as in {@link #divide}); returns the minimum of every grad_j.
     */
    private static double divideInPlace(double[] grad, int base, int vecEnd, double s, double scale,
            boolean multiply) {
        DoubleVector vs = DoubleVector.broadcast(S, s);
        DoubleVector vScale = DoubleVector.broadcast(S, scale);
        DoubleVector vMin = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        if (multiply) {
            for (int j = base; j < vecEnd; j += W) {
                DoubleVector pj = DoubleVector.fromArray(S, grad, j).div(vs);
                DoubleVector g = pj.mul(vScale);
                g.intoArray(grad, j);
                vMin = vMin.min(g);
            }
        } else {
            for (int j = base; j < vecEnd; j += W) {
                DoubleVector pj = DoubleVector.fromArray(S, grad, j).div(vs);
                DoubleVector g = pj.div(vScale);
                g.intoArray(grad, j);
                vMin = vMin.min(g);
            }
        }
        return vMin.reduceLanes(VectorOperators.MIN);
    }

    /**
     * Σ a[from..to) in {@link LaneSums}' order: lane k of the 16 holds the elements at offsets ≡ k (mod 16); here
     * vector q holds lanes 4q..4q+3. The last partial block goes lane by lane, then the lanes merge in order.
     *
     * @param sc [32] working memory (Modified)
     */
    static double laneSum(double[] a, int from, int to, double[] sc) {
        DoubleVector s0 = DoubleVector.zero(S);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        DoubleVector c0 = s0;
        DoubleVector c1 = s0;
        DoubleVector c2 = s0;
        DoubleVector c3 = s0;
        int blockEnd = from + (to - from) / LaneSums.LANES * LaneSums.LANES;
        int i = from;
        for (; i < blockEnd; i += LaneSums.LANES) {
            DoubleVector x0 = DoubleVector.fromArray(S, a, i);
            DoubleVector x1 = DoubleVector.fromArray(S, a, i + W);
            DoubleVector x2 = DoubleVector.fromArray(S, a, i + 2 * W);
            DoubleVector x3 = DoubleVector.fromArray(S, a, i + 3 * W);
            DoubleVector t0 = s0.add(x0);
            DoubleVector t1 = s1.add(x1);
            DoubleVector t2 = s2.add(x2);
            DoubleVector t3 = s3.add(x3);
            // the rounding error of t = s + x by Knuth's branch-free TwoSum, written out (no vector crosses a call):
            // the error of a rounded sum is unique, so this equals the reference's Neumaier term bit for bit
            DoubleVector b0 = t0.sub(s0);
            c0 = c0.add(s0.sub(t0.sub(b0)).add(x0.sub(b0)));
            DoubleVector b1 = t1.sub(s1);
            c1 = c1.add(s1.sub(t1.sub(b1)).add(x1.sub(b1)));
            DoubleVector b2 = t2.sub(s2);
            c2 = c2.add(s2.sub(t2.sub(b2)).add(x2.sub(b2)));
            DoubleVector b3 = t3.sub(s3);
            c3 = c3.add(s3.sub(t3.sub(b3)).add(x3.sub(b3)));
            s0 = t0;
            s1 = t1;
            s2 = t2;
            s3 = t3;
        }
        s0.intoArray(sc, 0);
        s1.intoArray(sc, W);
        s2.intoArray(sc, 2 * W);
        s3.intoArray(sc, 3 * W);
        c0.intoArray(sc, LaneSums.LANES);
        c1.intoArray(sc, LaneSums.LANES + W);
        c2.intoArray(sc, LaneSums.LANES + 2 * W);
        c3.intoArray(sc, LaneSums.LANES + 3 * W);
        for (int k = 0; i < to; i++, k++) {
            double s = sc[k];
            double x = a[i];
            double t = s + x;
            sc[LaneSums.LANES + k] += Math.abs(s) >= Math.abs(x) ? (s - t) + x : (x - t) + s;
            sc[k] = t;
        }
        return LaneSums.merge(sc);
    }

    private static boolean zeroOrNormal(double x) {
        double a = Math.abs(x);
        return a == 0.0 || (a >= Double.MIN_NORMAL && a <= Double.MAX_VALUE);
    }
}
