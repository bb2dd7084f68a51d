package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.precision.PrecisionSpec;

/**
 * One way of computing softmax cross-entropy and its gradient with respect to the logits.
 * Implementations are stateless and thread-safe; all state is in the {@link LossResult}.
 */
public interface LossPath {

    /** The id used verbatim in the CLI, JSON and README: fused, separate, separate-naive, separate-clipped. */
    String id();

    /**
     * Forward and backward over a batch. The logits are first rounded to the compute precision.
     * {@code out}'s events are reset and then count this evaluation only.
     */
    void evaluate(LossInput input, LossOptions options, PrecisionSpec precision, LossResult out);
}
