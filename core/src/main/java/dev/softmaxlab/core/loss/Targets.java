package dev.softmaxlab.core.loss;

/**
 * The targets of a batch of B rows over C classes: either sparse labels or dense distributions.
 * An invalid target is an error ({@link IllegalArgumentException} naming the row and the fix), never a NaN.
 */
public sealed interface Targets permits Targets.Sparse, Targets.Dense {

    /** Checks the targets against a [rows, classes] batch. */
    void validate(int rows, int classes);

    /**
     * One integer label per row, in [0, C).
     *
     * @param labels [B]
     */
    record Sparse(int[] labels) implements Targets {
        @Override
        public void validate(int rows, int classes) {
            throw new UnsupportedOperationException("TODO");
        }
    }

    /**
     * One distribution per row: t_j ≥ 0 and Σ t_j = 1 within 1e-6. One-hot and soft targets are both dense.
     *
     * @param values [B, C] row-major
     */
    record Dense(double[] values) implements Targets {
        @Override
        public void validate(int rows, int classes) {
            throw new UnsupportedOperationException("TODO");
        }
    }
}
