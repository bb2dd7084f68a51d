package dev.softmaxlab.core.kernel;

/**
 * The clip's event, {@code clipped}: how many probabilities of a row lie outside [lo, hi]. One home for the rule,
 * used by the reference ({@code ProbabilityCrossEntropyModule}) and by the scalar separate kernels; the vector
 * kernels count the same comparisons with masks in their division loop. A sparse separate kernel of the clipped
 * form leaves the count of a row it accepts in {@code scratch[}{@value #SCRATCH_SLOT}{@code ]}
 * ({@link SeparateSparseRowKernel}), so the count is taken in the kernel's pass, on the threads, while the row is
 * in cache.
 */
public final class ClipCount {

    /** Where a sparse kernel of the clipped form leaves an accepted row's count in its scratch. */
    public static final int SCRATCH_SLOT = 0;

    private ClipCount() {
    }

    /**
     * How many of p[from, from + classes) lie outside [lo, hi] (a NaN lies inside: it compares false both ways).
     *
     * @param p probabilities, not modified
     */
    public static int outside(double[] p, int from, int classes, double lo, double hi) {
        // an int per row (C < 2^31) and no short-circuit: a loop C2 turns into vector compares and blends
        int clipped = 0;
        for (int j = from; j < from + classes; j++) {
            double pj = p[j];
            clipped += (pj < lo | pj > hi) ? 1 : 0;
        }
        return clipped;
    }
}
