package dev.softmaxlab.core.kernel;

/**
 * The finite events a counting row kernel may leave behind in a row it accepts: how many results were subnormal in the
 * compute format ({@code subnormal}) and how many exps of a finite argument gave 0 ({@code expUnderflow}). Neither
 * changes a value or {@code firstNonFinite}, so a kernel that rounds such results as the format does (and not only
 * its normal numbers) may keep the row and report the counts, instead of handing the whole row to the instrumented
 * reference. One home for where the counts travel: the kernel's per-thread scratch, after {@link ClipCount}'s slot,
 * written when the row is accepted and read by the caller right after the call.
 *
 * <p>Which results count is the reference's rule ({@code CountedArithmetic}): a non-zero result below the format's
 * smallest normal is {@code subnormal} (a zero result of +, -, ·, / is nothing), an exp that rounds to 0 is
 * {@code expUnderflow}.
 */
public final class RowEvents {

    /** Where an accepted row's {@code subnormal} count is left in the kernel's scratch. */
    public static final int SUBNORMAL_SLOT = ClipCount.SCRATCH_SLOT + 1;
    /** Where an accepted row's {@code expUnderflow} count is left in the kernel's scratch. */
    public static final int EXP_UNDERFLOW_SLOT = ClipCount.SCRATCH_SLOT + 2;

    private RowEvents() {
    }

    /** Leaves the row's counts in scratch (Modified). */
    public static void set(double[] scratch, long subnormal, long expUnderflow) {
        scratch[SUBNORMAL_SLOT] = subnormal;
        scratch[EXP_UNDERFLOW_SLOT] = expUnderflow;
    }

    /** Zero counts: a row of a kernel that accepts only rows with no event. */
    public static void clear(double[] scratch) {
        set(scratch, 0, 0);
    }

    /** Whether the counts left in scratch are both zero. */
    public static boolean none(double[] scratch) {
        return scratch[SUBNORMAL_SLOT] == 0.0 && scratch[EXP_UNDERFLOW_SLOT] == 0.0;
    }

    /**
     * How many of a[from, to) are zero (the exps of a row that underflowed: every exp argument of a row the kernels
     * accept is finite, so a zero there is an {@code expUnderflow}).
     *
     * @param a not modified
     */
    public static int zeros(double[] a, int from, int to) {
        int n = 0;
        for (int j = from; j < to; j++) {
            n += a[j] == 0.0 ? 1 : 0;
        }
        return n;
    }

    /**
     * How many of a[from, to) are non-zero with a magnitude below minNormal (subnormal results, when a holds values
     * of the format).
     *
     * @param a not modified
     */
    public static int subnormals(double[] a, int from, int to, double minNormal) {
        int n = 0;
        for (int j = from; j < to; j++) {
            double x = Math.abs(a[j]);
            n += (x != 0.0 & x < minNormal) ? 1 : 0;
        }
        return n;
    }

    /** 1 when x is non-zero with a magnitude below minNormal, else 0 (NaN gives 0). */
    public static int subnormal(double x, double minNormal) {
        double a = Math.abs(x);
        return a != 0.0 && a < minNormal ? 1 : 0;
    }
}
