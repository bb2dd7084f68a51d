package dev.softmaxlab.experiments.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class StandardizerTest {

    @Test
    void handComputedZScoresWithTrainStatisticsOnly() {
        // column 0: 1, 2, 6 -> mean 3, population variance (4 + 1 + 9)/3 = 14/3
        // column 1: constant 0.1, whose computed mean is 0.10000000000000002, not 0.1: it must still map to 0
        Dataset train = new Dataset("t", new double[] {1, 0.1, 2, 0.1, 6, 0.1}, new int[] {0, 1, 0}, 3, 2,
                List.of("a", "b"));
        Dataset test = new Dataset("t", new double[] {10, 5}, new int[] {1}, 1, 2, List.of("a", "b"));
        Standardizer z = Standardizer.fit(train);
        assertArrayEquals(new double[] {3, 0}, new double[] {z.mean()[0], z.std()[1]}, 1e-15);
        double s = Math.sqrt(14.0 / 3);
        assertArrayEquals(new double[] {-2 / s, 0, -1 / s, 0, 3 / s, 0}, z.apply(train).features(), 1e-15);
        assertArrayEquals(new double[] {7 / s, 0}, z.apply(test).features(), 1e-15);
        // The input is not modified.
        assertArrayEquals(new double[] {10, 5}, test.features(), 0.0);
    }

    @Test
    void hugeButFiniteFeaturesAreStandardizedNotZeroedOrTurnedNaN() {
        // column 0: ±1e300 -> mean 0, σ 1e300 (σ² overflows a double), z = ±1
        // column 1: 1.5e308, 1.7e308 (their sum overflows) -> mean 1.6e308, σ 1e307, z = ∓1
        // column 2: 1.7e308, then -1.7e308 three times -> mean -0.85e308, σ = 0.85e308·√3;
        //   x − μ = 2.55e308 overflows, yet z = 3/√3 = √3 for the first row and −1/√3 for the others
        double m = 1.7e308;
        Dataset train = new Dataset("t", new double[] {
            1e300, 1.5e308, m,
            -1e300, 1.7e308, -m,
            1e300, 1.5e308, -m,
            -1e300, 1.7e308, -m}, new int[] {0, 1, 0, 1}, 4, 3, List.of("a", "b"));
        Standardizer z = Standardizer.fit(train);
        double r3 = Math.sqrt(3);
        assertArrayEquals(new double[] {
            1, -1, r3,
            -1, 1, -1 / r3,
            1, -1, -1 / r3,
            -1, 1, -1 / r3}, z.apply(train).features(), 1e-12);
        assertArrayEquals(new double[] {0, 1.6e308, -0.85e308}, z.mean(), 1e293);
        assertArrayEquals(new double[] {1e300, 1e307, 0.85e308 * r3}, z.std(), 1e293);
    }
}
