package dev.softmaxlab.experiments.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One loss path at one precision, trained from the shared initial weights on the shared batch order.
 *
 * @param id         {@code path@precision}, e.g. {@code fused@fp32}: stable and unique within a report
 * @param path       the loss path id (core/NUMERICS.md)
 * @param precision  the loss head's compute precision id
 * @param accumulate the loss head's accumulation precision id
 * @param steps      the logged steps, in step order
 * @param evals      test-set evaluations, in step order
 * @param summary    the end state
 */
@JsonPropertyOrder({"id", "path", "precision", "accumulate", "steps", "evals", "summary"})
public record TrainingRun(String id, String path, String precision, String accumulate, List<StepRecord> steps,
                          List<EvalRecord> evals, RunSummary summary) {

    public TrainingRun {
        steps = List.copyOf(steps);
        evals = List.copyOf(evals);
    }

    /** The id of the run of {@code path} at {@code precision}. */
    public static String idOf(String path, String precision) {
        return path + "@" + precision;
    }
}
