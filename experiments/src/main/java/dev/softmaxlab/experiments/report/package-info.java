/**
 * Reports and their JSON: the configured {@link dev.softmaxlab.experiments.report.Json} mapper (strict RFC 8259,
 * non-finite numbers as the strings "NaN", "Infinity", "-Infinity"), atomic file writes, and provenance; and the
 * training report ({@code softmaxlab.report/1}): {@link dev.softmaxlab.experiments.report.TrainingReport} with one
 * {@link dev.softmaxlab.experiments.report.TrainingRun} per path and precision, its logged
 * {@link dev.softmaxlab.experiments.report.StepRecord}s, {@link dev.softmaxlab.experiments.report.EvalRecord}s and
 * {@link dev.softmaxlab.experiments.report.RunSummary}, with wall-clock figures kept apart in
 * {@link dev.softmaxlab.experiments.report.RunTiming}.
 */
package dev.softmaxlab.experiments.report;
