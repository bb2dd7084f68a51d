package dev.softmaxlab.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.numeric.NumericEvent;
import dev.softmaxlab.core.numeric.NumericEvents;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fast twins ({@link FusedFp64Kernel}, {@link FusedFp32Kernel}) against the instrumented reference: the same bits
 * in every output and the same events, on batches that mix clean rows with rows where something countable happens,
 * in every precision (bf16 and fp16, which have no twin, and fp32 with fp64 accumulation, must go the reference way).
 */
class FusedFastPathTest {

    private static double special(SplittableRandom r) {
        return switch (r.nextInt(14)) {
            case 0 -> Double.NaN;
            case 1 -> Double.POSITIVE_INFINITY;
            case 2 -> Double.NEGATIVE_INFINITY;
            case 3 -> Double.MIN_VALUE * r.nextInt(1, 1000); // subnormal logit
            case 4 -> 1e308 * (r.nextBoolean() ? 1 : -1);
            case 5 -> 800 * r.nextDouble(); // exp(z - m) underflows or goes subnormal
            case 6 -> 0.0;
            case 7 -> -740 + r.nextDouble(); // exp(z - m) near the subnormal range
            case 8 -> 1e-40 * r.nextDouble(); // a float subnormal
            case 9 -> 3.5e38 * (r.nextBoolean() ? 1 : -1); // beyond the largest float
            case 10 -> -100 * r.nextDouble() - 3; // exp(z - m) underflows or goes subnormal in float
            case 11 -> 103.97 + r.nextDouble(); // near float's exp underflow edge after the shift
            case 12 -> (r.nextBoolean() ? 1 : -1) * Float.MIN_NORMAL;
            default -> Double.MIN_NORMAL;
        };
    }

    static Stream<Arguments> seedsAndPrecisions() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (long seed = 1; seed <= 6; seed++) {
            b.add(Arguments.of(seed, PrecisionSpec.of(Precision.FP64)));
            b.add(Arguments.of(seed, PrecisionSpec.of(Precision.FP32)));
        }
        b.add(Arguments.of(7L, new PrecisionSpec(Precision.FP32, Precision.FP64)));
        b.add(Arguments.of(8L, PrecisionSpec.of(Precision.BF16)));
        b.add(Arguments.of(9L, PrecisionSpec.of(Precision.FP16)));
        return b.build();
    }

    @ParameterizedTest
    @MethodSource("seedsAndPrecisions")
    void fastTwinMatchesInstrumentedBitForBit(long seed, PrecisionSpec spec) {
        SplittableRandom r = new SplittableRandom(seed);
        FusedSoftmaxCrossEntropy fast = new FusedSoftmaxCrossEntropy(true);
        FusedSoftmaxCrossEntropy reference = new FusedSoftmaxCrossEntropy(false);
        LossResult a = new LossResult();
        LossResult b = new LossResult();
        int unclean = 0;
        for (int trial = 0; trial < 200; trial++) {
            int rows = 1 + r.nextInt(8);
            int classes = 1 + r.nextInt(r.nextBoolean() ? 12 : 60);
            double[] z = new double[rows * classes];
            int[] labels = new int[rows];
            for (int i = 0; i < rows; i++) {
                labels[i] = r.nextInt(classes);
                boolean odd = r.nextInt(3) == 0;
                unclean += odd ? 1 : 0;
                for (int j = 0; j < classes; j++) {
                    double scale = r.nextInt(4) == 0 ? 50 : 10; // at 50 float's exp underflows now and then
                    z[i * classes + j] = odd && r.nextInt(3) == 0 ? special(r) : scale * (2 * r.nextDouble() - 1);
                }
            }
            LossInput in = new LossInput(z, rows, classes, new Targets.Sparse(labels));
            for (Reduction reduction : Reduction.values()) {
                LossOptions options = LossOptions.DEFAULTS.withReduction(reduction);
                fast.evaluate(in, options, spec, a);
                reference.evaluate(in, options, spec, b);
                assertSameBits(a.loss(), b.loss(), "loss");
                for (int i = 0; i < rows; i++) {
                    assertSameBits(a.rowLosses()[i], b.rowLosses()[i], "row loss " + i);
                }
                for (int k = 0; k < rows * classes; k++) {
                    assertSameBits(a.probabilities()[k], b.probabilities()[k], "p[" + k + "]");
                    assertSameBits(a.gradient()[k], b.gradient()[k], "grad[" + k + "]");
                }
                assertSameEvents(a.events(), b.events());
            }
        }
        assertTrue(unclean > 20, "the batches must include rows that need the instrumented twin");
    }

    private static void assertSameBits(double x, double y, String what) {
        assertEquals(Double.doubleToRawLongBits(y), Double.doubleToRawLongBits(x), what + ": " + x + " vs " + y);
    }

    private static void assertSameEvents(NumericEvents x, NumericEvents y) {
        for (NumericEvent e : NumericEvent.values()) {
            assertEquals(y.count(e), x.count(e), e.id());
        }
        assertEquals(y.lossNan(), x.lossNan());
        assertEquals(y.lossPosInf(), x.lossPosInf());
        assertEquals(y.lossNegInf(), x.lossNegInf());
        assertEquals(y.gradientNan(), x.gradientNan());
        assertEquals(y.gradientPosInf(), x.gradientPosInf());
        assertEquals(y.gradientNegInf(), x.gradientNegInf());
        assertEquals(y.firstNonFinite(), x.firstNonFinite());
    }
}
