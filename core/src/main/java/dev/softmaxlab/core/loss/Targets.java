package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.InvalidInputException;
import java.util.Objects;

/**
 * The targets of a batch of B rows over C classes: either sparse labels or dense distributions.
 * An invalid target is an error ({@link InvalidInputException} naming the row and the fix), never a NaN.
 */
public sealed interface Targets permits Targets.Sparse, Targets.Dense {

    /** How far a dense row's sum may be from 1. */
    double SUM_TOLERANCE = 1e-6;

    /** Checks the targets against a [rows, classes] batch. */
    void validate(int rows, int classes);

    /**
     * One integer label per row: a class index in [0, C), or the loss head's ignore index (a row left out). Which
     * of the two a label is depends on the head's options, so the range is checked where the options are known,
     * when a path evaluates the batch; here only the count is.
     *
     * @param labels [B]
     */
    record Sparse(int[] labels) implements Targets {
        public Sparse {
            Objects.requireNonNull(labels, "labels");
        }

        @Override
        public void validate(int rows, int classes) {
            if (labels.length != rows) {
                throw new InvalidInputException("labels has " + labels.length + " entries but the batch has "
                        + rows + " rows: give one label per row");
            }
        }
    }

    /**
     * One distribution per row: t_j ≥ 0 and Σ t_j = 1 within 1e-6. One-hot and soft targets are both dense.
     *
     * @param values [B, C] row-major
     */
    record Dense(double[] values) implements Targets {
        public Dense {
            Objects.requireNonNull(values, "values");
        }

        @Override
        public void validate(int rows, int classes) {
            if ((long) rows * classes != values.length) {
                throw new InvalidInputException("target has " + values.length + " values but rows × classes = "
                        + rows + " × " + classes + " = " + (long) rows * classes
                        + ": give one target probability per class, as many as logits");
            }
            for (int i = 0; i < rows; i++) {
                double sum = 0.0;
                for (int j = 0; j < classes; j++) {
                    double t = values[i * classes + j];
                    if (!Double.isFinite(t) || t < 0.0) {
                        throw new InvalidInputException("target value " + t + " in row " + i + ", class " + j
                                + " is invalid: target probabilities must be finite and ≥ 0");
                    }
                    sum += t;
                }
                if (!(Math.abs(sum - 1.0) <= SUM_TOLERANCE)) {
                    throw new InvalidInputException("target row " + i + " sums to " + sum
                            + ": a target must sum to 1 within 1e-6; normalise it (divide each entry by the sum)");
                }
            }
        }
    }
}
