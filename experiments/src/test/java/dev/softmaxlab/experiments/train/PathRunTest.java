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
    void maxAbsKeepsNaN() {
        assertEquals(7.0, PathRun.maxAbs(new double[] {-7, 3, 100}, 2));
        assertEquals(Double.NaN, PathRun.maxAbs(new double[] {1, Double.NaN}, 2));
    }
}
