package dev.softmaxlab.experiments.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.softmaxlab.core.numeric.FirstNonFinite;

/**
 * One logged optimizer step of one run. Values are what the run's loss path produced on that step's batch;
 * non-finite values are kept (and written as "NaN"/"Infinity"), never clamped.
 *
 * @param step               1-based step number
 * @param loss               the path's reduced batch loss
 * @param accuracy           share of the batch whose largest logit is the label (a row with a NaN logit counts wrong)
 * @param logitGradientNorm  L2 norm of dLoss/dlogits over the batch
 * @param paramGradientNorm  L2 norm of dLoss/dparameters
 * @param maxAbsLogit        max |logit| of the batch, after the logit scale
 * @param meanLse            mean over the batch's rows of log Σ_j exp(z_j), in fp64 from the logits rounded to the
 *                           run's precision (the logits its loss saw, before any soft-cap): the log-partition z-loss
 *                           pulls toward 0
 * @param skipped            true when {@code onNonfinite=skip} (or {@code stop}) withheld this step's update
 * @param events             this step's numeric events
 * @param firstNonFinite     the step's first operation that turned finite operands non-finite, or null
 * @param error              the path against the fp64 fused result on the same logits rounded to the run's precision
 */
@JsonPropertyOrder({"step", "loss", "accuracy", "logitGradientNorm", "paramGradientNorm", "maxAbsLogit", "meanLse", "skipped",
    "events", "firstNonFinite", "error"})
public record StepRecord(int step, double loss, double accuracy, double logitGradientNorm, double paramGradientNorm,
                         double maxAbsLogit, double meanLse, boolean skipped, EventCounts events, FirstNonFinite firstNonFinite,
                         ReferenceError error) {
}
