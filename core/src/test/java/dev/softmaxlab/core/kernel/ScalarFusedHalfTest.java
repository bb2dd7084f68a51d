package dev.softmaxlab.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.precision.Precision;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The half twin rounds on the bits. Whenever that gives a normal number of the format it must be the format's own
 * rounding ({@link Precision#round}): the row's checks accept exactly those. Anything else is refused by the checks
 * and recomputed by the reference, so it only has to fall outside [smallest normal, largest finite]; that happens
 * also for a few values just below the smallest normal that the format rounds up to it (a refusal the reference
 * would not need, which costs time only).
 */
class ScalarFusedHalfTest {

    @Test
    void roundingOnTheBitsIsTheFormatsRoundingWheneverItIsNormal() {
        SplittableRandom r = new SplittableRandom(11);
        for (ScalarFusedHalf k : new ScalarFusedHalf[] {ScalarFusedHalf.BF16, ScalarFusedHalf.FP16}) {
            Precision f = k == ScalarFusedHalf.BF16 ? Precision.BF16 : Precision.FP16;
            double lo = f.minNormal();
            double hi = f.maxFinite();
            int normals = 0;
            for (int i = 0; i < 400_000; i++) {
                double x = switch (r.nextInt(5)) {
                    case 0 -> lo * (0.5 + r.nextDouble()); // around the smallest normal
                    case 1 -> hi * (0.99 + 0.02 * r.nextDouble()); // around the largest finite
                    case 2 -> f.round(r.nextDouble() * 8) + Math.ulp(f.round(4.0)) * (r.nextInt(5) - 2) / 4.0;
                    case 3 -> Math.scalb(1.0 + r.nextDouble(), r.nextInt(-160, 140)); // every exponent
                    default -> r.nextGaussian();
                } * (r.nextBoolean() ? 1 : -1);
                double bits = k.roundOnBits(x);
                double ref = f.round(x);
                boolean bitsNormal = Math.abs(bits) >= lo && Math.abs(bits) <= hi;
                if (bitsNormal) {
                    normals++;
                    assertEquals(Double.doubleToRawLongBits(ref), Double.doubleToRawLongBits(bits),
                            f + " " + x + " (" + Double.toHexString(x) + ")");
                }
            }
            assertTrue(normals > 200_000, "the cases are mostly normal: " + normals);
            assertEquals(0L, Double.doubleToRawLongBits(k.roundOnBits(0.0)));
            assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(k.roundOnBits(-0.0)));
        }
    }
}
