package dev.softmaxlab.experiments.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PathRunTest {

    @Test
    void accuracyCountsArgmaxHitsAndNaNRowsAsWrong() {
        double[] logits = {
            1, 3, 2,          // predicts 1
            5, 5, 0,          // tie: lowest index, 0
            Double.NaN, 9, 0, // no prediction
            0, Double.POSITIVE_INFINITY, 1, // predicts 1
        };
        int[] labels = {1, 0, 1, 2};
        assertEquals(0.5, PathRun.accuracy(logits, labels, 4, 3));
    }

    @Test
    void normIsL2AndKeepsNonFiniteValues() {
        assertEquals(5.0, PathRun.norm(new double[] {3, 4, 99}, 2));
        assertEquals(Double.POSITIVE_INFINITY, PathRun.norm(new double[] {1, Double.NEGATIVE_INFINITY}, 2));
        assertEquals(Double.NaN, PathRun.norm(new double[] {Double.POSITIVE_INFINITY, Double.NaN}, 2));
    }

    @Test
    void normOfHugeOrTinyFiniteValuesNeitherOverflowsNorUnderflows() {
        // the squares overflow (1e400) or underflow (1e-400) a double; the norm itself is representable
        assertEquals(5e200, PathRun.norm(new double[] {3e200, 4e200}, 2), 5e200 * 1e-15);
        assertEquals(Math.sqrt(2) * 1e308, PathRun.norm(new double[] {1e308, -1e308}, 2), 1.5e308 * 1e-15);
        assertEquals(5e-200, PathRun.norm(new double[] {3e-200, 4e-200}, 2), 5e-200 * 1e-15);
        assertEquals(Double.POSITIVE_INFINITY, PathRun.norm(new double[] {Double.MAX_VALUE, Double.MAX_VALUE}, 2),
                "a norm beyond the largest double is +∞");
        assertEquals(0.0, PathRun.norm(new double[] {0, -0.0}, 2));
    }

    @Test
    void maxAbsKeepsNaN() {
        assertEquals(7.0, PathRun.maxAbs(new double[] {-7, 3, 100}, 2));
        assertEquals(Double.NaN, PathRun.maxAbs(new double[] {1, Double.NaN}, 2));
    }
}
