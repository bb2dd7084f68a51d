package dev.softmaxlab.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.softmaxlab.core.numeric.NumericEvent;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code clipped} event of {@code separate-clipped}, counted by hand on rows far from the clip's bounds (so the
 * count does not hang on a rounding), for every kernel variant and thread count: the fast kernels count it in their
 * own pass ({@code ClipCount}), and must agree with the reference and with this hand count.
 */
class ClippedCountTest {

    private static final int C = 501; // odd: not a multiple of any vector width, so the kernels' tails count too

    /**
     * Rows, with ε = 1e-3:
     * A: 250 logits log 4, 251 zeros: p = 4/1251 ≈ 3.2e-3 (inside) and 1/1251 ≈ 8.0e-4 (clipped): 251;
     * B: one logit 20, 500 zeros: p_0 ≈ 1 - 1.0e-6 > 1 - ε and p_j ≈ 2.1e-9 < ε: all 501 clipped;
     * C: all zeros: p = 1/501 ≈ 2.0e-3, inside: 0. Total 752, repeated over the batch.
     */
    private static LossInput input(int copies, boolean dense) {
        int rows = 3 * copies;
        double[] z = new double[rows * C];
        int[] labels = new int[rows];
        for (int k = 0; k < copies; k++) {
            int a = 3 * k;
            for (int j = 0; j < 250; j++) {
                z[a * C + j] = Math.log(4);
            }
            z[(a + 1) * C] = 20;
            labels[a] = 0;
            labels[a + 1] = 0;
            labels[a + 2] = 3;
        }
        if (!dense) {
            return new LossInput(z, rows, C, new Targets.Sparse(labels));
        }
        double[] t = new double[rows * C];
        for (int i = 0; i < rows; i++) {
            t[i * C + labels[i]] = 1.0;
        }
        return new LossInput(z, rows, C, new Targets.Dense(t));
    }

    @ParameterizedTest
    @CsvSource({"fp64, false", "fp32, false", "fp64, true", "fp32, true"})
    void everyVariantCountsTheClippedProbabilitiesByHand(String precision, boolean dense) {
        LossPath path = LossPaths.byId("separate-clipped");
        LossOptions options = LossOptions.DEFAULTS.withClipEpsilon(1e-3);
        PrecisionSpec spec = PrecisionSpec.of(Precision.fromId(precision));
        LossInput in = input(5, dense);
        for (KernelVariant variant : path.variants()) {
            for (int threads : new int[] {1, 2, 4}) {
                LossResult out = new LossResult();
                path.evaluate(in, options, spec, out, new KernelChoice(variant, threads));
                assertEquals(5 * 752, out.events().count(NumericEvent.CLIPPED),
                        precision + (dense ? " dense " : " sparse ") + variant + " threads " + threads);
            }
        }
    }
}
