package dev.softmaxlab.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Seeded property tests over random batches. */
class PropertyTest {

    private static final PrecisionSpec FP64 = PrecisionSpec.of(Precision.FP64);
    private static final double U = Math.scalb(1.0, -53);

    private static double[] logits(SplittableRandom r, int n, double scale) {
        double[] z = new double[n];
        for (int k = 0; k < n; k++) {
            z[k] = scale * (2 * r.nextDouble() - 1);
        }
        return z;
    }

    private static int[] labels(SplittableRandom r, int rows, int classes) {
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = r.nextInt(classes);
        }
        return y;
    }

    /** Σ_j p_j = 1 within (C + 2)·2u per row (C roundings of the sum, one per division, rounded to double). */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void softmaxRowsSumToOne(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        LossResult out = new LossResult();
        for (LossPath path : LossPaths.all()) {
            for (int trial = 0; trial < 20; trial++) {
                int rows = 1 + r.nextInt(4);
                int classes = 1 + r.nextInt(50);
                double[] z = logits(r, rows * classes, 20);
                path.evaluate(new LossInput(z, rows, classes, new Targets.Sparse(labels(r, rows, classes))),
                        LossOptions.DEFAULTS, FP64, out);
                for (int i = 0; i < rows; i++) {
                    double sum = 0;
                    for (int j = 0; j < classes; j++) {
                        sum += out.probabilities()[i * classes + j];
                    }
                    assertEquals(1.0, sum, (classes + 2) * 2 * U, path.id());
                }
            }
        }
    }

    /** Adding the same c to every logit changes nothing in fused, bit for bit, when z + c is exact. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void fusedIsShiftInvariant(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        FusedSoftmaxCrossEntropy fused = new FusedSoftmaxCrossEntropy();
        LossResult a = new LossResult();
        LossResult b = new LossResult();
        for (int trial = 0; trial < 100; trial++) {
            int classes = 2 + r.nextInt(20);
            double[] z = new double[classes];
            double[] shifted = new double[classes];
            double c = r.nextInt(-100_000, 100_000); // z has 10 fraction bits and |z| < 2^6: z + c is exact
            for (int j = 0; j < classes; j++) {
                z[j] = r.nextInt(-40 * 1024, 40 * 1024) / 1024.0;
                shifted[j] = z[j] + c;
            }
            int label = r.nextInt(classes);
            fused.evaluate(LossInput.ofLabel(z, label), LossOptions.DEFAULTS, FP64, a);
            fused.evaluate(LossInput.ofLabel(shifted, label), LossOptions.DEFAULTS, FP64, b);
            assertEquals(a.loss(), b.loss());
            for (int j = 0; j < classes; j++) {
                assertEquals(a.gradient()[j], b.gradient()[j]);
            }
        }
    }

    /** When the target sums to 1, each gradient row sums to 0 (within C·4u, scaled by the row's largest entry). */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void gradientRowsSumToZero(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        LossResult out = new LossResult();
        for (LossPath path : LossPaths.all()) {
            for (int trial = 0; trial < 20; trial++) {
                int classes = 2 + r.nextInt(30);
                double[] z = logits(r, classes, 5);
                double alpha = r.nextBoolean() ? 0.0 : 0.1;
                path.evaluate(LossInput.ofLabel(z, r.nextInt(classes)), LossOptions.DEFAULTS.withLabelSmoothing(alpha),
                        FP64, out);
                double sum = 0;
                for (int j = 0; j < classes; j++) {
                    sum += out.gradient()[j];
                }
                assertEquals(0.0, sum, classes * 4 * U * 2, path.id());
            }
        }
    }

    /**
     * fused and separate agree wherever both are finite: within 1e-12 relative (of max(1, |loss|)) for the loss and
     * 1e-12 absolute for gradients (entries are at most 1) on logits of spread up to ±30.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void fusedAndSeparateAgreeWhereBothFinite(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        LossResult f = new LossResult();
        LossResult s = new LossResult();
        int compared = 0;
        for (int trial = 0; trial < 100; trial++) {
            int rows = 1 + r.nextInt(4);
            int classes = 2 + r.nextInt(20);
            double[] z = logits(r, rows * classes, 30);
            LossInput in = new LossInput(z, rows, classes, new Targets.Sparse(labels(r, rows, classes)));
            LossPaths.byId("fused").evaluate(in, LossOptions.DEFAULTS, FP64, f);
            LossPaths.byId("separate").evaluate(in, LossOptions.DEFAULTS, FP64, s);
            if (!Double.isFinite(s.loss()) || s.events().totalNonFinite() > 0) {
                continue;
            }
            compared++;
            assertEquals(f.loss(), s.loss(), 1e-12 * Math.max(1, Math.abs(f.loss())));
            for (int k = 0; k < rows * classes; k++) {
                assertEquals(f.gradient()[k], s.gradient()[k], 1e-12);
            }
        }
        assertTrue(compared > 50, "too few finite cases compared: " + compared);
    }

    /** mean = sum / B for the loss and for every gradient entry, bit for bit (one division each). */
    @ParameterizedTest
    @ValueSource(longs = {1, 2})
    void reductionsAreConsistent(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        LossResult mean = new LossResult();
        LossResult sum = new LossResult();
        LossResult none = new LossResult();
        for (LossPath path : LossPaths.all()) {
            int rows = 2 + r.nextInt(6);
            int classes = 2 + r.nextInt(10);
            double[] z = logits(r, rows * classes, 3);
            LossInput in = new LossInput(z, rows, classes, new Targets.Sparse(labels(r, rows, classes)));
            path.evaluate(in, LossOptions.DEFAULTS.withReduction(Reduction.MEAN), FP64, mean);
            path.evaluate(in, LossOptions.DEFAULTS.withReduction(Reduction.SUM), FP64, sum);
            path.evaluate(in, LossOptions.DEFAULTS.withReduction(Reduction.NONE), FP64, none);
            assertEquals(sum.loss() / rows, mean.loss(), path.id());
            assertEquals(sum.loss(), none.loss());
            double rowSum = 0;
            for (int i = 0; i < rows; i++) {
                assertEquals(sum.rowLosses()[i], none.rowLosses()[i]);
                rowSum += none.rowLosses()[i];
            }
            assertEquals(rowSum, sum.loss());
            for (int k = 0; k < rows * classes; k++) {
                assertEquals(sum.gradient()[k] / rows, mean.gradient()[k]);
                assertEquals(sum.gradient()[k], none.gradient()[k]);
            }
        }
    }
}
