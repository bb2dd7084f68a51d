package dev.softmaxlab.core.precision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** bf16 rounding against hand-worked bit patterns and the format's boundaries. */
class Bf16Test {

    private static double pow2(int k) {
        return Math.scalb(1.0, k);
    }

    private static void assertBits(int expected, double x) {
        assertEquals(expected, Bf16.bits(x) & 0xFFFF,
                () -> "bf16 bits of " + x + ": expected 0x" + Integer.toHexString(expected)
                        + " got 0x" + Integer.toHexString(Bf16.bits(x) & 0xFFFF));
    }

    @Test
    void largestFiniteAndOverflowThreshold() {
        double max = (2 - pow2(-7)) * pow2(127);
        assertEquals(max, Precision.BF16.maxFinite());
        assertEquals(3.3895e38, max, 0.0001e38);
        assertBits(0x7F7F, max);
        double threshold = (2 - pow2(-8)) * pow2(127); // midpoint between max and 2^128
        assertEquals(max, Bf16.round(Math.nextDown(threshold)));
        assertEquals(Double.POSITIVE_INFINITY, Bf16.round(threshold));
        assertBits(0x7F80, threshold);
        assertEquals(Double.NEGATIVE_INFINITY, Bf16.round(-threshold));
        assertEquals(Double.POSITIVE_INFINITY, Bf16.round(1e300)); // far beyond: fp32 has no such value either
    }

    @Test
    void subnormals() {
        assertEquals(pow2(-133), Precision.BF16.minSubnormal());
        assertBits(0x0001, pow2(-133));
        assertEquals(pow2(-126), Precision.BF16.minNormal());
        assertBits(0x0080, pow2(-126));
        assertEquals(0.0, Bf16.round(pow2(-134))); // tie with 0
        assertEquals(pow2(-133), Bf16.round(pow2(-134) * (1 + pow2(-30))));
        assertEquals(pow2(-132), Bf16.round(3 * pow2(-134)));
        assertTrue(Precision.BF16.isSubnormal(pow2(-130)));
    }

    @Test
    void tiesToEven() {
        assertEquals(1.0, Bf16.round(1 + pow2(-8)));
        assertEquals(1 + pow2(-6), Bf16.round(1 + 3 * pow2(-8)));
        assertEquals(-1.0, Bf16.round(-(1 + pow2(-8))));
        assertBits(0x3F80, 1.0);
        assertBits(0xBF81, -(1 + pow2(-7)));
        assertBits(0x4049, Math.PI); // 3.140625
        assertEquals(3.140625, Bf16.round(Math.PI));
    }

    @Test
    void signedZeroAndNaN() {
        assertBits(0x8000, -0.0);
        assertBits(0x0000, 0.0);
        assertTrue(Double.isNaN(Bf16.round(Double.NaN)));
        assertBits(0x7FC0, Double.NaN);
    }

    @Test
    void fromBitsInvertsBitsOnEveryPattern() {
        for (int b = 0; b < 0x10000; b++) {
            double v = Bf16.fromBits((short) b);
            if (Double.isNaN(v)) {
                continue;
            }
            assertEquals(v, Bf16.round(v));
            assertEquals(b, Bf16.bits(v) & 0xFFFF);
        }
    }
}
