package dev.softmaxlab.experiments.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.softmaxlab.core.precision.Precision;
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

    @Test
    void meanLseIsTheRowMeanOfTheLogPartitionWorkedByHand() {
        // row 0: log(e^0 + e^ln2 + e^ln3) = log 6; row 1: 1000 + log 2 (exp(1000) overflows unless the max is
        // shifted out); mean = (log 12 + 1000) / 2 = 501.24245332489... (log 12 = 2.484906649788000...)
        double[] logits = {0, Math.log(2), Math.log(3), 1000, 1000, Double.NEGATIVE_INFINITY};
        assertEquals((Math.log(12) + 1000) / 2, PathRun.meanLse(logits, 2, 3, Precision.FP64), 1e-13);
        assertEquals(501.2424533248940, PathRun.meanLse(logits, 2, 3, Precision.FP64), 1e-12);
    }

    @Test
    void meanLseReadsTheLogitsAtTheRunsPrecision() {
        // bf16 keeps 8 significant bits: 1 + 2^-8 is a tie between 1 and 1 + 2^-7 and rounds to even, 1. So in bf16
        // the row is {1, 1}, lse = 1 + log 2; in fp64 it is 1 + log(1 + e^(2^-8)).
        double[] logits = {1, 1 + 0x1p-8};
        assertEquals(1 + Math.log(2), PathRun.meanLse(logits, 1, 2, Precision.BF16), 1e-15);
        assertEquals(1 + Math.log(1 + Math.exp(0x1p-8)), PathRun.meanLse(logits, 1, 2, Precision.FP64), 1e-15);
    }

    @Test
    void meanLseKeepsNonFiniteRows() {
        assertEquals(Double.NaN, PathRun.meanLse(new double[] {0, 1, Double.NaN, 2}, 2, 2, Precision.FP64));
        assertEquals(Double.POSITIVE_INFINITY,
                PathRun.meanLse(new double[] {0, 1, Double.POSITIVE_INFINITY, 2}, 2, 2, Precision.FP64));
    }
}
