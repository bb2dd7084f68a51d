package dev.softmaxlab.experiments.report;

/**
 * A test-set evaluation of one run's model after {@code step} steps. The loss is the fp64 fused mean cross-entropy,
 * the same yardstick for every path, so runs compare on the model they trained, not on how they compute the loss.
 *
 * @param step         steps taken so far
 * @param testLoss     fp64 fused mean loss on the test split (NaN if the model's logits are)
 * @param testAccuracy share of test rows whose largest logit is the label (a row with a NaN logit counts wrong)
 */
public record EvalRecord(int step, double testLoss, double testAccuracy) {
}
