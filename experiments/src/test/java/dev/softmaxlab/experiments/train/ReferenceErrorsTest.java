package dev.softmaxlab.experiments.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.experiments.report.ReferenceError;
import org.junit.jupiter.api.Test;

class ReferenceErrorsTest {

    @Test
    void relativeL2ByHand() {
        // g - r = (0, 2, 0): ‖·‖ = 2; ‖r‖ = √5
        assertEquals(2 / Math.sqrt(5), ReferenceErrors.relativeL2(new double[] {1, 2, 2}, new double[] {1, 0, 2}, 3),
                1e-16);
        // huge values: naive squares would overflow to ∞/∞
        assertEquals(0.75, ReferenceErrors.relativeL2(new double[] {3e300, 4e300}, new double[] {0, 4e300}, 2),
                1e-16);
        // tiny values: naive squares would underflow to 0/0
        assertEquals(0.75, ReferenceErrors.relativeL2(new double[] {3e-300, 4e-300}, new double[] {0, 4e-300}, 2),
                1e-16);
        assertEquals(0.0, ReferenceErrors.relativeL2(new double[] {0, 0}, new double[] {0, 0}, 2));
        assertEquals(Double.POSITIVE_INFINITY, ReferenceErrors.relativeL2(new double[] {1, 0}, new double[] {0, 0}, 2));
        assertEquals(Double.NaN, ReferenceErrors.relativeL2(new double[] {Double.NaN, 0}, new double[] {1, 0}, 2));
        assertEquals(0.0, ReferenceErrors.relativeL2(new double[] {1, 2, 99}, new double[] {1, 2, -99}, 2),
                "only the first size entries count");
    }

    @Test
    void lossAndGradientErrorsByHand() {
        double ulp32 = Math.ulp(1.0f); // 2^-23
        ReferenceError e = ReferenceErrors.of(1 + ulp32, 1.0, new double[] {0.5, -0.5}, new double[] {0.25, -0.25}, 2,
                Precision.FP32);
        assertEquals(ulp32, e.lossAbs());
        assertEquals(ulp32, e.lossRel());
        assertEquals(1.0, e.lossUlps(), "one fp32 ulp at 1");
        assertEquals(0.25, e.gradientMaxAbs());
        assertEquals(1.0, e.gradientRel(), 1e-15, "‖(0.25, -0.25)‖ / ‖(0.25, -0.25)‖");
        assertEquals(1.0, e.gradientCosine(), 1e-15, "same direction");
        ReferenceError nan = ReferenceErrors.of(Double.NaN, 1.0, new double[] {Double.NaN}, new double[] {1}, 1,
                Precision.FP32);
        assertEquals(Double.NaN, nan.lossAbs());
        assertEquals(Double.NaN, nan.gradientCosine());
    }
}
