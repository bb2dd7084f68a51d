package dev.softmaxlab.app.cli;

/** Every exit code the tool returns, in one place. */
public final class ExitCodes {

    /** Success. */
    public static final int OK = 0;
    /** An internal error: a bug, or an I/O failure the user did not cause. */
    public static final int INTERNAL = 1;
    /** Bad input: a flag, a file, a spec. One line on stderr says which and how to fix it. */
    public static final int BAD_INPUT = 2;
    /** The run finished but a {@code --fail-on} condition or a spec's expectation held it to account. */
    public static final int CHECK_FAILED = 3;

    // The help footers' lines, built from the codes above (compile-time constants, so annotations can use them).

    /** For commands that either work or refuse their input. */
    public static final String HELP = "Exit codes: " + OK + " ok, " + BAD_INPUT
            + " bad input (one line on stderr says what to fix), " + INTERNAL + " internal error.";
    /** For commands that also check their results ({@code --fail-on}). */
    public static final String HELP_WITH_CHECKS = "Exit codes: " + OK + " ok, " + BAD_INPUT
            + " bad input (one line on stderr says what to fix), " + CHECK_FAILED + " a --fail-on condition held, "
            + INTERNAL + " internal error.";
    /** For sweep and merge: runs and expectations. */
    public static final String HELP_SWEEP = "Exit codes: " + OK
            + " all runs succeeded and every expectation held; " + CHECK_FAILED
            + " an expectation failed or a run failed (see summary.json); " + BAD_INPUT + " bad spec or flag; "
            + INTERNAL + " internal error.";
    /** For bench: the bit check of the fast kernels before timing. */
    public static final String HELP_BENCH = "Exit codes: " + OK + " ok, " + BAD_INPUT
            + " bad input (one line on stderr says what to fix), " + CHECK_FAILED
            + " a fast kernel did not give its reference's bits, " + INTERNAL + " internal error.";
    /** For validate. */
    public static final String HELP_VALIDATE = "Exit codes: " + OK + " valid, " + BAD_INPUT + " not valid.";
    /** The root command's summary. */
    public static final String HELP_ROOT = "Exit codes: " + OK + " ok, " + INTERNAL + " internal error, " + BAD_INPUT
            + " bad input, " + CHECK_FAILED + " a check failed.";

    private ExitCodes() {
    }
}
