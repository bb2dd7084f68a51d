package dev.softmaxlab.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.softmaxlab.core.kernel.KernelProvider;
import dev.softmaxlab.core.kernel.LaneSums;
import dev.softmaxlab.core.kernel.SeparateForm;
import dev.softmaxlab.core.numeric.NumericEvent;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The separate paths' half-format kernels (bf16 and fp16 accumulated in fp32) against the reference on batches that
 * are mostly clean in that format: {@code KernelVariantTest}'s batches use logits up to ±50, where fp16's exp and
 * probabilities underflow in most rows, so nearly every row there is refused and re-run. Here the logits are small
 * enough (and C small enough for fp16, whose smallest normal is 6.1e-5) that most rows take the fast kernel, which
 * the test checks by calling the kernel directly, and every output must still have the reference's bits and events.
 */
class SeparateHalfFormatsTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"BF16, separate", "BF16, separate-naive", "BF16, separate-clipped", "FP16, separate",
        "FP16, separate-naive", "FP16, separate-clipped"})
    void halfFormatKernelsGiveTheReferenceBitsAndEvents(Precision format, String pathId) {
        LossPath path = LossPaths.byId(pathId);
        SeparateForm form = pathId.equals("separate") ? SeparateForm.SHIFTED
                : pathId.equals("separate-naive") ? SeparateForm.NAIVE : SeparateForm.CLIPPED;
        PrecisionSpec spec = PrecisionSpec.of(format);
        assertEquals(Precision.FP32, spec.accumulate());
        SplittableRandom r = new SplittableRandom(format.ordinal() * 10L + form.ordinal());
        LossResult reference = new LossResult();
        LossResult fast = new LossResult();
        int accepted = 0;
        int rowsSeen = 0;
        for (int trial = 0; trial < 60; trial++) {
            int rows = 1 + r.nextInt(6);
            int classes = format == Precision.FP16 ? 1 + r.nextInt(60) : 1 + r.nextInt(1500);
            double scale = format == Precision.FP16 ? 2 : 8;
            double[] z = new double[rows * classes];
            int[] labels = new int[rows];
            for (int k = 0; k < z.length; k++) {
                z[k] = scale * (2 * r.nextDouble() - 1);
            }
            if (r.nextInt(3) == 0) { // one row with something the reference counts (or, for 0.0, does not)
                z[r.nextInt(z.length)] = new double[] {Double.NaN, 1e-41, 12.0, -1e5, 0.0}[r.nextInt(5)];
            }
            for (int i = 0; i < rows; i++) {
                labels[i] = r.nextInt(classes);
                double loss = KernelProvider.scalar().separateNarrow(format, form).sparseRow(z, i * classes, classes,
                        labels[i], format.round(1e-3), format.round(1 - 1e-3), new double[z.length],
                        new double[z.length], new double[LaneSums.SCRATCH]);
                accepted += loss == loss ? 1 : 0;
            }
            rowsSeen += rows;
            LossInput in = new LossInput(z, rows, classes, new Targets.Sparse(labels));
            LossOptions options = LossOptions.DEFAULTS.withClipEpsilon(1e-3)
                    .withReduction(Reduction.values()[r.nextInt(Reduction.values().length)]);
            path.evaluate(in, options, spec, reference, KernelChoice.of(KernelVariant.REFERENCE));
            for (KernelVariant variant : path.variants()) {
                for (int threads : new int[] {1, 2}) {
                    path.evaluate(in, options, spec, fast, new KernelChoice(variant, threads));
                    String where = pathId + " " + format + " " + variant + " trial " + trial + " threads " + threads;
                    same(reference.loss(), fast.loss(), where + " loss");
                    for (int i = 0; i < rows; i++) {
                        same(reference.rowLosses()[i], fast.rowLosses()[i], where + " row " + i);
                    }
                    for (int k = 0; k < z.length; k++) {
                        same(reference.probabilities()[k], fast.probabilities()[k], where + " p[" + k + "]");
                        same(reference.gradient()[k], fast.gradient()[k], where + " grad[" + k + "]");
                    }
                    for (NumericEvent e : NumericEvent.values()) {
                        assertEquals(reference.events().count(e), fast.events().count(e), where + " " + e.id());
                    }
                    assertEquals(reference.events().firstNonFinite(), fast.events().firstNonFinite(), where);
                }
            }
        }
        assertTrue(accepted > rowsSeen / 2, "the kernel took only " + accepted + " of " + rowsSeen + " rows");
        assertTrue(accepted < rowsSeen, "some rows must need the reference");
    }

    private static void same(double expected, double actual, String what) {
        if (Double.doubleToRawLongBits(expected) != Double.doubleToRawLongBits(actual)) {
            fail(what + ": reference " + Double.toHexString(expected) + ", fast " + Double.toHexString(actual));
        }
    }
}
