package dev.softmaxlab.core.loss;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every path's fp64 gradient with every loss-head option against central finite differences of that path's own
 * fp64 loss, on well-conditioned inputs (logits in [-2, 2]; softcaps of 1.5 and more, so tanh is far from
 * saturation). As in {@link FiniteDifferenceTest}: h = 1e-5, truncation O(h²) ≈ 1e-10, rounding ≈ 1e-16/h ≈ 1e-11,
 * both scaled by the size of the third derivative, which weights up to 3 and a z-loss keep of order 1.
 */
class LossHeadFiniteDifferenceTest {

    private static final double H = 1e-5;
    private static final double TOLERANCE = 1e-8;

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (LossPath path : LossPaths.all()) {
            for (LossHeadReferenceTest.Combo combo : LossHeadReferenceTest.COMBOS) {
                b.add(Arguments.of(path.id(), combo, true));
                if (!combo.ignoreRow1()) {
                    b.add(Arguments.of(path.id(), combo, false));
                }
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} {1} sparse={2}")
    @MethodSource("cases")
    void gradientMatchesCentralDifferences(String pathId, LossHeadReferenceTest.Combo combo, boolean sparse) {
        if (combo.reduction() == Reduction.NONE) {
            return; // under none the batch loss is a sum of the rows, the same gradient as sum: covered there
        }
        LossPath path = LossPaths.byId(pathId);
        SplittableRandom r = new SplittableRandom(pathId.hashCode() * 17L + combo.name().hashCode()
                + combo.reduction().ordinal() + (sparse ? 5 : 0));
        LossOptions options = combo.options(pathId);
        PrecisionSpec fp64 = PrecisionSpec.of(Precision.FP64);
        for (int trial = 0; trial < 3; trial++) {
            int rows = 3;
            int classes = 5;
            double[] z = new double[rows * classes];
            for (int k = 0; k < z.length; k++) {
                z[k] = 4 * r.nextDouble() - 2;
            }
            Targets targets;
            if (sparse) {
                int[] labels = new int[rows];
                for (int i = 0; i < rows; i++) {
                    labels[i] = r.nextInt(classes);
                }
                if (combo.ignoreRow1()) {
                    labels[1] = -100;
                }
                targets = new Targets.Sparse(labels);
            } else {
                double[] t = new double[rows * classes];
                for (int i = 0; i < rows; i++) {
                    double sum = 0;
                    for (int j = 0; j < classes; j++) {
                        t[i * classes + j] = 0.1 + r.nextDouble();
                        sum += t[i * classes + j];
                    }
                    for (int j = 0; j < classes; j++) {
                        t[i * classes + j] /= sum;
                    }
                }
                targets = new Targets.Dense(t);
            }
            LossResult out = new LossResult();
            path.evaluate(new LossInput(z, rows, classes, targets), options, fp64, out);
            double[] grad = out.gradient().clone();
            LossResult probe = new LossResult();
            for (int k = 0; k < z.length; k++) {
                double[] plus = z.clone();
                double[] minus = z.clone();
                plus[k] += H;
                minus[k] -= H;
                path.evaluate(new LossInput(plus, rows, classes, targets), options, fp64, probe);
                double lp = probe.loss();
                path.evaluate(new LossInput(minus, rows, classes, targets), options, fp64, probe);
                double lm = probe.loss();
                double numeric = (lp - lm) / (plus[k] - minus[k]);
                final int kk = k;
                assertTrue(Math.abs(numeric - grad[k]) <= TOLERANCE,
                        () -> pathId + " " + combo + " grad[" + kk + "] = " + grad[kk] + ", central difference "
                                + numeric);
            }
        }
    }
}
