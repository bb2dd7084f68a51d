package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.exact.ExactCrossEntropy;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ExactCrossEntropy} against the independent BigDecimal reference {@link HighPrecision} (60 digits, no shared
 * code): the double-double loss within 2^-100 relative, and every gradient entry rounded once to double equal to the
 * BigDecimal value rounded to double (correct rounding), barring ties closer than the reference's own precision.
 */
class ExactReferenceTest {

    private static final MathContext MC = new MathContext(50);

    @RepeatedTest(60)
    void sparseRowsMatchBigDecimal(RepetitionInfo info) {
        SplittableRandom r = new SplittableRandom(4242 + info.getCurrentRepetition());
        int c = 1 + r.nextInt(12);
        double scale = Math.pow(10, r.nextInt(-2, 4));
        double[] z = new double[c];
        for (int j = 0; j < c; j++) {
            z[j] = r.nextGaussian() * scale;
        }
        int label = r.nextInt(c);
        check(z, label, null);
    }

    /**
     * Rows long enough for the interleaved sums of s' to run many rounds and end on every remainder (C mod 4), with
     * the argmax anywhere, logits rounded to float as real tensors hold them.
     */
    @RepeatedTest(8)
    void longSparseRowsMatchBigDecimal(RepetitionInfo info) {
        SplittableRandom r = new SplittableRandom(5150 + info.getCurrentRepetition());
        int c = 97 + r.nextInt(200);
        double[] z = new double[c];
        for (int j = 0; j < c; j++) {
            z[j] = (float) (r.nextGaussian() * 4);
        }
        z[r.nextInt(c)] = 14.5f; // a confident row: the loss is small and must keep its relative precision
        check(z, r.nextInt(c), null);
    }

    @RepeatedTest(40)
    void denseRowsMatchBigDecimal(RepetitionInfo info) {
        SplittableRandom r = new SplittableRandom(777 + info.getCurrentRepetition());
        int c = 2 + r.nextInt(8);
        double[] z = new double[c];
        double[] t = new double[c];
        double sum = 0;
        for (int j = 0; j < c; j++) {
            z[j] = r.nextGaussian() * 5;
            t[j] = r.nextDouble();
            sum += t[j];
        }
        for (int j = 0; j < c; j++) {
            t[j] /= sum;
        }
        check(z, -1, t);
    }

    /** A confident row: the loss is 2e^-40 ≈ 8.5e-18 and must keep its relative precision (log1p, not log). */
    @Test
    void tinyLossKeepsItsDigits() {
        check(new double[] {40, 0, 0}, 0, null);
        ExactCrossEntropy x = new ExactCrossEntropy();
        x.evaluate(new double[] {40, 0, 0}, 0, 3, 0, null, 0);
        // hand-worked: log(1 + 2e^-40) = 2e^-40 - 2e^-80 + ..., e^-40 = 4.248354255291589e-18 (mpmath)
        assertEquals(8.496708510583178e-18, x.loss().hi(), 1e-32);
    }

    @Test
    void nonFiniteLogitHasNoReference() {
        assertFalse(new ExactCrossEntropy().evaluate(new double[] {1, Double.NaN}, 0, 2, 0, null, 0));
        assertFalse(new ExactCrossEntropy().evaluate(new double[] {1, Double.POSITIVE_INFINITY}, 0, 2, 0, null, 0));
    }

    private static void check(double[] z, int label, double[] t) {
        ExactCrossEntropy x = new ExactCrossEntropy();
        assertTrue(x.evaluate(z, 0, z.length, label, t, 0));
        HighPrecision.Row ref = HighPrecision.crossEntropy(z, label, t);
        BigDecimal lossErr = x.loss().toBigDecimal().subtract(ref.loss()).abs();
        assertTrue(ref.loss().signum() == 0 ? lossErr.doubleValue() < 1e-300
                        : lossErr.divide(ref.loss().abs(), MC).doubleValue() < 0x1p-98,
                () -> "loss " + x.loss() + " vs " + ref.loss());
        for (int j = 0; j < z.length; j++) {
            assertEquals(ref.gradient()[j].doubleValue(), x.gradient()[j], "grad " + j);
            assertEquals(ref.probabilities()[j].doubleValue(), x.probabilities()[j], "p " + j);
        }
    }
}
