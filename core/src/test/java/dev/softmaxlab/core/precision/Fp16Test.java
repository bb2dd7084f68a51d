package dev.softmaxlab.core.precision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** fp16 rounding against hand-worked bit patterns and the format's boundaries. */
class Fp16Test {

    private static double pow2(int k) {
        return Math.scalb(1.0, k);
    }

    private static void assertBits(int expected, double x) {
        assertEquals(expected, Fp16.bits(x) & 0xFFFF,
                () -> "fp16 bits of " + x + ": expected 0x" + Integer.toHexString(expected)
                        + " got 0x" + Integer.toHexString(Fp16.bits(x) & 0xFFFF));
    }

    @Test
    void largestFiniteAndOverflowThreshold() {
        assertBits(0x7BFF, 65504.0);
        assertEquals(65504.0, Fp16.round(65504.0));
        assertEquals(65504.0, Fp16.round(65519.99));
        assertEquals(65504.0, Fp16.round(Math.nextDown(65520.0)));
        assertEquals(Double.POSITIVE_INFINITY, Fp16.round(65520.0)); // the midpoint to 2^16 ties to the even 2^16 = ∞
        assertBits(0x7C00, 65520.0);
        assertEquals(Double.NEGATIVE_INFINITY, Fp16.round(-65520.0));
        assertBits(0xFBFF, -65519.99);
        assertEquals(65504.0, Precision.FP16.maxFinite());
    }

    @Test
    void subnormals() {
        assertBits(0x0001, pow2(-24));
        assertEquals(pow2(-24), Precision.FP16.minSubnormal());
        assertEquals(pow2(-14), Precision.FP16.minNormal());
        assertBits(0x0400, pow2(-14));
        assertBits(0x03FF, pow2(-14) - pow2(-24));
        assertEquals(0.0, Fp16.round(pow2(-25))); // tie between 0 and 2^-24: 0 is even
        assertEquals(pow2(-24), Fp16.round(pow2(-25) * (1 + pow2(-20))));
        assertEquals(pow2(-23), Fp16.round(3 * pow2(-25))); // tie between 2^-24 (odd) and 2^-23 (even)
        assertEquals(-0.0, Fp16.round(-pow2(-26)));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(Fp16.round(-pow2(-26))));
        assertTrue(Precision.FP16.isSubnormal(pow2(-15)));
        assertTrue(!Precision.FP16.isSubnormal(pow2(-14)));
        assertTrue(!Precision.FP16.isSubnormal(0.0));
    }

    @Test
    void tiesToEvenInTheNormalRange() {
        assertEquals(1.0, Fp16.round(1 + pow2(-11)));
        assertEquals(1 + pow2(-9), Fp16.round(1 + 3 * pow2(-11)));
        assertEquals(1 + pow2(-10), Fp16.round(1 + pow2(-11) + pow2(-40))); // just above the tie rounds up
        assertBits(0x3C00, 1.0);
        assertBits(0x3C01, 1 + pow2(-10));
        assertBits(0xC000, -2.0);
        assertBits(0x3555, 1.0 / 3.0); // 0.333251953125
        assertEquals(0.333251953125, Fp16.round(1.0 / 3.0));
    }

    @Test
    void signedZeroAndNaN() {
        assertBits(0x0000, 0.0);
        assertBits(0x8000, -0.0);
        assertTrue(Double.isNaN(Fp16.round(Double.NaN)));
        assertBits(0x7E00, Double.NaN);
        assertEquals(Double.POSITIVE_INFINITY, Fp16.round(Double.POSITIVE_INFINITY));
        assertTrue(Double.isNaN(Fp16.fromBits((short) 0x7E00)));
    }

    @Test
    void fromBitsInvertsBitsOnEveryPattern() {
        for (int b = 0; b < 0x10000; b++) {
            double v = Fp16.fromBits((short) b);
            if (Double.isNaN(v)) {
                assertEquals(0x7C00, b & 0x7C00, "only all-ones exponents are NaN");
                continue;
            }
            assertEquals(v, Fp16.round(v), "every fp16 value rounds to itself");
            assertEquals(b, Fp16.bits(v) & 0xFFFF);
        }
    }

    @Test
    void ulpAcrossBinades() {
        assertEquals(pow2(-10), Precision.FP16.ulp(1.0));
        assertEquals(32.0, Precision.FP16.ulp(65504.0));
        assertEquals(pow2(-24), Precision.FP16.ulp(pow2(-20)));
        assertEquals(pow2(-24), Precision.FP16.ulp(0.0));
    }
}
