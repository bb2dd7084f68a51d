package dev.softmaxlab.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.math.BigDecimal;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every path with every loss-head option, and their combinations, against the independent 60-digit reference
 * {@link HighPrecision#head} on well-conditioned seeded batches (logits in [-2, 2], B = 3, C = 5, so no probability is
 * near 0 or 1 and the clip of separate-clipped stays inactive).
 *
 * <p>Tolerances, from the arithmetic: fp64 runs O(C) rounded operations per value, each with relative error 2^-53,
 * on values of order 1, so 1e-13 (about 450 ulps of 1) bounds them with room for the separate paths' log p; fp32
 * likewise 2e-5 (about 170 ulps of 1). A wrong formula (a missing weight, a wrong denominator, an ignored row
 * counted) is off by 1e-3 or more.
 */
class LossHeadReferenceTest {

    private static final int ROWS = 3;
    private static final int CLASSES = 5;
    private static final double[] WEIGHTS = {0.5, 2.0, 1.0, 3.0, 0.25};

    /** A combination of options, by name. */
    record Combo(String name, double alpha, boolean weights, boolean ignoreRow1, double lambda, double cap,
                 Reduction reduction) {
        LossOptions options(String pathId) {
            LossOptions o = LossOptions.DEFAULTS.withReduction(reduction).withLabelSmoothing(alpha);
            if (weights) {
                o = o.withClassWeights(ClassWeights.of(WEIGHTS));
            }
            if (lambda != 0) {
                o = o.withZLoss(lambda);
            }
            if (cap != 0) {
                o = o.withSoftcap(cap);
            }
            if (pathId.equals(FusedChunkedSoftmaxCrossEntropy.ID)) {
                o = o.withChunkSize(2); // three chunks of a row of five: the carry is exercised
            }
            return o;
        }

        @Override
        public String toString() {
            return name + " " + reduction;
        }
    }

    static final Combo[] COMBOS = {
        new Combo("weights", 0.0, true, false, 0, 0, Reduction.MEAN),
        new Combo("ignore", 0.0, false, true, 0, 0, Reduction.MEAN),
        new Combo("zLoss", 0.0, false, false, 0.05, 0, Reduction.MEAN),
        new Combo("softcap", 0.0, false, false, 0, 1.5, Reduction.MEAN),
        new Combo("smoothing+weights", 0.1, true, false, 0, 0, Reduction.MEAN),
        new Combo("smoothing+weights+ignore", 0.1, true, true, 0, 0, Reduction.MEAN),
        new Combo("weights+ignore", 0.0, true, true, 0, 0, Reduction.SUM),
        new Combo("everything", 0.2, true, true, 0.02, 2.5, Reduction.MEAN),
        new Combo("everything", 0.2, true, true, 0.02, 2.5, Reduction.SUM),
        new Combo("everything", 0.2, true, true, 0.02, 2.5, Reduction.NONE),
    };

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (LossPath path : LossPaths.all()) {
            for (Combo combo : COMBOS) {
                b.add(Arguments.of(path.id(), combo, true));
                if (!combo.ignoreRow1()) {
                    b.add(Arguments.of(path.id(), combo, false)); // ignore_index is for sparse labels only
                }
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} {1} sparse={2}")
    @MethodSource("cases")
    void matchesTheHighPrecisionHead(String pathId, Combo combo, boolean sparse) {
        SplittableRandom r = new SplittableRandom(pathId.hashCode() * 131L + combo.name().hashCode()
                + combo.reduction().ordinal() * 7L + (sparse ? 1 : 0));
        double[] z = new double[ROWS * CLASSES];
        for (int k = 0; k < z.length; k++) {
            z[k] = 4 * r.nextDouble() - 2;
        }
        int[] labels = null;
        double[] t = null;
        Targets targets;
        if (sparse) {
            labels = new int[ROWS];
            for (int i = 0; i < ROWS; i++) {
                labels[i] = r.nextInt(CLASSES);
            }
            if (combo.ignoreRow1()) {
                labels[1] = -100;
            }
            targets = new Targets.Sparse(labels);
        } else {
            t = new double[ROWS * CLASSES];
            for (int i = 0; i < ROWS; i++) {
                double sum = 0;
                for (int j = 0; j < CLASSES; j++) {
                    t[i * CLASSES + j] = 0.1 + r.nextDouble();
                    sum += t[i * CLASSES + j];
                }
                for (int j = 0; j < CLASSES; j++) {
                    t[i * CLASSES + j] /= sum;
                }
            }
            targets = new Targets.Dense(t);
        }
        HighPrecision.Batch ref = HighPrecision.head(z, ROWS, CLASSES, labels, t, combo.alpha(),
                combo.weights() ? WEIGHTS : null, -100, combo.lambda(), combo.cap(),
                pathId.equals(DoubleSoftmaxCrossEntropy.ID), combo.reduction());
        LossPath path = LossPaths.byId(pathId);
        LossOptions options = combo.options(pathId);
        for (Precision p : new Precision[] {Precision.FP64, Precision.FP32}) {
            double tol = p == Precision.FP64 ? 1e-13 : 2e-5;
            LossResult out = new LossResult();
            path.evaluate(new LossInput(z, ROWS, CLASSES, targets), options, PrecisionSpec.of(p), out);
            if (combo.reduction() != Reduction.NONE) {
                assertClose(ref.loss(), out.loss(), tol, pathId + " " + p + " loss");
            }
            for (int i = 0; i < ROWS; i++) {
                assertClose(ref.rowLosses()[i], out.rowLosses()[i], tol, pathId + " " + p + " row loss " + i);
            }
            for (int k = 0; k < z.length; k++) {
                assertClose(ref.gradient()[k], out.gradient()[k], tol, pathId + " " + p + " grad[" + k + "]");
            }
            assertEquals(combo.ignoreRow1() ? 1 : 0, out.ignoredRows());
            assertEquals(0, out.events().totalNonFinite());
        }
    }

    /** |value - reference| ≤ tol·max(1, |reference|). */
    static void assertClose(BigDecimal reference, double value, double tol, String what) {
        double ref = reference.doubleValue();
        double err = Math.abs(new BigDecimal(value).subtract(reference).doubleValue());
        assertTrue(err <= tol * Math.max(1.0, Math.abs(ref)),
                () -> what + " = " + value + ", reference " + ref + ", error " + err);
    }
}
