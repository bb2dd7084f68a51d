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

    private ExitCodes() {
    }
}
