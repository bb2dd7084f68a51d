package dev.softmaxlab.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fp64 and fp32 fused path against the 60-digit reference of {@link HighPrecision}, on seeded random rows that
 * include large magnitudes, large spreads and tiny losses. The reference gets the logits (and targets) already rounded
 * to the format, so the error measured is the path's own, in ulps of the exactly rounded result.
 */
class FusedReferenceTest {

    /** Loss and every sparse-gradient entry within this many ulps of the exactly rounded value. */
    static final double MAX_ULPS = 4.0;
    /**
     * Dense gradient: |error| ≤ this · u · (p_j + t_j) + (smallest subnormal of the format), u the unit roundoff:
     * p_j - t_j itself may cancel, and a value below the format's range can only come out as 0 or a subnormal.
     */
    static final double DENSE_GRADIENT_BOUND = 8.0;

    private final FusedSoftmaxCrossEntropy fused = new FusedSoftmaxCrossEntropy();

    /** A seeded row of one of several kinds. */
    static double[] randomLogits(SplittableRandom r, int classes, Precision p) {
        double[] z = new double[classes];
        int kind = r.nextInt(5);
        double scale = switch (kind) {
            case 0 -> 1.0;
            case 1 -> 5.0;
            case 2 -> 30.0;
            case 3 -> 300.0;
            default -> 3.0;
        };
        double offset = kind == 4 ? (r.nextBoolean() ? 1e4 : -3e3) * r.nextDouble() : 0.0;
        for (int j = 0; j < classes; j++) {
            z[j] = p.round(offset + scale * (2 * r.nextDouble() - 1));
        }
        return z;
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @CsvSource({"fp64, 1", "fp64, 2", "fp64, 3", "fp32, 1", "fp32, 2", "fp32, 3"})
    void sparseLossAndGradientWithinUlpsOfReference(String precisionId, long seed) {
        Precision p = Precision.fromId(precisionId);
        boolean fp32 = p == Precision.FP32;
        SplittableRandom r = new SplittableRandom(seed);
        LossResult out = new LossResult();
        double worstLoss = 0;
        double worstGrad = 0;
        for (int n = 0; n < 300; n++) {
            int classes = 1 + r.nextInt(12);
            double[] z = randomLogits(r, classes, p);
            int label = r.nextInt(classes);
            if (n % 3 == 0) { // a tiny loss: the label is the argmax by a wide margin
                z[label] = p.round(max(z) + 15 + 25 * r.nextDouble());
            }
            fused.evaluate(LossInput.ofLabel(z, label), LossOptions.DEFAULTS, PrecisionSpec.of(p), out);
            HighPrecision.Row ref = HighPrecision.crossEntropy(z, label, null);
            double lossUlps = HighPrecision.ulps(out.loss(), ref.loss(), fp32);
            worstLoss = Math.max(worstLoss, lossUlps);
            assertTrue(lossUlps <= MAX_ULPS, () -> p + " loss of " + java.util.Arrays.toString(z) + " label " + label
                    + ": " + out.loss() + " vs " + ref.loss() + " = " + lossUlps + " ulps");
            for (int j = 0; j < classes; j++) {
                double g = out.gradient()[j];
                double gUlps = HighPrecision.ulps(g, ref.gradient()[j], fp32);
                worstGrad = Math.max(worstGrad, gUlps);
                final int jj = j;
                assertTrue(gUlps <= MAX_ULPS, () -> p + " grad[" + jj + "] of " + java.util.Arrays.toString(z)
                        + " label " + label + ": " + g + " vs " + ref.gradient()[jj] + " = " + gUlps + " ulps");
            }
        }
        System.out.printf("fused %s seed %d sparse: worst loss %.3f ulps, worst gradient %.3f ulps%n",
                p, seed, worstLoss, worstGrad);
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @CsvSource({"fp64, 4", "fp64, 5", "fp32, 4", "fp32, 5"})
    void denseAndSmoothedLossWithinUlpsOfReference(String precisionId, long seed) {
        Precision p = Precision.fromId(precisionId);
        boolean fp32 = p == Precision.FP32;
        double u = fp32 ? Math.scalb(1.0, -24) : Math.scalb(1.0, -53);
        SplittableRandom r = new SplittableRandom(seed);
        LossResult out = new LossResult();
        double worstLoss = 0;
        for (int n = 0; n < 200; n++) {
            int classes = 2 + r.nextInt(10);
            double[] z = randomLogits(r, classes, p);
            double[] t = new double[classes];
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                t[j] = r.nextInt(3) == 0 ? 0.0 : r.nextDouble();
                sum += t[j];
            }
            if (sum == 0) {
                t[0] = 1;
                sum = 1;
            }
            for (int j = 0; j < classes; j++) {
                t[j] /= sum;
            }
            double alpha = n % 2 == 0 ? 0.0 : 0.1;
            LossOptions options = LossOptions.DEFAULTS.withLabelSmoothing(alpha);
            fused.evaluate(LossInput.ofTarget(z, t), options, PrecisionSpec.of(p), out);
            double[] effective = new double[classes];
            for (int j = 0; j < classes; j++) { // the target the path sees: smoothed in double, rounded once
                effective[j] = p.round(alpha == 0 ? t[j] : (1 - alpha) * t[j] + alpha / classes);
            }
            HighPrecision.Row ref = HighPrecision.crossEntropy(z, -1, effective);
            double lossUlps = HighPrecision.ulps(out.loss(), ref.loss(), fp32);
            worstLoss = Math.max(worstLoss, lossUlps);
            assertTrue(lossUlps <= MAX_ULPS, () -> p + " dense loss " + out.loss() + " vs " + ref.loss()
                    + " = " + lossUlps + " ulps");
            for (int j = 0; j < classes; j++) {
                BigDecimal err = new BigDecimal(out.gradient()[j]).subtract(ref.gradient()[j]).abs();
                double bound = DENSE_GRADIENT_BOUND * u * (ref.probabilities()[j].doubleValue() + effective[j])
                        + p.minSubnormal();
                assertTrue(err.doubleValue() <= bound, p + " dense grad " + out.gradient()[j] + " vs "
                        + ref.gradient()[j] + " error " + err.doubleValue() + " > " + bound);
            }
        }
        System.out.printf("fused %s seed %d dense: worst loss %.3f ulps%n", p, seed, worstLoss);
    }

    @ParameterizedTest
    @CsvSource({"fp64", "fp32"})
    void tinyLossOfFortyZeroZero(String precisionId) {
        Precision p = Precision.fromId(precisionId);
        LossResult out = new LossResult();
        fused.evaluate(LossInput.ofLabel(new double[] {40, 0, 0}, 0), LossOptions.DEFAULTS, PrecisionSpec.of(p), out);
        HighPrecision.Row ref = HighPrecision.crossEntropy(new double[] {40, 0, 0}, 0, null);
        // log(1 + 2e^-40) = 8.4967085105831...e-18, by hand: 2·4.248354255291589e-18 minus a square term ~1e-35
        assertEquals(8.496708510583178e-18, ref.loss().doubleValue(), 1e-32);
        assertTrue(HighPrecision.ulps(out.loss(), ref.loss(), p == Precision.FP32) <= 1.0);
        assertTrue(HighPrecision.ulps(out.gradient()[0], ref.gradient()[0], p == Precision.FP32) <= 1.0);
        assertTrue(out.gradient()[0] < 0 && out.gradient()[0] > -1e-17, "grad_0 = -(p_1 + p_2), not p_0 - 1 = 0");
    }

    private static double max(double[] z) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            m = Math.max(m, v);
        }
        return m;
    }
}
