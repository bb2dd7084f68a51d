package dev.softmaxlab.core.loss;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A result made without probabilities: the fused path then holds O(B + C) memory beyond the logits and the gradient
 * (its fast kernels turn e_j into the gradient in place), and the probabilities cannot be read by mistake.
 */
class WithoutProbabilitiesTest {

    @Test
    void fusedHoldsNoBatchSizedBufferBeyondTheGradient() {
        int rows = 64;
        int classes = 4096;
        double[] z = new double[rows * classes];
        int[] labels = new int[rows];
        SplittableRandom r = new SplittableRandom(3);
        for (int k = 0; k < z.length; k++) {
            z[k] = 6 * r.nextDouble() - 3;
        }
        for (int i = 0; i < rows; i++) {
            labels[i] = r.nextInt(classes);
        }
        z[5 * classes + 7] = Double.NaN; // a row that goes back to the reference
        LossInput in = new LossInput(z, rows, classes, new Targets.Sparse(labels));
        LossPath fused = LossPaths.byId(FusedSoftmaxCrossEntropy.ID);
        for (KernelVariant v : fused.variants()) {
            for (Precision p : new Precision[] {Precision.FP64, Precision.FP32, Precision.BF16}) {
                LossResult lean = LossResult.withoutProbabilities();
                fused.evaluate(in, LossOptions.DEFAULTS, PrecisionSpec.of(p), lean, KernelChoice.of(v));
                // row losses and flags (9 bytes a row); the reference's rows need four [C] scratch rows (logits,
                // targets, probabilities, gradient); the kernel's lane sums
                long bound = 9L * rows + 8L * 4 * classes + 8L * 32;
                assertTrue(lean.workingBytes() <= bound, v + " " + p + ": " + lean.workingBytes() + " > " + bound);
                assertTrue(lean.events().gradientNan() > 0, "the NaN row is counted");
                LossResult full = new LossResult();
                fused.evaluate(in, LossOptions.DEFAULTS, PrecisionSpec.of(p), full, KernelChoice.of(v));
                assertTrue(full.workingBytes() >= 8L * rows * classes, "the probabilities are held when kept");
            }
        }
    }

    @Test
    void theProbabilitiesOfAResultWithoutThemCannotBeRead() {
        LossResult lean = LossResult.withoutProbabilities();
        LossPaths.byId(FusedSoftmaxCrossEntropy.ID).evaluate(LossInput.ofLabel(new double[] {1, 2, 3}, 0),
                LossOptions.DEFAULTS, PrecisionSpec.of(Precision.FP64), lean);
        IllegalStateException e = assertThrows(IllegalStateException.class, lean::probabilities);
        assertTrue(e.getMessage().contains("without probabilities"), e.getMessage());
        assertTrue(new LossResult().keepsProbabilities());
    }
}
