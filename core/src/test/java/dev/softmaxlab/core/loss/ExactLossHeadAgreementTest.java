package dev.softmaxlab.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.exact.ExactLossHead;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ExactLossHead} (double-double, core/exact) against this package's independent 60-digit BigDecimal loss head
 * ({@link HighPrecision#head}), which shares no code with it, on seeded rows with random options: the loss rounded
 * once to double is the 60-digit value rounded to double, and every gradient entry is too. It lives here, not in
 * core/exact's tests, because the 60-digit head is this package's test reference.
 */
class ExactLossHeadAgreementTest {

    @ParameterizedTest
    @ValueSource(longs = {21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32})
    void agreesWithSixtyDigits(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int c = 1 + rng.nextInt(12);
        double scale = rng.nextBoolean() ? 4 : 60;
        double[] z = new double[c];
        double[] w = new double[c];
        for (int j = 0; j < c; j++) {
            z[j] = rng.nextDouble(-scale, scale);
            w[j] = rng.nextDouble(0.25, 4);
        }
        boolean dense = rng.nextInt(3) == 0;
        double[] t = null;
        if (dense) {
            t = new double[c];
            double sum = 0;
            for (int j = 0; j < c; j++) {
                t[j] = rng.nextDouble(0.01, 1);
                sum += t[j];
            }
            for (int j = 0; j < c; j++) {
                t[j] /= sum;
            }
        }
        int[] label = dense ? null : new int[] {rng.nextInt(c)};
        double alpha = rng.nextBoolean() ? 0.1 : 0;
        double[] weights = rng.nextBoolean() ? w : null;
        double lambda = rng.nextBoolean() ? 1e-3 : 0;
        double cap = rng.nextBoolean() ? (rng.nextBoolean() ? 30 : 5) : 0;
        HighPrecision.Batch ref = HighPrecision.head(z, 1, c, label, t, alpha, weights, -100, lambda, cap, false,
                Reduction.SUM);
        ExactLossHead head = new ExactLossHead(alpha, weights, lambda, cap == 0 ? Double.NaN : cap);
        assertTrue(head.evaluate(z, 0, c, dense ? -1 : label[0], t, 0));
        String what = "seed " + seed + " (C " + c + ", α " + alpha + ", weights " + (weights != null) + ", λ "
                + lambda + ", cap " + cap + ", dense " + dense + ")";
        assertEquals(ref.loss().doubleValue(), head.loss().doubleValue(), what + ": loss");
        for (int j = 0; j < c; j++) {
            assertEquals(ref.gradient()[j].doubleValue(), head.gradient()[j], what + ": gradient " + j);
        }
    }
}
