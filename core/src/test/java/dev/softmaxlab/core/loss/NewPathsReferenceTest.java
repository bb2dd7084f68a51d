package dev.softmaxlab.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * fused-chunked and fused-lowp-grad against the 60-digit reference of {@link HighPrecision}, in ulps, on the same
 * seeded rows as {@link FusedReferenceTest} (large magnitudes, large spreads, tiny losses): what each costs, and that a
 * wide carry costs nothing.
 */
class NewPathsReferenceTest {

    @ParameterizedTest(name = "{0} seed {1}")
    @CsvSource({"fp64, 1", "fp64, 2", "fp32, 1", "fp32, 2"})
    void chunkedWithACarryAsWideAsTheFormatIsAsPreciseAsFused(String precisionId, long seed) {
        // the carry rounds s' once per chunk; with the format's own precision that is ≤ (chunks)·u relative in s',
        // ≤ (chunks)·u absolute in the loss: within FusedReferenceTest's 4 ulps for the ≤ 6 chunks here
        Precision p = Precision.fromId(precisionId);
        SplittableRandom r = new SplittableRandom(seed);
        LossResult out = new LossResult();
        double worst = 0;
        for (int n = 0; n < 300; n++) {
            int classes = 2 + r.nextInt(12);
            double[] z = FusedReferenceTest.randomLogits(r, classes, p);
            int label = r.nextInt(classes);
            if (n % 3 == 0) {
                double m = Double.NEGATIVE_INFINITY;
                for (double v : z) {
                    m = Math.max(m, v);
                }
                z[label] = p.round(m + 15 + 25 * r.nextDouble()); // a tiny loss
            }
            LossOptions o = LossOptions.DEFAULTS.withChunkSize(1 + r.nextInt(3));
            LossPaths.byId("fused-chunked").evaluate(LossInput.ofLabel(z, label), o, PrecisionSpec.of(p), out);
            HighPrecision.Row ref = HighPrecision.crossEntropy(z, label, null);
            double ulps = HighPrecision.ulps(out.loss(), ref.loss(), p == Precision.FP32);
            worst = Math.max(worst, ulps);
            final double u = ulps;
            assertTrue(ulps <= FusedReferenceTest.MAX_ULPS, () -> p + " " + java.util.Arrays.toString(z) + " label "
                    + label + " chunks of " + o.chunkSize() + ": " + u + " ulps");
            for (int j = 0; j < classes; j++) {
                double g = HighPrecision.ulps(out.gradient()[j], ref.gradient()[j], p == Precision.FP32);
                final int jj = j;
                assertTrue(g <= FusedReferenceTest.MAX_ULPS, () -> p + " grad " + jj + ": " + g + " ulps");
            }
        }
        System.out.printf("fused-chunked %s seed %d, chunks of 1-3, carry = format: worst loss %.3f ulps%n", p, seed,
                worst);
    }

    @Test
    void theLabelsGradientInLowPrecisionAsTheLabelsProbabilityGoesToOne() {
        // Liger-Kernel #1329 reproduced on two classes, z = (ln(q/(1-q)), 0), y = 0, so p_y = q exactly in value:
        // grad_y = q - 1. fused-lowp-grad rounds q to the format first; fused forms -(s - e_y)/s. Relative errors of
        // grad_y against the exact -(1 - q)/(1 + ...) computed at 60 digits, printed as a table.
        double[] qs = {0.9, 0.99, 0.999, 0.9999, 0.99999};
        System.out.println("p_label  precision  fused rel.err  fused-lowp-grad rel.err");
        for (Precision p : new Precision[] {Precision.BF16, Precision.FP16, Precision.FP32}) {
            for (double q : qs) {
                double[] z = {p.round(Math.log(q / (1 - q))), 0};
                double exact = HighPrecision.crossEntropy(z, 0, null).gradient()[0].doubleValue();
                LossResult fused = new LossResult();
                LossResult lowp = new LossResult();
                LossPaths.byId("fused").evaluate(LossInput.ofLabel(z, 0), LossOptions.DEFAULTS, PrecisionSpec.of(p),
                        fused);
                LossPaths.byId("fused-lowp-grad").evaluate(LossInput.ofLabel(z, 0), LossOptions.DEFAULTS,
                        PrecisionSpec.of(p), lowp);
                double fusedErr = Math.abs((fused.gradient()[0] - exact) / exact);
                double lowpErr = Math.abs((lowp.gradient()[0] - exact) / exact);
                System.out.printf("%-8s %-10s %-14.3g %.3g%n", q, p, fusedErr, lowpErr);
                // fused: one rounding of grad_y plus a few of its parts: within 2 units of the format's precision
                assertTrue(fusedErr <= 2 * Math.ulp(1.0f) * (1 << (24 - p.significandBits())),
                        () -> p + " q " + q + ": fused " + fusedErr);
                if ((p == Precision.BF16 && q >= 0.999) || (p == Precision.FP16 && q >= 0.9999)) {
                    // q within half a spacing below 1 (2^-9 in bf16, 2^-12 in fp16) rounds to 1: every digit lost
                    assertEquals(1.0, lowpErr, () -> p + " q " + q);
                }
            }
        }
        // the bf16 case of the issue: every digit gone
        LossResult lowp = new LossResult();
        LossPaths.byId("fused-lowp-grad").evaluate(LossInput.ofLabel(new double[] {Precision.BF16.round(
                Math.log(0.9999 / 0.0001)), 0}, 0), LossOptions.DEFAULTS, PrecisionSpec.of(Precision.BF16), lowp);
        assertEquals(0.0, lowp.gradient()[0]);
    }
}
