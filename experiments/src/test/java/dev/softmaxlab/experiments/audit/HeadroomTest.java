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
        // fp16 values round to infinity from 65520 (65504 plus half its ulp of 32) on: f = 65520 / 10
        assertEquals(6552.0, Math.pow(2, g[0]), 1e-9);
    }

    /**
     * The overflow thresholds against the formats' own rounding: the threshold rounds to infinity and the double
     * just below it to the largest finite value (fp32 through Java's own float cast, an independent rounding).
     */
    @Test
    void overflowIsWhereRoundingReachesInfinity() {
        assertEquals(65520.0, Headroom.overflow(Precision.FP16));
        assertEquals(0x1p128 - 0x1p103, Headroom.overflow(Precision.FP32)); // FLT_MAX = 2^128 - 2^104
        assertEquals(0x1p128 - 0x1p119, Headroom.overflow(Precision.BF16)); // bf16 max = 2^128 - 2^120
        assertEquals(Float.POSITIVE_INFINITY, (float) Headroom.overflow(Precision.FP32));
        assertEquals(Float.MAX_VALUE, (float) Math.nextDown(Headroom.overflow(Precision.FP32)));
        for (Precision p : new Precision[] {Precision.FP16, Precision.BF16, Precision.FP32}) {
            double t = Headroom.overflow(p);
            assertEquals(Double.POSITIVE_INFINITY, p.round(t), p.toString());
            assertEquals(p.maxFinite(), p.round(Math.nextDown(t)), p.toString());
            assertTrue(Headroom.offsetBoundBeyondRange(p));
        }
        assertEquals(Double.MAX_VALUE, Headroom.overflow(Precision.FP64));
        assertTrue(!Headroom.offsetBoundBeyondRange(Precision.FP64));
    }

    /**
     * With the bound probed last (an offset beyond the format's range), any guesses still find the break point, and
     * the bound is probed only when nothing below it failed.
     */
    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14})
    void boundLastFindsTheBreakPointToo(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int trial = 0; trial < 200; trial++) {
            double t = -9.5 + 139 * rnd.nextDouble();
            double[] guesses = new double[rnd.nextInt(4)];
            for (int i = 0; i < guesses.length; i++) {
                int kind = rnd.nextInt(3);
                guesses[i] = kind == 0 ? t + (rnd.nextDouble() - 0.5) * 0.01 : kind == 1 ? -20 + 160 * rnd.nextDouble()
                        : Double.NaN;
            }
            boolean[] failed = new boolean[1];
            Headroom.Probe probe = x -> {
                assertTrue(x != 130 || !failed[0], "the bound probed after a failure below it");
                failed[0] |= x > t;
                return x <= t;
            };
            assertFound(t, Headroom.search(probe, -10, 130, -10, true, guesses, false));
        }
        Step fineEverywhere = new Step(1000);
        assertEquals(Math.pow(2, 130), Headroom.search(fineEverywhere, -10, 130, -10, true, new double[] {7}, false));
    }

    /**
     * The offset searches of a real row: the break (the largest logit reaching the overflow threshold) guessed right
     * costs the start, the guess and one gallop step, and the bound 2^130 is never probed; probed first it would cost
     * one more.
     */
    @Test
    void aBreakBelowTheBoundCostsNoBoundProbe() {
        for (double t : new double[] {6.25, 127.99826}) {
            Step last = new Step(t);
            assertFound(t, Headroom.search(last, -10, 130, -10, true, new double[] {t - 0.0001}, false));
            assertEquals(2, last.calls, t + ": the guess and one gallop step");
            Step first = new Step(t);
            assertFound(t, Headroom.search(first, -10, 130, -10, true, new double[] {t - 0.0001}, true));
            assertEquals(3, first.calls, t + ": the bound, the guess and one gallop step");
        }
    }
}
