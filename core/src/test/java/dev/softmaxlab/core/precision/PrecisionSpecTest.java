package dev.softmaxlab.core.precision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.InvalidInputException;
import org.junit.jupiter.api.Test;

/** core/NUMERICS.md: a half format accumulates in fp32 by default, or in itself, or in fp64 — never the other half. */
class PrecisionSpecTest {

    @Test
    void defaultAccumulationIsTheFormatForFp64AndFp32AndFp32ForTheHalfFormats() {
        assertEquals(Precision.FP64, PrecisionSpec.of(Precision.FP64).accumulate());
        assertEquals(Precision.FP32, PrecisionSpec.of(Precision.FP32).accumulate());
        assertEquals(Precision.FP32, PrecisionSpec.of(Precision.BF16).accumulate());
        assertEquals(Precision.FP32, PrecisionSpec.of(Precision.FP16).accumulate());
    }

    @Test
    void aHalfFormatMayAccumulateInItselfOrFp64() {
        assertEquals(Precision.FP16, new PrecisionSpec(Precision.FP16, Precision.FP16).accumulate());
        assertEquals(Precision.BF16, new PrecisionSpec(Precision.BF16, Precision.BF16).accumulate());
        assertEquals(Precision.FP64, new PrecisionSpec(Precision.BF16, Precision.FP64).accumulate());
    }

    @Test
    void theOtherHalfFormatIsRefusedWithAMessageNamingBoth() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new PrecisionSpec(Precision.BF16, Precision.FP16));
        assertTrue(e.getMessage().startsWith("accumulate = fp16 cannot apply to bf16"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> new PrecisionSpec(Precision.FP16, Precision.BF16));
    }
}
