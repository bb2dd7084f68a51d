package dev.softmaxlab.experiments.audit;

import dev.softmaxlab.core.precision.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The headroom search against probes whose break point is known (fine exactly when log2 ≤ t): whatever the guesses
 * (right, wrong, absent, NaN), the answer is the break point to within the resolution, from below; a right guess
 * makes it cheap.
 */
class HeadroomTest {

    /** A probe that breaks above t and counts its calls. */
    private static final class Step implements Headroom.Probe {
        final double t;
        int calls;

        Step(double t) {
            this.t = t;
        }

        @Override
        public boolean fine(double log2) {
            calls++;
            return log2 <= t;
        }
    }

    private static void assertFound(double t, double found) {
        double log2 = Math.log(found) / Math.log(2);
        assertTrue(log2 <= t + 1e-12 && log2 > t - Headroom.RESOLUTION - 1e-12, "t " + t + ", found log2 " + log2);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void anyGuessesFindTheBreakPoint(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int trial = 0; trial < 200; trial++) {
            double t = -19.5 + 39 * rnd.nextDouble();
            double[] guesses = new double[rnd.nextInt(6)];
            for (int i = 0; i < guesses.length; i++) {
                int kind = rnd.nextInt(4);
                guesses[i] = kind == 0 ? t + (rnd.nextDouble() - 0.5) * 0.01 // close
                        : kind == 1 ? -40 + 80 * rnd.nextDouble()           // anywhere, also out of range
                        : kind == 2 ? Double.NaN : t;                       // none, exact
            }
            Step probe = new Step(t);
            double found = Headroom.search(probe, -20, 20, 0, probe.fine(0), guesses);
            assertFound(t, found);
        }
    }

    @Test
    void aRightGuessIsCheap() {
        for (double t : new double[] {-7.3, -0.2, 0.4, 2.7, 13.1}) {
            Step probe = new Step(t);
            boolean startFine = 0 <= t;
            double found = Headroom.search(probe, -20, 20, 0, startFine, new double[] {t - 0.001, 25, Double.NaN});
            assertFound(t, found);
            // bound (or min) + guess + one gallop step + two halvings of a 2^-7 bracket, against 13 to 14 probes
            // for bisection over 20 octaves without a guess
            assertTrue(probe.calls <= 5, t + ": " + probe.calls + " probes");
            Step blind = new Step(t);
            assertFound(t, Headroom.search(blind, -20, 20, 0, startFine, new double[0]));
            assertTrue(blind.calls >= 13, t + ": " + blind.calls + " probes without a guess");
        }
    }

    @Test
    void boundsMeanAtLeastAndNotEven() {
        Step high = new Step(100);
        assertEquals(Math.pow(2, 20), Headroom.search(high, -20, 20, 0, true, new double[] {3}));
        assertEquals(1, high.calls); // the start's verdict was given: only the bound is probed
        Step low = new Step(-100);
        assertEquals(0.0, Headroom.search(low, -20, 20, 0, false, new double[] {-3}));
        assertEquals(1, low.calls);
    }

    /**
     * Guesses for the hand-worked row [10, 0], label 1, at fp16 (largest finite 65504, smallest subnormal 2^-24):
     * e^(10f) overflows near f = ln(65504)/10 (mpmath: log(65504)/10 = 1.10898664884610), which the
     * separate-naive fp16 search of AuditorTest finds on the arithmetic at 1.1089844.
     */
    @Test
    void scaleGuessesFromTheRowAndThePrecision() {
        double[] g = Headroom.scaleGuesses(10, 0, 10, 0, Precision.FP16);
        boolean near = false;
        for (double x : g) {
            near |= Math.abs(Math.pow(2, x) - 1.10898664884610) < 1e-12;
        }
        assertTrue(near, java.util.Arrays.toString(g));
        // fp16 values overflow at 65504 / 10
        assertEquals(6550.4, Math.pow(2, g[0]), 1e-9);
    }
}
