/**
 * {@code softmaxlab audit}: a model's own logits through every loss path at every precision, each row compared with
 * the exact reference ({@link dev.softmaxlab.core.exact.ExactLossHead}, the loss-head options included); errors in
 * ulps of each path's precision, events, rows that break, headroom found by bisection on the actual arithmetic, input statistics and misuse
 * verdicts. {@link dev.softmaxlab.experiments.audit.Auditor} streams the rows and merges results in row order, so the
 * report is the same for any thread count. {@link dev.softmaxlab.experiments.audit.SyntheticLogits} makes realistic
 * logits without a model ({@code softmaxlab logits}).
 */
package dev.softmaxlab.experiments.audit;
