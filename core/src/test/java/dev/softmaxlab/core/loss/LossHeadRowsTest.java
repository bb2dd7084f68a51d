package dev.softmaxlab.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * fused runs a batch without weights, z-loss, softcap or ignored rows through its plain loop (and its fast twins);
 * anything else through {@link LossHeadRows}. The two must be one path: with the default options both give the same
 * bits and the same events, so an option's effect is the option's alone.
 */
class LossHeadRowsTest {

    @ParameterizedTest
    @EnumSource(Precision.class)
    void thePlainLoopAndTheLossHeadRowsAgreeBitForBit(Precision p) {
        SplittableRandom r = new SplittableRandom(77 + p.ordinal());
        LossPath fused = LossPaths.byId("fused");
        for (int trial = 0; trial < 300; trial++) {
            int rows = 1 + r.nextInt(4);
            int classes = 1 + r.nextInt(20);
            double scale = new double[] {1, 30, 1000}[r.nextInt(3)];
            double[] z = new double[rows * classes];
            for (int k = 0; k < z.length; k++) {
                z[k] = scale * (2 * r.nextDouble() - 1);
            }
            if (trial % 20 == 0) {
                z[r.nextInt(z.length)] = Double.NaN;
            }
            Targets targets;
            if (trial % 2 == 0) {
                int[] labels = new int[rows];
                for (int i = 0; i < rows; i++) {
                    labels[i] = r.nextInt(classes);
                }
                targets = new Targets.Sparse(labels);
            } else {
                double[] t = new double[rows * classes];
                for (int i = 0; i < rows; i++) {
                    t[i * classes + r.nextInt(classes)] = 1.0;
                }
                targets = new Targets.Dense(t);
            }
            LossInput in = new LossInput(z, rows, classes, targets);
            LossOptions o = LossOptions.DEFAULTS.withReduction(Reduction.values()[trial % 3])
                    .withLabelSmoothing(trial % 5 == 0 ? 0.1 : 0.0);
            PrecisionSpec spec = PrecisionSpec.of(p);
            LossResult plain = new LossResult();
            LossResult head = new LossResult();
            fused.evaluate(in, o, spec, plain);
            LossHeadRows.evaluate(in, o, spec, head, FusedSoftmaxCrossEntropy::headRow);
            String what = p + " trial " + trial;
            assertEquals(Double.doubleToRawLongBits(plain.loss()), Double.doubleToRawLongBits(head.loss()), what);
            for (int k = 0; k < z.length; k++) {
                assertEquals(Double.doubleToRawLongBits(plain.gradient()[k]),
                        Double.doubleToRawLongBits(head.gradient()[k]), what + " grad " + k);
                assertEquals(Double.doubleToRawLongBits(plain.probabilities()[k]),
                        Double.doubleToRawLongBits(head.probabilities()[k]), what + " p " + k);
            }
            assertEquals(plain.events().toString(), head.events().toString(), what);
            assertEquals(plain.denominator(), head.denominator(), what);
        }
    }
}
