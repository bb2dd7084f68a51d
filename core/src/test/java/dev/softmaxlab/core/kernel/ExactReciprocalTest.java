package dev.softmaxlab.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** When x·(1/D) may replace x/D: only for D a power of two, and then with the same bits for every x. */
class ExactReciprocalTest {

    @Test
    void powersOfTwoHaveAnExactReciprocalAndNothingElseDoes() {
        assertEquals(1.0, ExactReciprocal.of(1.0));
        assertEquals(0.25, ExactReciprocal.of(4.0));
        assertEquals(0x1p-12, ExactReciprocal.of(4096.0));
        assertEquals(2.0, ExactReciprocal.of(0.5));
        assertEquals(0x1p1022, ExactReciprocal.of(Double.MIN_NORMAL));
        for (double d : new double[] {3.0, 6.0, 1000.0, 0.0, -0.0, -4.0, Double.NaN, Double.POSITIVE_INFINITY,
            0x1p1023, Double.MIN_VALUE, 0x1p-1030}) {
            // 2^1023's reciprocal is subnormal, and a subnormal's overflows: neither is a normal double
            assertTrue(Double.isNaN(ExactReciprocal.of(d)), "no exact reciprocal for " + d);
        }
    }

    @Test
    void multiplyingByTheReciprocalGivesTheQuotientsBits() {
        SplittableRandom r = new SplittableRandom(5);
        for (int k = 0; k < 200_000; k++) {
            double d = Math.scalb(1.0, r.nextInt(0, 40));
            double x = switch (r.nextInt(4)) {
                case 0 -> Double.MIN_NORMAL * r.nextDouble() * 64; // quotients near and below the normals
                case 1 -> Double.MIN_VALUE * r.nextInt(1, 1 << 20);
                case 2 -> (float) r.nextDouble(); // fp32 values, divided in double as the batch end does
                default -> r.nextDouble() * Math.pow(10, r.nextInt(-300, 300));
            };
            double inverse = ExactReciprocal.of(d);
            assertEquals(Double.doubleToRawLongBits(x / d), Double.doubleToRawLongBits(x * inverse), x + " / " + d);
            assertEquals(Float.floatToRawIntBits((float) (x / d)), Float.floatToRawIntBits((float) (x * inverse)),
                    x + " / " + d + " in float");
        }
    }
}
