package dev.softmaxlab.core.loss;

import java.util.Objects;

/**
 * A batch of logits and its targets.
 *
 * @param logits  [B, C] row-major, not modified by any path
 * @param rows    B ≥ 1
 * @param classes C ≥ 1
 * @param targets sparse [B] or dense [B, C]
 */
public record LossInput(double[] logits, int rows, int classes, Targets targets) {

    public LossInput {
        Objects.requireNonNull(logits, "logits");
        Objects.requireNonNull(targets, "targets");
        // validation of shapes and targets: TODO (core)
    }
}
