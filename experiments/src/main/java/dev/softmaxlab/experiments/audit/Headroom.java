package dev.softmaxlab.experiments.audit;

import dev.softmaxlab.core.precision.Precision;

import java.util.Arrays;

/**
 * Headroom of one row for one path at one precision, found by bisection on the actual arithmetic (the path is run on
 * transformed logits; a formula only suggests where to look):
 * <ul>
 *   <li>scale: the largest factor f with f·z still fine, searched over f in [2^-20, 2^20];</li>
 *   <li>offset up / down: the largest c with z + c (resp. z - c) still fine, c in [2^-10, 2^130].</li>
 * </ul>
 * "Fine" is {@link RowAuditor#fine}: loss and gradient finite, and the loss not lost to 0 where it cannot be 0.
 *
 * <p>The search, in log2 of the parameter:
 * <ol>
 *   <li>anchor: the start (scale: f = 1, whose verdict the row's own evaluation already gave; offsets: the smallest
 *   offset) and, when the start is fine, the upper bound: fine there means "at least the bound";</li>
 *   <li>guesses: where the row's statistics and the precision's limits say a path could break (a logit or a
 *   difference of logits overflowing, e^z overflowing, the label's probability underflowing), probed in
 *   ascending order inside the bracket, each one narrowing it; the first guess that fails ends the walk;</li>
 *   <li>gallop: from the guess last probed, steps of {@link #STEP}, 4·STEP, 16·STEP ... towards the other end of
 *   the bracket until the verdict changes: a good guess leaves a bracket of a fraction of a percent;</li>
 *   <li>bisection until the bracket is at most {@link #RESOLUTION} wide (a factor 2^(2^-9), 0.14%: finer than
 *   the three significant digits the report prints).</li>
 * </ol>
 * Every verdict comes from running the path: a wrong guess costs one evaluation and never changes what is found
 * for a path whose failure is monotone in the parameter. A result at the bound means "at least"; 0 means it is not
 * fine even at the smallest value tried. A path whose failure is not monotone may hide a failure between probes;
 * the search reports the largest probe found fine below the first failure it brackets.
 */
final class Headroom {

    static final double SCALE_MIN_LOG2 = -20;
    static final double SCALE_MAX_LOG2 = 20;
    static final double OFFSET_MIN_LOG2 = -10;
    static final double OFFSET_MAX_LOG2 = 130;
    /** Bisection stops when the bracket is this narrow, in log2 units. */
    static final double RESOLUTION = 0x1p-9;
    /** The first gallop step from a guess, in log2 units: a guess right to within the resolution costs one probe. */
    static final double STEP = RESOLUTION;

    /** Tells whether the transformed row is still fine at log2 of the parameter. */
    @FunctionalInterface
    interface Probe {
        boolean fine(double log2);
    }

    private Headroom() {
    }

    /** {@link #search(Probe, double, double, double, boolean, double[], boolean)} with the bound probed first. */
    static double search(Probe probe, double min, double max, double start, boolean startFine, double[] guesses) {
        return search(probe, min, max, start, startFine, guesses, true);
    }

