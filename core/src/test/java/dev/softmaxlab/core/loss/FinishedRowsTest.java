package dev.softmaxlab.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.numeric.NumericEvent;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fast kernels finish a row for the batch end (its gradient already divided by D): they must hand back a row
 * whose probabilities are all normal but whose divided gradient is not, so that the batch end's counted division
 * sees it. Here p_1 = exp(gap) / (1 + exp(gap)) is a normal number just above the smallest normal, and dividing it by
 * B = 8 (a power of two: the kernel multiplies) or B = 7 (it divides) makes it subnormal, and so does the label's
 * entry: two subnormal events per batch, counted by the batch end as the reference counts them.
 */
class FinishedRowsTest {

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (KernelVariant v : LossPaths.byId(FusedSoftmaxCrossEntropy.ID).variants()) {
            for (int rows : new int[] {7, 8}) {
                // exp(-707) ≈ 9.8e-308 ≥ 2^-1022 ≈ 2.2e-308; exp(-87) ≈ 1.6e-38 ≥ 2^-126 ≈ 1.2e-38
                b.add(Arguments.of(v, Precision.FP64, -707.0, rows));
                b.add(Arguments.of(v, Precision.FP32, -87.0, rows));
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} {1} B={3}")
    @MethodSource("cases")
    void aRowWhoseDividedGradientGoesSubnormalIsCountedByTheBatchEnd(KernelVariant variant, Precision precision,
            double gap, int rows) {
        int classes = 2;
        double[] z = new double[rows * classes];
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            z[i * classes] = 0.25 * i;
            z[i * classes + 1] = i == 3 ? 0.25 * i + gap : 0.0; // row 3: p_1 just above the smallest normal
        }
        LossInput in = new LossInput(z, rows, classes, new Targets.Sparse(labels));
        PrecisionSpec spec = PrecisionSpec.of(precision);
        LossPath fused = LossPaths.byId(FusedSoftmaxCrossEntropy.ID);
        LossResult reference = new LossResult();
        LossResult fast = new LossResult();
        fused.evaluate(in, LossOptions.DEFAULTS, spec, reference, KernelChoice.of(KernelVariant.REFERENCE));
        fused.evaluate(in, LossOptions.DEFAULTS, spec, fast, KernelChoice.of(variant));
        double p1 = reference.probabilities()[3 * classes + 1];
        assertTrue(p1 >= precision.minNormal() && p1 / rows < precision.minNormal(), "the case is what it claims");
        // two: grad_1 = p_1/B, and grad_0 = -(s'/s)/B with s' = e_1, the label being the argmax
        assertEquals(2, reference.events().count(NumericEvent.SUBNORMAL));
        assertEquals(2, fast.events().count(NumericEvent.SUBNORMAL));
        for (int k = 0; k < rows * classes; k++) {
            assertEquals(Double.doubleToRawLongBits(reference.gradient()[k]),
                    Double.doubleToRawLongBits(fast.gradient()[k]), "grad " + k);
        }
        assertEquals(Double.doubleToRawLongBits(reference.loss()), Double.doubleToRawLongBits(fast.loss()));
    }
}
