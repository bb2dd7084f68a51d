package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.InvalidInputException;
import java.util.Objects;

/**
 * A batch of logits and its targets. Logits may be non-finite (NaN and ±∞ are legitimate probe input: the paths
 * count what happens); shapes and targets are validated here.
 *
 * @param logits  [B, C] row-major, not modified by any path
 * @param rows    B ≥ 1
 * @param classes C ≥ 1
 * @param targets sparse [B] or dense [B, C]
 * @throws InvalidInputException naming the field, the value and the fix
 */
public record LossInput(double[] logits, int rows, int classes, Targets targets) {

    public LossInput {
        Objects.requireNonNull(logits, "logits");
        Objects.requireNonNull(targets, "targets");
        if (rows < 1) {
            throw new InvalidInputException("rows " + rows + " is invalid: a batch needs at least 1 row");
        }
        if (classes < 1) {
            throw new InvalidInputException("classes " + classes
                    + " is invalid: give at least 1 logit per row");
        }
        if ((long) rows * classes != logits.length) {
            throw new InvalidInputException("logits has " + logits.length + " values but rows × classes = "
                    + rows + " × " + classes + " = " + (long) rows * classes + ": give exactly one logit per class per row");
        }
        targets.validate(rows, classes);
    }

    /** One row of logits with a sparse label. */
    public static LossInput ofLabel(double[] logits, int label) {
        return new LossInput(logits, 1, logits.length, new Targets.Sparse(new int[] {label}));
    }

    /** One row of logits with a dense target. */
    public static LossInput ofTarget(double[] logits, double[] target) {
        return new LossInput(logits, 1, logits.length, new Targets.Dense(target));
    }
}
