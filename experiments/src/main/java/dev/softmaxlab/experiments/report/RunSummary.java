package dev.softmaxlab.experiments.report;

/**
 * The end state of one path's run: what a sweep's summary table and a spec's expectations read.
 * Field names are part of the report schema and of the spec language ({@code "metric":"finalTestAccuracy"}).
 *
 * @param status             {@code completed}, or {@code stopped} when {@code onNonfinite=stop} ended the run early
 * @param stepsRun           optimizer steps taken (including skipped ones)
 * @param firstNonFiniteStep the first step whose loss or logit gradient held a non-finite value; null if none
 * @param skippedSteps       updates withheld: under {@code onNonfinite=skip}, and the stopping step under {@code stop}
 * @param totalNonFinite     non-finite values in losses and logit gradients over the run
 * @param finalMeanLse       the last step's batch mean log-sum-exp of the logits ({@link StepRecord#meanLse})
 * @param maxMeanLse         the largest batch mean log-sum-exp over every step (NaN if any was NaN)
 * @param maxAbsLogitMax     the largest max |logit| over every step (NaN if any was NaN)
 * @param events             event totals over the run
 */
public record RunSummary(String status, int stepsRun, double finalTrainLoss, double finalTrainAccuracy,
                         double finalTestLoss, double finalTestAccuracy, Integer firstNonFiniteStep,
                         int skippedSteps, long totalNonFinite, double finalMeanLse, double maxMeanLse,
                         double maxAbsLogitMax, EventCounts events) {
}
