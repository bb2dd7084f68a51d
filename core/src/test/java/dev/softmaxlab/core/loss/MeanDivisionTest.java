package dev.softmaxlab.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.softmaxlab.core.numeric.CountedArithmetic;
import dev.softmaxlab.core.numeric.NumericEvent;
import dev.softmaxlab.core.numeric.NumericEvents;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The mean's gradient division ({@link Reductions#divideByRows}) against the plain reference, the counting division
 * on every entry: the same bits and the same events, first non-finite included, in every precision, on gradients
 * with zeros, subnormals, values that go subnormal or zero when divided, and non-finite values.
 */
class MeanDivisionTest {

    private static double entry(SplittableRandom r, Precision p) {
        double v = switch (r.nextInt(10)) {
            case 0 -> 0.0;
            case 1 -> -0.0;
            case 2 -> Double.NaN;
            case 3 -> r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            case 4 -> p.minNormal() * r.nextDouble() * 4; // subnormal now or after the division
            case 5 -> Double.MIN_VALUE * r.nextInt(1, 100);
            case 6 -> p.maxFinite() * r.nextDouble();
            default -> r.nextGaussian() * Math.pow(10, r.nextInt(-6, 2));
        };
        return p.round(v);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void sameBitsAndEventsAsTheCountingDivisionOnEveryEntry(Precision p) {
        SplittableRandom r = new SplittableRandom(17 + p.ordinal());
        PrecisionSpec spec = PrecisionSpec.of(p);
        for (int trial = 0; trial < 300; trial++) {
            int rows = 2 + r.nextInt(r.nextBoolean() ? 5 : 3000); // large B pushes small entries below normal
            int classes = 1 + r.nextInt(8);
            double[] grad = new double[rows * classes];
            for (int k = 0; k < grad.length; k++) {
                grad[k] = entry(r, p);
            }
            double[] expected = grad.clone();
            NumericEvents expectedEvents = new NumericEvents();
            CountedArithmetic reference = new CountedArithmetic(spec, expectedEvents);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < classes; j++) {
                    expected[i * classes + j] = reference.div(expected[i * classes + j], rows, i, j);
                }
            }
            NumericEvents events = new NumericEvents();
            Reductions.divideByRows(new CountedArithmetic(spec, events), grad, rows, classes, rows);
            for (int k = 0; k < grad.length; k++) {
                assertEquals(Double.doubleToRawLongBits(expected[k]), Double.doubleToRawLongBits(grad[k]),
                        p + " entry " + k + ": " + expected[k] + " vs " + grad[k]);
            }
            for (NumericEvent e : NumericEvent.values()) {
                assertEquals(expectedEvents.count(e), events.count(e), p + " " + e.id());
            }
            assertEquals(expectedEvents.firstNonFinite(), events.firstNonFinite(), p + " firstNonFinite");
        }
    }
}
