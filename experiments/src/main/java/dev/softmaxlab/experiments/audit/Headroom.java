package dev.softmaxlab.experiments.audit;

/**
 * Headroom of one row for one path at one precision, found by bisection on the actual arithmetic (the path is run on
 * transformed logits; nothing is inferred from a formula):
 * <ul>
 *   <li>scale: the largest factor f with f·z still fine, searched over f in [2^-20, 2^20];</li>
 *   <li>offset up / down: the largest c with z + c (resp. z - c) still fine, c in [2^-10, 2^130].</li>
 * </ul>
 * "Fine" is {@link RowAuditor#fine}: loss and gradient finite, and the loss not lost to 0 where it cannot be 0.
 * The search first brackets from the untransformed row (f = 1, c = 1), then halves the bracket in log2 space
 * {@link #STEPS} times: the scale to within 0.4% (20 octaves / 2^12), an offset to within 2.2% (130 / 2^12). A result at the bound means "at least"; 0 means it is not fine even at
 * the smallest value tried. A path whose failure is not monotone in f may hide a failure between probes; the search
 * reports the largest probe found fine below the first failure it brackets.
 */
final class Headroom {

    static final double SCALE_MIN_LOG2 = -20;
    static final double SCALE_MAX_LOG2 = 20;
    static final double OFFSET_MIN_LOG2 = -10;
    static final double OFFSET_MAX_LOG2 = 130;
    static final int STEPS = 12;

    /** Tells whether the transformed row is still fine at log2 of the parameter. */
    @FunctionalInterface
    interface Probe {
        boolean fine(double log2);
    }

    private Headroom() {
    }

    /**
     * The largest 2^x in [2^min, 2^max] with probe fine, given that start (in range) is the natural first probe.
     * Returns 0 when even 2^min fails, 2^max when 2^max is fine.
     */
    static double search(Probe probe, double min, double max, double start) {
        double good;
        double bad;
        if (probe.fine(start)) {
            if (probe.fine(max)) {
                return Math.pow(2, max);
            }
            good = start;
            bad = max;
        } else {
            if (!probe.fine(min)) {
                return 0.0;
            }
            good = min;
            bad = start;
        }
        for (int i = 0; i < STEPS; i++) {
            double mid = 0.5 * (good + bad);
            if (probe.fine(mid)) {
                good = mid;
            } else {
                bad = mid;
            }
        }
        return Math.pow(2, good);
    }
}
