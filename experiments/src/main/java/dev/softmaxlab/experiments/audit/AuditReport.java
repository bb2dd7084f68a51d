package dev.softmaxlab.experiments.audit;

import dev.softmaxlab.experiments.report.EventCounts;

import java.util.List;

/**
 * The result of an audit, as the {@code softmaxlab.audit/1} document carries it (field names are the JSON names).
 * Errors are over the rows that have an exact reference (all logits finite) and that the path did not break on;
 * broken rows are counted and located separately, so a handful of NaN rows never hides the error of the rest.
 *
 * @param input    the input's statistics
 * @param paths    one entry per path × precision, path-major
 * @param misuse   verdicts on what the tensor looks like, when it does not look like logits
 */
public record AuditReport(InputStats input, List<PathPrecision> paths, List<Misuse> misuse) {

    /**
     * Statistics of the input.
     *
     * @param rows               N, leading dimensions flattened
     * @param classes            C
     * @param dtype              the logits' storage dtype
     * @param shape              the logits' shape as stored
     * @param ignoredRows        rows whose label is the ignore index (skipped)
     * @param rowsWithNonFinite  rows holding a NaN or ±∞ logit (evaluated, counted, no exact reference)
     * @param nonFiniteLogits    NaN and ±∞ logits in all
     * @param logitMin           the smallest finite logit
     * @param logitMax           the largest finite logit
     * @param spread             max - min of a row's finite logits: median and max over rows
     * @param entropy            the softmax's entropy in nats: mean and median over rows with a reference
     * @param confidentRows      rows with p_label &gt; 0.99 (exact), sparse labels only
     */
    public record InputStats(long rows, int classes, String dtype, List<Long> shape, long ignoredRows,
                             long rowsWithNonFinite, long nonFiniteLogits, double logitMin, double logitMax,
                             Spread spread, Entropy entropy, long confidentRows) {
    }

    /** @param median over rows; @param max over rows */
    public record Spread(double median, double max) {
    }

    /** @param mean over rows; @param median over rows */
    public record Entropy(double mean, double median) {
    }

    /** Median, 99th percentile (nearest rank) and max of a per-row error. */
    public record Quantiles(double median, double p99, double max) {
    }

    /**
     * One path at one precision.
     *
     * @param rows                 rows evaluated (padding rows excluded)
     * @param lossMean             the mean of the path's row losses (non-finite if any row's is)
     * @param exactLossMean        the mean of the exact row losses over rows with a reference
     * @param lossErrorUlps        |loss - exact| in ulps of the path's precision
     * @param lossErrorRelative    |loss - exact| / |exact|
     * @param gradientMaxAbsError  max over rows and classes of |g - exact g|
     * @param gradientWorstCosine  the smallest cosine between the gradient and the exact gradient
     * @param labelGradientRelativeErrorMax the largest relative error of the label entry p_y - 1
     * @param events               every event and non-finite value, summed over rows
     * @param brokenRows           rows whose loss or gradient went non-finite, or whose loss was lost to 0
     * @param firstBroken          the first such row, or null
     * @param headroom             the headroom over the sampled rows, or null when none were sampled
     * @param worstRows            the rows with the largest loss error, broken rows first
     */
    public record PathPrecision(String path, String precision, String accumulate, long rows, double lossMean,
                                double exactLossMean, Quantiles lossErrorUlps, Quantiles lossErrorRelative,
                                double gradientMaxAbsError, double gradientWorstCosine,
                                double labelGradientRelativeErrorMax, EventCounts events, long brokenRows,
                                BrokenRow firstBroken, HeadroomSummary headroom, List<WorstRow> worstRows) {
    }

    /** @param op the first operation that went non-finite in the row, or null when the loss was lost to 0 */
    public record BrokenRow(long row, String op, Integer classIndex) {
    }

    /**
     * Headroom over the sampled rows: for each of scale, offsetUp and offsetDown, the smallest and the median over rows
     * of the largest value that is still fine. Values at the search bound mean "at least" (boundReached).
     */
    public record HeadroomSummary(int rows, Range scale, Range offsetUp, Range offsetDown) {
    }

    /** @param min the smallest over rows; @param median over rows; @param bound the search's upper bound */
    public record Range(double min, double median, double bound) {
    }

    /** One of the rows with the largest error. */
    public record WorstRow(long row, long label, double maxLogit, double spread, double pLabel, double loss,
                           double exactLoss, double errorUlps, boolean broken) {
    }

    /**
     * A verdict that the tensor is not what its name says.
     *
     * @param kind     probabilities, logProbabilities or clamp
     * @param fraction the fraction of evaluated rows it holds for
     * @param rows     how many rows
     * @param evidence what was seen, in words
     */
    public record Misuse(String kind, double fraction, long rows, String evidence) {
    }
}
