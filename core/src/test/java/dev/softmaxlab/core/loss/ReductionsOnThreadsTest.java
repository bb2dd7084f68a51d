package dev.softmaxlab.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.numeric.NumericEvent;
import dev.softmaxlab.core.numeric.NumericEvents;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The batch end split across threads ({@link Reductions#finishOnThreads}) against the batch end on one thread
 * ({@link Reductions#finish}): the same gradient bits, loss bits and events (first non-finite included), on batches
 * where most rows are plain and some hold zeros, subnormals, entries that go subnormal when divided by B, and
 * non-finite values. It also checks that the threads finish the plain rows, so that the comparison is not won by a
 * pass that does nothing.
 */
class ReductionsOnThreadsTest {

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (Precision p : new Precision[] {Precision.FP64, Precision.FP32}) {
            for (Reduction r : Reduction.values()) {
                b.add(Arguments.of(p, r));
            }
        }
        return b.build();
    }

    private static double plain(SplittableRandom r) {
        return r.nextGaussian() * Math.pow(10, r.nextInt(-6, 2));
    }

    private static double odd(SplittableRandom r, Precision p) {
        return switch (r.nextInt(6)) {
            case 0 -> r.nextBoolean() ? 0.0 : -0.0;
            case 1 -> Double.NaN;
            case 2 -> r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            case 3 -> p.minNormal() * (1 + 3 * r.nextDouble()); // normal now, subnormal once divided by B ≥ 4
            case 4 -> p.minNormal() * r.nextDouble(); // subnormal already
            default -> p.maxFinite() * r.nextDouble();
        };
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void sameBitsAndEventsAsOneThread(Precision p, Reduction reduction) {
        SplittableRandom r = new SplittableRandom(29 + 7L * p.ordinal() + reduction.ordinal());
        PrecisionSpec spec = PrecisionSpec.of(p);
        long finishedOnThreads = 0;
        for (int trial = 0; trial < 200; trial++) {
            int rows = 1 + r.nextInt(r.nextBoolean() ? 6 : 200);
            int classes = 1 + r.nextInt(9);
            double[] grad = new double[rows * classes];
            double[] losses = new double[rows];
            for (int i = 0; i < rows; i++) {
                boolean oddRow = r.nextInt(4) == 0;
                for (int j = 0; j < classes; j++) {
                    grad[i * classes + j] = p.round(oddRow && r.nextInt(3) == 0 ? odd(r, p) : plain(r));
                }
                losses[i] = r.nextInt(20) == 0 ? Double.NaN : Math.abs(plain(r));
            }
            LossResult serial = batch(grad, losses, rows, classes);
            Reductions.finish(serial.arithmetic(spec), reduction, serial);
            int threads = 2 + trial % 2;
            LossResult split = batch(grad, losses, rows, classes);
            Reductions.finishOnThreads(split.arithmetic(spec), reduction, split, threads);
            String where = p + " " + reduction + " trial " + trial + " [" + rows + "x" + classes + "] threads "
                    + threads;
            for (int k = 0; k < rows * classes; k++) {
                assertEquals(Double.doubleToRawLongBits(serial.gradient()[k]),
                        Double.doubleToRawLongBits(split.gradient()[k]), where + " grad[" + k + "]");
            }
            assertEquals(Double.doubleToRawLongBits(serial.loss()), Double.doubleToRawLongBits(split.loss()),
                    where + " loss");
            assertSameEvents(serial.events(), split.events(), where);
            for (int i = 0; i < rows; i++) {
                finishedOnThreads += split.finishedRows()[i] ? 1 : 0;
            }
        }
        assertTrue(finishedOnThreads > 1000, "the threads must finish the plain rows, finished " + finishedOnThreads);
    }

    /** B = 4, fp64, mean: a plain row is divided and finished on the threads; a row with a quotient that goes
     * subnormal is left whole to the batch end, which counts it once. */
    @Test
    void aRowWithAnUnusualQuotientIsLeftWholeToTheBatchEnd() {
        double tiny = 3 * Precision.FP64.minNormal(); // 3·2^-1022 / 4 is subnormal
        double[] grad = {1.0, -3.0, 0.5, tiny, -2.0, 0.25, 8.0, -1.0};
        double[] losses = {1.0, 2.0, 3.0, 4.0};
        LossResult out = batch(grad, losses, 4, 2);
        Reductions.finishOnThreads(out.arithmetic(PrecisionSpec.of(Precision.FP64)), Reduction.MEAN, out, 2);
        double[] expected = {0.25, -0.75, 0.125, tiny / 4, -0.5, 0.0625, 2.0, -0.25};
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], out.gradient()[k], "grad[" + k + "]");
        }
        assertEquals(2.5, out.loss());
        assertEquals(1, out.events().count(NumericEvent.SUBNORMAL));
        assertTrue(out.finishedRows()[0] && out.finishedRows()[2] && out.finishedRows()[3]);
        assertFalse(out.finishedRows()[1], "row 1 goes through the counting division");
    }

    /**
     * The paths that end through {@link Reductions#finishOnThreads} do so: on two threads the plain rows of a plain
     * batch come back finished (divided on the threads), on one thread none does (but double-softmax's, which its
     * row kernel finishes), and the bits are the same.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {SeparateSoftmaxCrossEntropy.ID,
        DoubleSoftmaxCrossEntropy.ID})
    void thePathsEndOnTheThreads(String pathId) {
        int rows = 8;
        int classes = 50;
        SplittableRandom r = new SplittableRandom(3);
        double[] z = new double[rows * classes];
        int[] labels = new int[rows];
        for (int k = 0; k < z.length; k++) {
            z[k] = r.nextGaussian();
        }
        for (int i = 0; i < rows; i++) {
            labels[i] = r.nextInt(classes);
        }
        LossInput in = new LossInput(z, rows, classes, new Targets.Sparse(labels));
        LossPath path = LossPaths.byId(pathId);
        PrecisionSpec spec = PrecisionSpec.of(Precision.FP64);
        LossResult one = new LossResult();
        LossResult two = new LossResult();
        path.evaluate(in, LossOptions.DEFAULTS, spec, one, new KernelChoice(KernelVariant.SCALAR, 1));
        path.evaluate(in, LossOptions.DEFAULTS, spec, two, new KernelChoice(KernelVariant.SCALAR, 2));
        // double-softmax's row kernel folds the batch end in itself (HeadRowKernel), so its clean rows come back
        // finished on one thread too; the separate path's are finished by the threads only
        boolean folded = pathId.equals(DoubleSoftmaxCrossEntropy.ID);
        for (int i = 0; i < rows; i++) {
            assertEquals(folded, one.finishedRows()[i], "one thread: row " + i);
            assertTrue(two.finishedRows()[i], "two threads: row " + i);
        }
        for (int k = 0; k < rows * classes; k++) {
            assertEquals(Double.doubleToRawLongBits(one.gradient()[k]), Double.doubleToRawLongBits(two.gradient()[k]));
        }
        assertEquals(Double.doubleToRawLongBits(one.loss()), Double.doubleToRawLongBits(two.loss()));
    }

    private static LossResult batch(double[] grad, double[] losses, int rows, int classes) {
        LossResult out = new LossResult();
        out.prepare(rows, classes);
        System.arraycopy(grad, 0, out.gradient(), 0, rows * classes);
        System.arraycopy(losses, 0, out.rowLosses(), 0, rows);
        return out;
    }

    private static void assertSameEvents(NumericEvents expected, NumericEvents actual, String where) {
        for (NumericEvent e : NumericEvent.values()) {
            assertEquals(expected.count(e), actual.count(e), where + " " + e.id());
        }
        assertEquals(expected.lossNan(), actual.lossNan(), where);
        assertEquals(expected.lossPosInf(), actual.lossPosInf(), where);
        assertEquals(expected.lossNegInf(), actual.lossNegInf(), where);
        assertEquals(expected.gradientNan(), actual.gradientNan(), where);
        assertEquals(expected.gradientPosInf(), actual.gradientPosInf(), where);
        assertEquals(expected.gradientNegInf(), actual.gradientNegInf(), where);
        assertEquals(expected.firstNonFinite(), actual.firstNonFinite(), where);
    }
}
