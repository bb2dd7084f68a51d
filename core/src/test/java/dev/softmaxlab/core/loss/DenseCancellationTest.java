package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * fused on dense targets that sit on (or next to) the softmax itself, where g_j = p_j - t_j cancels, against the
 * 60-digit BigDecimal reference ({@link HighPrecision}) given the logits and targets as rounded to the format:
 * <ul>
 *   <li>every gradient entry with |g_j| ≥ 2^-40·(p_j + t_j) within 4 ulps of the correctly rounded value;</li>
 *   <li>below that (t_j equal to p_j to more than 40 bits), the double-double fallback's own limit: an absolute error
 *       of at most 2^-100·(p_j + t_j), which is under 1 ulp of g_j in fp32 and a few ulps in fp64.</li>
 * </ul>
 */
class DenseCancellationTest {

    static final double MAX_ULPS = 4.0;

    private final FusedSoftmaxCrossEntropy fused = new FusedSoftmaxCrossEntropy();

    @ParameterizedTest(name = "{0} seed {1}")
    @CsvSource({"fp64, 1", "fp64, 2", "fp32, 1", "fp32, 2"})
    void targetsNextToTheSoftmax(String precisionId, long seed) {
        Precision p = Precision.fromId(precisionId);
        boolean fp32 = p == Precision.FP32;
        SplittableRandom r = new SplittableRandom(seed);
        LossResult out = new LossResult();
        double worst = 0;
        int checkedInUlps = 0;
        for (int n = 0; n < 300; n++) {
            int c = 2 + r.nextInt(11);
            double[] z = new double[c];
            for (int j = 0; j < c; j++) {
                z[j] = p.round(r.nextGaussian() * (1 + r.nextInt(4)));
            }
            HighPrecision.Row soft = HighPrecision.crossEntropy(z, 0, null);
            double[] t = new double[c];
            for (int j = 0; j < c; j++) {
                double pj = soft.probabilities()[j].doubleValue();
                // on the softmax, a few ulps away, or a relative 1e-6 away
                t[j] = p.round(switch (r.nextInt(3)) {
                    case 0 -> pj;
                    case 1 -> pj + r.nextInt(-3, 4) * p.ulp(p.round(pj));
                    default -> pj * (1 + 2e-7 * r.nextGaussian());
                });
            }
            fused.evaluate(LossInput.ofTarget(z, t), LossOptions.DEFAULTS, PrecisionSpec.of(p), out);
            HighPrecision.Row ref = HighPrecision.crossEntropy(z, -1, t);
            for (int j = 0; j < c; j++) {
                int jj = j;
                double scale = ref.probabilities()[j].doubleValue() + t[j];
                if (Math.abs(ref.gradient()[j].doubleValue()) >= 0x1p-40 * scale) {
                    double ulps = HighPrecision.ulps(out.gradient()[j], ref.gradient()[j], fp32);
                    worst = Math.max(worst, ulps);
                    checkedInUlps++;
                    assertTrue(ulps <= MAX_ULPS, () -> p + " grad[" + jj + "] " + out.gradient()[jj] + " vs "
                            + ref.gradient()[jj] + " = " + ulps + " ulps");
                } else {
                    double err = new BigDecimal(out.gradient()[j]).subtract(ref.gradient()[j]).abs().doubleValue();
                    double bound = fp32 ? p.ulp(p.round(ref.gradient()[j].doubleValue())) : 0x1p-100 * scale;
                    assertTrue(err <= bound + p.minSubnormal(), () -> p + " grad[" + jj + "] " + out.gradient()[jj]
                            + " vs " + ref.gradient()[jj] + ": error " + err + " > " + bound);
                }
            }
        }
        assertTrue(checkedInUlps > 500, "enough entries checked in ulps: " + checkedInUlps);
        System.out.printf("fused %s seed %d dense on the softmax: worst gradient %.3f ulps over %d entries%n", p, seed,
                worst, checkedInUlps);
    }

    /**
     * Hand-worked: z = [0, 0] gives p = [1/2, 1/2]; with t = [1/2 + 2^-40, 1/2 - 2^-40] the gradient is exactly
     * [-2^-40, 2^-40], which the formula's rounding errors would swamp without the exact fallback.
     */
    @Test
    void halfAndHalf() {
        LossResult out = new LossResult();
        double d = 0x1p-40;
        fused.evaluate(LossInput.ofTarget(new double[] {0, 0}, new double[] {0.5 + d, 0.5 - d}), LossOptions.DEFAULTS,
                PrecisionSpec.of(Precision.FP64), out);
        assertEquals(-d, out.gradient()[0]);
        assertEquals(d, out.gradient()[1]);
        // three classes, z = [ln 2, 0, 0]: p = [1/2, 1/4, 1/4] up to the rounding of ln 2; t = p rounded
        double ln2 = Math.log(2);
        HighPrecision.Row soft = HighPrecision.crossEntropy(new double[] {ln2, 0, 0}, 0, null);
        double[] t = {soft.probabilities()[0].doubleValue(), soft.probabilities()[1].doubleValue(),
            soft.probabilities()[2].doubleValue()};
        fused.evaluate(LossInput.ofTarget(new double[] {ln2, 0, 0}, t), LossOptions.DEFAULTS,
                PrecisionSpec.of(Precision.FP64), out);
        HighPrecision.Row ref = HighPrecision.crossEntropy(new double[] {ln2, 0, 0}, -1, t);
        for (int j = 0; j < 3; j++) {
            assertEquals(ref.gradient()[j].doubleValue(), out.gradient()[j], Math.ulp(ref.gradient()[j].doubleValue()),
                    "grad " + j + " reference " + ref.gradient()[j]);
            assertTrue(new BigDecimal(out.gradient()[j]).subtract(ref.gradient()[j]).abs().doubleValue()
                    <= Math.ulp(ref.gradient()[j].doubleValue()));
        }
    }
}
