package dev.softmaxlab.core.kernel.panama;

import static jdk.incubator.vector.VectorOperators.LSHL;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link StrictMath#exp} lane by lane, with the same bits. StrictMath.exp is fdlibm's e_exp.c, which uses only IEEE
 * additions, multiplications and one division; doing those operations in the same order on each lane gives the same
 * results. Its three range-reduction branches become one formula:
 * <pre>
 *   k = trunc(x/ln2 ± 1/2)            |x| ≥ 1.5 ln2    (fdlibm: (int)(invln2*x + half[sign]))
 *   k = ±1                             0.5 ln2 < |x| &lt; 1.5 ln2
 *   k = 0                              |x| ≤ 0.5 ln2
 *   hi = x - k·ln2HI,  lo = k·ln2LO,  r = hi - lo      (k = 0 gives hi = x, lo = 0, r = x exactly)
 *   c  = r - r²(P1 + r²(P2 + r²(P3 + r²(P4 + r²P5))))
 *   y  = 1 - ((lo - r·c/(2 - c)) - hi),  exp(x) = y·2^k (k added to y's exponent bits)
 * </pre>
 * For k = 0 fdlibm writes 1 - (r·c/(c - 2) - r), which is the same number: c - 2 = -(2 - c) exactly under
 * round-to-nearest, so the quotient only changes sign. k is found without a double-to-long conversion (slow in
 * JDK 17's Vector API): adding and subtracting 1.5·2^52 rounds to the nearest integer, one masked step turns that into
 * truncation, and the integer is then read from the low bits of k + 1.5·2^52.
 *
 * <p>Lanes outside the formula's range ({@link #special}: NaN, |x| ≥ 709.78, |x| &lt; 2^-28, and x &lt; -708 where
 * the result approaches the subnormals) are left to the caller, which computes them with StrictMath itself.
 */
final class VectorExp {

    static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;
    private static final DoubleVector ZERO = DoubleVector.zero(S);
    private static final DoubleVector ONE = DoubleVector.broadcast(S, 1.0);
    private static final DoubleVector MINUS_ONE = DoubleVector.broadcast(S, -1.0);
    private static final DoubleVector TWO = DoubleVector.broadcast(S, 2.0);
    private static final DoubleVector HALF = DoubleVector.broadcast(S, 0.5);
    private static final DoubleVector MINUS_HALF = DoubleVector.broadcast(S, -0.5);

    private static final double INVLN2 = 0x1.71547652b82fep0;
    private static final double LN2HI = 0x1.62e42feep-1;
    private static final double LN2LO = 0x1.a39ef35793c76p-33;
    private static final double P1 = 0x1.555555555553ep-3;
    private static final double P2 = -0x1.6c16c16bebd93p-9;
    private static final double P3 = 0x1.1566aaf25de2cp-14;
    private static final double P4 = -0x1.bbd41c5d26bf1p-20;
    private static final double P5 = 0x1.6376972bea4d0p-25;
    /** 1.5·2^52: x + SHIFTER - SHIFTER rounds |x| &lt; 2^51 to the nearest integer. */
    private static final double SHIFTER = 0x1.8p52;
    private static final long SHIFTER_BITS = Double.doubleToRawLongBits(SHIFTER);
    /** fdlibm's high-word thresholds as doubles: |x| above 0.5 ln2, below 1.5 ln2, from 709.78. */
    private static final double HALF_LN2_LIMIT = Double.longBitsToDouble(0x3fd62e43_00000000L);
    private static final double THREE_HALVES_LN2_LIMIT = Double.longBitsToDouble(0x3ff0a2b2_00000000L);
    private static final double OVERFLOW_LIMIT = Double.longBitsToDouble(0x40862e42_00000000L);
    private static final double TINY = 0x1p-28;
    /** Below this k would fall under -1021 and fdlibm would scale by 2^-1000 (subnormal results). */
    private static final double LOW_LIMIT = -708.0;

    private VectorExp() {
    }

    /** Lanes the vector formula does not cover; the caller computes them with {@link StrictMath#exp}. */
    static VectorMask<Double> special(DoubleVector x) {
        DoubleVector ax = x.abs();
        return ax.compare(VectorOperators.GE, OVERFLOW_LIMIT)
                .or(ax.compare(VectorOperators.LT, TINY))
                .or(x.compare(VectorOperators.LT, LOW_LIMIT))
                .or(x.test(VectorOperators.IS_NAN));
    }

    /*
     * exp is split in three methods of well under 325 bytes of bytecode each (C2's FreqInlineSize): a larger one is
     * not inlined into the kernel's loop, and then every vector crossing the call is boxed, which costs more than the
     * arithmetic.
     */

    /** exp of every lane not in {@link #special}(x), StrictMath's bits; the special lanes hold garbage. */
    static DoubleVector exp(DoubleVector x) {
        DoubleVector k = reductionMultiple(x);
        DoubleVector hi = x.sub(k.mul(LN2HI));
        DoubleVector lo = k.mul(LN2LO);
        return scale(primary(hi, lo), k);
    }

    /**
     * exp of lanes in [-708, 0], StrictMath's bits, for the shifted logits z_j - m of a softmax row, which are never
     * positive: with the sign known, k needs fewer operations (fewer operations also keep C2 inlining the whole
     * loop). Lanes in (-2^-28, 0) are {@link #tinyOrZero} and must be computed by the caller with StrictMath;
     * x = 0 itself gives exactly 1.
     */
    static DoubleVector expNonPositive(DoubleVector x) {
        // one flat method on purpose (primary and scale written out): the fused kernels' loops call it, and each
        // further call level is one more inlining decision C2 can refuse once the loop's graph is large, after which
        // every vector crossing the call is boxed
        DoubleVector v = x.mul(INVLN2).sub(0.5);
        DoubleVector k = v.add(SHIFTER).sub(SHIFTER); // nearest integer
        k = k.add(ONE, k.compare(VectorOperators.LT, v)); // truncation toward zero of a negative v
        // fdlibm's 0.5 ln2 < |x| < 1.5 ln2 branch (k = -1) is what the truncation gives there; below 0.5 ln2, k = 0
        k = k.blend(ZERO, x.compare(VectorOperators.GT, -HALF_LN2_LIMIT));
        DoubleVector hi = x.sub(k.mul(LN2HI));
        DoubleVector lo = k.mul(LN2LO);
        // primary(hi, lo)
        DoubleVector r = hi.sub(lo);
        DoubleVector t = r.mul(r);
        DoubleVector poly = t.mul(P5).add(P4);
        poly = t.mul(poly).add(P3);
        poly = t.mul(poly).add(P2);
        poly = t.mul(poly).add(P1);
        DoubleVector c = r.sub(t.mul(poly));
        DoubleVector y = ONE.sub(lo.sub(r.mul(c).div(TWO.sub(c))).sub(hi));
        // scale(y, k)
        LongVector kBits = ((LongVector) k.add(SHIFTER).convert(VectorOperators.REINTERPRET_D2L, 0))
                .sub(SHIFTER_BITS).lanewise(LSHL, 52);
        LongVector yBits = (LongVector) y.convert(VectorOperators.REINTERPRET_D2L, 0);
        return (DoubleVector) yBits.add(kBits).convert(VectorOperators.REINTERPRET_L2D, 0);
    }

    /** Lanes of a non-positive x that {@link #expNonPositive} leaves to the caller (and x = 0, which is exact). */
    static VectorMask<Double> tinyOrZero(DoubleVector x) {
        return x.compare(VectorOperators.GT, -TINY);
    }

    /** The lowest argument {@link #expNonPositive} takes. */
    static final double NON_POSITIVE_LOW = LOW_LIMIT;

    /** k of fdlibm's argument reduction, as an integral double. */
    private static DoubleVector reductionMultiple(DoubleVector x) {
        DoubleVector ax = x.abs();
        VectorMask<Double> negative = x.compare(VectorOperators.LT, 0.0);
        DoubleVector sign = ONE.blend(MINUS_ONE, negative);
        DoubleVector v = x.mul(INVLN2).add(HALF.blend(MINUS_HALF, negative));
        DoubleVector k = v.add(SHIFTER).sub(SHIFTER); // nearest integer
        // truncation toward zero, as fdlibm's (int) cast: one step back toward zero where rounding went away from it
        VectorMask<Double> away = k.abs().compare(VectorOperators.GT, v.abs());
        k = k.sub(sign, away);
        k = k.blend(sign, ax.compare(VectorOperators.LT, THREE_HALVES_LN2_LIMIT));
        return k.blend(ZERO, ax.compare(VectorOperators.LT, HALF_LN2_LIMIT));
    }

    /** y = exp(hi - lo) on the primary range, before the scaling by 2^k. */
    private static DoubleVector primary(DoubleVector hi, DoubleVector lo) {
        DoubleVector r = hi.sub(lo);
        DoubleVector t = r.mul(r);
        DoubleVector poly = t.mul(P5).add(P4);
        poly = t.mul(poly).add(P3);
        poly = t.mul(poly).add(P2);
        poly = t.mul(poly).add(P1);
        DoubleVector c = r.sub(t.mul(poly));
        return ONE.sub(lo.sub(r.mul(c).div(TWO.sub(c))).sub(hi));
    }

    /**
     * y·2^k, by adding k to y's exponent bits. The bits are read with the REINTERPRET conversions: JDK 17 does not
     * compile reinterpretAsLongs() or reinterpretShape() to vector code here, and falls back to a slow path.
     */
    private static DoubleVector scale(DoubleVector y, DoubleVector k) {
        LongVector kBits = ((LongVector) k.add(SHIFTER).convert(VectorOperators.REINTERPRET_D2L, 0))
                .sub(SHIFTER_BITS).lanewise(LSHL, 52);
        LongVector yBits = (LongVector) y.convert(VectorOperators.REINTERPRET_D2L, 0);
        return (DoubleVector) yBits.add(kBits).convert(VectorOperators.REINTERPRET_L2D, 0);
    }
}