    /**
     * The largest 2^x in [2^min, 2^max] with probe fine (to within {@link #RESOLUTION} in x).
     *
     * @param start      the first anchor, in [min, max]
     * @param startFine  the probe's verdict at start (the caller may already know it)
     * @param guesses    log2 of where the path may break; any order, values outside the bracket and NaN ignored
     * @param boundFirst when start is fine, probe the bound max before the guesses: right when the path is likely
     *                   fine there (one probe ends the search). When it is likely to break there (an offset beyond
     *                   the format's largest value), false saves that probe: the guesses and the gallop bracket the
     *                   break, and the bound is probed only if they all stay fine up to it.
     * @return 0 when even 2^min fails, 2^max when 2^max is fine
     */
    static double search(Probe probe, double min, double max, double start, boolean startFine, double[] guesses,
                         boolean boundFirst) {
        double good;
        double bad;
        boolean badProbed; // bad is a probed failure (else it is the bound max, not probed yet)
        if (startFine) {
            if (start >= max) {
                return Math.pow(2, max);
            }
            if (boundFirst && probe.fine(max)) {
                return Math.pow(2, max);
            }
            good = start;
            bad = max;
            badProbed = boundFirst;
        } else {
            if (start <= min || !probe.fine(min)) {
                return 0.0;
            }
            good = min;
            bad = start;
            badProbed = true;
        }
        double[] sorted = guesses.clone();
        Arrays.sort(sorted); // NaN sorts last and fails the bracket test below
        double last = Double.NaN;
        boolean lastFine = false;
        for (double g : sorted) {
            if (!(g > good && g < bad)) {
                continue;
            }
            last = g;
            lastFine = probe.fine(g);
            if (lastFine) {
                good = g;
            } else {
                bad = g;
                badProbed = true;
                break;
            }
        }
        if (last == last || !badProbed) {
            // gallop from the last guess (or, with the bound not probed and no guess, from the start) towards the
            // other end, until the verdict changes; the unprobed bound is probed only when a step would pass it
            boolean up = !badProbed || lastFine;
            double step = STEP;
            while (bad - good > RESOLUTION) {
                double x = up ? good + step : bad - step;
                if (!badProbed && x >= bad) {
                    if (probe.fine(max)) {
                        return Math.pow(2, max);
                    }
                    badProbed = true;
                    break;
                }
                if (!(x > good && x < bad)) {
                    break;
                }
                boolean fine = probe.fine(x);
                if (fine) {
                    good = x;
                } else {
                    bad = x;
                    badProbed = true;
                }
                if (fine != up) {
                    break;
                }
                step *= 4;
            }
        }
        while (bad - good > RESOLUTION) {
            double mid = 0.5 * (good + bad);
            if (probe.fine(mid)) {
                good = mid;
            } else {
                bad = mid;
            }
        }
        return Math.pow(2, good);
    }

    /**
     * log2 of the factors f at which f·z may break at precision p: f·max|z| or f·(max - min) rounding to infinity
     * ({@link #overflow}), f·max z or f·(max - min) reaching ln of it (e^z overflowing), f·(max - z_label) reaching
     * -ln of the smallest subnormal (p_label underflowing to 0) or ln of the largest finite value (1/p_label
     * overflowing, in a backward pass through the probabilities).
     *
     * @param labelLogit z_label, or NaN for a dense target
     */
    static double[] scaleGuesses(double maxLogit, double minLogit, double maxAbs, double labelLogit, Precision p) {
        double big = overflow(p);
        double logBig = Math.log(p.maxFinite());
        double logTiny = -Math.log(p.minSubnormal());
        double spread = maxLogit - minLogit;
        double gap = maxLogit - labelLogit;
        return new double[] {log2(big / maxAbs), log2(big / spread), log2(logBig / maxLogit), log2(logBig / spread),
            log2(logTiny / gap), log2(logBig / gap)};
    }

    /**
     * log2 of the offsets c at which z + c may break: the largest logit rounding to infinity, or reaching ln of the
     * largest finite value.
     */
    static double[] offsetUpGuesses(double maxLogit, Precision p) {
        double big = overflow(p);
        return new double[] {log2(big - maxLogit), log2(Math.log(p.maxFinite()) - maxLogit)};
    }

    /**
     * log2 of the offsets c at which z - c may break: the smallest logit rounding to minus infinity,
     * e^(z - c) underflowing for the label or for every logit.
     */
    static double[] offsetDownGuesses(double maxLogit, double minLogit, double labelLogit, Precision p) {
        double big = overflow(p);
        double logTiny = -Math.log(p.minSubnormal());
        return new double[] {log2(big + minLogit), log2(logTiny + labelLogit), log2(logTiny + maxLogit)};
    }

    /**
     * The smallest magnitude that rounds to infinity in p: the largest finite value plus half its ulp (a value
     * between them rounds down, to nearest), where a rounded logit or difference first overflows. In bf16 it is
     * 2^-9 above the largest finite value in log2, several times the resolution; fp64 gives its largest value
     * (the threshold is not a double).
     */
    static double overflow(Precision p) {
        double big = p.maxFinite();
        return p == Precision.FP64 ? big : big + p.ulp(big) / 2;
    }

    /** Whether an offset search's bound lies beyond p's largest finite value, where the search should not start. */
    static boolean offsetBoundBeyondRange(Precision p) {
        return p.maxFinite() < Math.pow(2, OFFSET_MAX_LOG2);
    }

    /** log2 x for a positive finite x, else NaN (no guess). */
    private static double log2(double x) {
        return x > 0 && Double.isFinite(x) ? Math.log(x) / Math.log(2) : Double.NaN;
    }
}
