package dev.softmaxlab.core.precision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link NarrowStrictMath} gives exactly StrictMath's result rounded to the format, on seeded inputs over the whole
 * range each format's exp and log see (overflow, underflow to subnormal and zero, non-finite), including inputs where
 * Math and StrictMath disagree in the last bit of the double; and its guard refuses doubles near a rounding midpoint.
 */
class NarrowStrictMathTest {

    private static void assertSameBits(double expected, double actual, String what) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                what + ": expected " + expected + ", got " + actual);
    }

    private static double expArgument(SplittableRandom r) {
        return switch (r.nextInt(6)) {
            case 0 -> r.nextDouble(-120, 100); // fp32/bf16: normal, subnormal, zero, overflow
            case 1 -> r.nextDouble(-20, 13); // fp16 range
            case 2 -> r.nextDouble(-1, 1);
            case 3 -> (float) r.nextDouble(-110, 90); // a difference of floats, as the paths compute
            case 4 -> r.nextDouble(-1e-6, 1e-6);
            default -> switch (r.nextInt(4)) {
                case 0 -> Double.NaN;
                case 1 -> Double.POSITIVE_INFINITY;
                case 2 -> Double.NEGATIVE_INFINITY;
                default -> r.nextDouble(-800, 800);
            };
        };
    }

    private static double logArgument(SplittableRandom r) {
        return switch (r.nextInt(6)) {
            case 0 -> r.nextDouble();
            case 1 -> 1 + r.nextDouble(-1e-3, 1e-3); // results near 0
            case 2 -> Double.longBitsToDouble(r.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL); // every exponent
            case 3 -> (float) r.nextDouble(0, 2);
            case 4 -> Double.longBitsToDouble(r.nextLong() & 0x000F_FFFF_FFFF_FFFFL); // subnormal, 0
            default -> switch (r.nextInt(4)) {
                case 0 -> Double.NaN;
                case 1 -> Double.POSITIVE_INFINITY;
                case 2 -> -r.nextDouble();
                default -> 0.0;
            };
        };
    }

    @ParameterizedTest
    @EnumSource(value = Precision.class, names = {"FP32", "BF16", "FP16"})
    void expIsStrictMathRounded(Precision p) {
        SplittableRandom r = new SplittableRandom(11 + p.ordinal());
        for (int i = 0; i < 1_000_000; i++) {
            double x = expArgument(r);
            assertSameBits(p.round(StrictMath.exp(x)), NarrowStrictMath.exp(x, p), "exp(" + x + ") in " + p);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Precision.class, names = {"FP32", "BF16", "FP16"})
    void logIsStrictMathRounded(Precision p) {
        SplittableRandom r = new SplittableRandom(21 + p.ordinal());
        for (int i = 0; i < 1_000_000; i++) {
            double x = logArgument(r);
            assertSameBits(p.round(StrictMath.log(x)), NarrowStrictMath.log(x, p), "log(" + x + ") in " + p);
        }
    }

    @Test
    void guardRefusesDoublesNearAMidpointAndOutsideTheNormalRange() {
        double one = 1.0;
        double fp32Midpoint = one + 0x1p-24; // halfway between 1 and the next float
        assertFalse(NarrowStrictMath.roundsLikeAnyNeighbour(fp32Midpoint, Precision.FP32));
        assertFalse(NarrowStrictMath.roundsLikeAnyNeighbour(Math.nextUp(fp32Midpoint), Precision.FP32));
        assertFalse(NarrowStrictMath.roundsLikeAnyNeighbour(fp32Midpoint + NarrowStrictMath.MARGIN * Math.ulp(one),
                Precision.FP32));
        assertTrue(NarrowStrictMath.roundsLikeAnyNeighbour(
                fp32Midpoint + (NarrowStrictMath.MARGIN + 1) * Math.ulp(one), Precision.FP32));
        assertTrue(NarrowStrictMath.roundsLikeAnyNeighbour(one, Precision.FP32));
        assertFalse(NarrowStrictMath.roundsLikeAnyNeighbour(one + 0x1p-8, Precision.BF16)); // bf16 midpoint (7 fraction bits)
        assertFalse(NarrowStrictMath.roundsLikeAnyNeighbour(one + 0x1p-11, Precision.FP16)); // fp16 midpoint (10 fraction bits)
        assertTrue(NarrowStrictMath.roundsLikeAnyNeighbour(one + 0x1p-9, Precision.BF16)); // on the bf16 grid
        assertTrue(NarrowStrictMath.roundsLikeAnyNeighbour(one + 0x1p-12, Precision.FP16)); // quarter ulp off
        assertFalse(NarrowStrictMath.roundsLikeAnyNeighbour(0x1p-127, Precision.FP32)); // float subnormal
        assertFalse(NarrowStrictMath.roundsLikeAnyNeighbour(0x1p-15, Precision.FP16)); // fp16 subnormal
        assertFalse(NarrowStrictMath.roundsLikeAnyNeighbour(0x1p16, Precision.FP16)); // fp16 overflow
        assertFalse(NarrowStrictMath.roundsLikeAnyNeighbour(0.0, Precision.FP32));
        assertFalse(NarrowStrictMath.roundsLikeAnyNeighbour(Double.NaN, Precision.FP32));
        assertFalse(NarrowStrictMath.roundsLikeAnyNeighbour(Double.POSITIVE_INFINITY, Precision.FP32));
        assertFalse(NarrowStrictMath.roundsLikeAnyNeighbour(1.5, Precision.FP64));
    }

    @Test
    void everyDoubleWithinTheMarginRoundsAlikeWhenTheGuardAccepts() {
        // the property the proof rests on, checked directly: neighbours of an accepted double round the same
        SplittableRandom r = new SplittableRandom(5);
        for (Precision p : new Precision[] {Precision.FP32, Precision.BF16, Precision.FP16}) {
            for (int i = 0; i < 100_000; i++) {
                double d = p == Precision.FP16 ? r.nextDouble(-70000, 70000) : r.nextDouble(-10, 10)
                        * Math.pow(2, r.nextInt(-125, 127));
                if (NarrowStrictMath.roundsLikeAnyNeighbour(d, p)) {
                    double below = d - 4 * Math.ulp(d);
                    double above = d + 4 * Math.ulp(d);
                    assertSameBits(p.round(d), p.round(below), p + " " + d + " vs below");
                    assertSameBits(p.round(d), p.round(above), p + " " + d + " vs above");
                }
            }
        }
    }
}
