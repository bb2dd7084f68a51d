package dev.softmaxlab.core.loss;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Each invalid input throws InvalidInputException with a one-line message naming the field and the value. */
class ValidationTest {

    private static void assertRejected(Executable e, String... mustContain) {
        InvalidInputException ex = assertThrows(InvalidInputException.class, e);
        String m = ex.getMessage();
        assertTrue(!m.contains("\n"), "one line: " + m);
        for (String s : mustContain) {
            assertTrue(m.contains(s), "message '" + m + "' should contain '" + s + "'");
        }
    }

    @Test
    void shapes() {
        assertRejected(() -> new LossInput(new double[0], 1, 0, new Targets.Sparse(new int[] {0})), "classes", "0");
        assertRejected(() -> new LossInput(new double[0], 0, 1, new Targets.Sparse(new int[0])), "rows", "0");
        assertRejected(() -> new LossInput(new double[5], 2, 3, new Targets.Sparse(new int[] {0, 0})),
                "logits", "5", "2 × 3");
    }

    private static void evaluate(LossInput in) {
        LossPaths.byId("fused").evaluate(in, LossOptions.DEFAULTS, PrecisionSpec.of(Precision.FP64), new LossResult());
    }

    @Test
    void sparseLabels() {
        // the range of a label depends on the ignore index, an option: it is checked when a path evaluates
        assertRejected(() -> evaluate(LossInput.ofLabel(new double[] {1, 2, 3}, 3)), "label 3", "row 0", "[0, 3)",
                "ignore index -100");
        assertRejected(() -> evaluate(LossInput.ofLabel(new double[] {1, 2, 3}, -1)), "label -1");
        assertRejected(() -> new LossInput(new double[4], 2, 2, new Targets.Sparse(new int[] {0})),
                "labels", "1", "2 rows");
    }

    @Test
    void denseTargets() {
        assertRejected(() -> LossInput.ofTarget(new double[] {1, 2}, new double[] {1.5, -0.5}), "-0.5", "row 0",
                "class 1");
        assertRejected(() -> LossInput.ofTarget(new double[] {1, 2}, new double[] {0.5, 0.4}), "row 0", "0.9",
                "sum to 1");
        assertRejected(() -> LossInput.ofTarget(new double[] {1, 2}, new double[] {Double.NaN, 1}), "NaN");
        assertRejected(() -> LossInput.ofTarget(new double[] {1, 2}, new double[] {1}), "target", "1 values");
        // within 1e-6 of 1 is accepted
        LossInput.ofTarget(new double[] {1, 2}, new double[] {0.5, 0.5000009});
    }

    @Test
    void options() {
        assertRejected(() -> LossOptions.DEFAULTS.withLabelSmoothing(1.0), "label smoothing", "1.0", "[0, 1)");
        assertRejected(() -> LossOptions.DEFAULTS.withLabelSmoothing(-0.1), "-0.1");
        assertRejected(() -> LossOptions.DEFAULTS.withLabelSmoothing(Double.NaN), "NaN");
        assertRejected(() -> LossOptions.DEFAULTS.withClipEpsilon(0.0), "clip epsilon", "0.0", "(0, 0.5)");
        assertRejected(() -> LossOptions.DEFAULTS.withClipEpsilon(0.5), "0.5");
    }

    @Test
    void ids() {
        assertRejected(() -> LossPaths.byId("fusd"), "fusd", "fused, separate, separate-naive, separate-clipped");
        assertRejected(() -> Precision.fromId("fp8"), "fp8", "fp64");
        assertRejected(() -> Reduction.fromId("avg"), "avg", "mean");
    }
}
