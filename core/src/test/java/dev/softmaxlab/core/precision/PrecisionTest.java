package dev.softmaxlab.core.precision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrecisionTest {

    @Test
    void limitsOfEveryFormat() {
        assertEquals(Double.MAX_VALUE, Precision.FP64.maxFinite());
        assertEquals((double) Float.MAX_VALUE, Precision.FP32.maxFinite());
        assertEquals(0x1.0p-126, Precision.FP32.minNormal());
        assertEquals(0x1.0p-149, Precision.FP32.minSubnormal());
        assertEquals(0x1.0p-1074, Precision.FP64.minSubnormal());
        assertEquals(0x1.0p-14, Precision.FP16.minNormal());
        assertEquals(0x1.0p-126, Precision.BF16.minNormal());
        assertTrue(Precision.FP32.isSubnormal(0x1.0p-130));
        assertTrue(!Precision.FP64.isSubnormal(0x1.0p-130));
    }

    @Test
    void ulpOfEveryFormatAtOne() {
        assertEquals(0x1.0p-52, Precision.FP64.ulp(1.0));
        assertEquals(0x1.0p-23, Precision.FP32.ulp(1.0));
        assertEquals(0x1.0p-7, Precision.BF16.ulp(1.0));
        assertEquals(0x1.0p-10, Precision.FP16.ulp(-1.5));
        assertTrue(Double.isNaN(Precision.FP16.ulp(Double.POSITIVE_INFINITY)));
    }

    @Test
    void idsRoundTrip() {
        for (Precision p : Precision.values()) {
            assertEquals(p, Precision.fromId(p.id()));
        }
        assertEquals(Precision.FP32, PrecisionSpec.of(Precision.FP16).accumulate());
        assertEquals(Precision.FP64, PrecisionSpec.of(Precision.FP64).accumulate());
    }
}
