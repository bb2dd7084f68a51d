package dev.softmaxlab.experiments.audit;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The input's statistics and the misuse verdicts, fed in row order.
 *
 * <p>Misuse (each verdict given when it holds for at least {@link #MISUSE_FRACTION} of the evaluated rows):
 * <ul>
 *   <li>probabilities: all values in [0, 1] summing to 1 within 1e-2: a softmax was already applied, and a
 *       from-logits loss on them is a double softmax;</li>
 *   <li>logProbabilities: log-sum-exp within 1e-2 of 0: log-softmax outputs, harmless for fused but not logits;</li>
 *   <li>clamp: the row's largest logit is one same value c (the most common one) in many rows, and no row goes
 *       above it: a clamp or soft-cap at c. Only the top is judged, where a cap acts on the logits that matter: a
 *       repeated minimum is no evidence, since the far tail of a large vocabulary sits near one value in every row,
 *       and low-precision storage (bf16 steps 0.125 apart near 17) makes it the same value. A row maximum that
 *       repeats by the same rounding is told apart by the rows above it.</li>
 * </ul>
 */
final class InputAccumulator {

    /** A verdict needs this fraction of the rows. */
    static final double MISUSE_FRACTION = 0.5;

    private long rows;
    private long ignored;
    private long evaluated;
    private long rowsWithNonFinite;
    private long nonFiniteLogits;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private final Quantile spread = new Quantile();
    private final Quantile entropy = new Quantile();
    private double entropySum;
    private long confident;
    private long probabilityRows;
    private long logProbabilityRows;
    /** How many rows have each row maximum (finite rows only). */
    private final Map<Double, Long> rowMaxCounts = new HashMap<>();

    void add(RowRecord r) {
        rows++;
        if (r.skipped) {
            ignored++;
            return;
        }
        evaluated++;
        if (r.nonFiniteLogits > 0) {
            rowsWithNonFinite++;
            nonFiniteLogits += r.nonFiniteLogits;
        }
        if (r.maxLogit >= r.minLogit) {
            min = Math.min(min, r.minLogit);
            max = Math.max(max, r.maxLogit);
            spread.add(r.spread());
        }
        if (r.hasReference) {
            entropy.add(r.entropy);
            entropySum += r.entropy;
            if (r.pLabel > 0.99) {
                confident++;
            }
        }
        if (r.probabilityLike) {
            probabilityRows++;
        }
        if (r.logProbabilityLike) {
            logProbabilityRows++;
        }
        if (Double.isFinite(r.maxLogit)) {
            rowMaxCounts.merge(r.maxLogit, 1L, Long::sum);
        }
    }

    AuditReport.InputStats stats(int classes, String dtype, long[] shape) {
        return new AuditReport.InputStats(rows, classes, dtype, Arrays.stream(shape).boxed().toList(), ignored,
                rowsWithNonFinite, nonFiniteLogits, evaluated == 0 || min > max ? Double.NaN : min,
                evaluated == 0 || min > max ? Double.NaN : max,
                new AuditReport.Spread(spread.quantile(0.5), spread.max()),
                new AuditReport.Entropy(entropy.size() == 0 ? Double.NaN : entropySum / entropy.size(),
                        entropy.quantile(0.5)), confident);
    }

    List<AuditReport.Misuse> misuse() {
        java.util.ArrayList<AuditReport.Misuse> out = new java.util.ArrayList<>();
        if (evaluated == 0) {
            return out;
        }
        if (probabilityRows >= MISUSE_FRACTION * evaluated) {
            out.add(new AuditReport.Misuse("probabilities", (double) probabilityRows / evaluated, probabilityRows,
                    "rows are all in [0, 1] and sum to 1: these are probabilities (softmax already applied); a "
                            + "from-logits loss on them applies softmax twice"));
        } else if (logProbabilityRows >= MISUSE_FRACTION * evaluated) {
            out.add(new AuditReport.Misuse("logProbabilities", (double) logProbabilityRows / evaluated,
                    logProbabilityRows, "rows have log-sum-exp ≈ 0: these are log-probabilities (log_softmax "
                    + "applied); harmless for fused, but not logits"));
        }
        double mode = Double.NaN;
        long modeCount = 0;
        double top = Double.NEGATIVE_INFINITY;
        for (Map.Entry<Double, Long> e : rowMaxCounts.entrySet()) {
            top = Math.max(top, e.getKey());
            if (e.getValue() > modeCount || (e.getValue() == modeCount && e.getKey() < mode)) {
                mode = e.getKey();
                modeCount = e.getValue();
            }
        }
        // the pinned value must also be the largest row maximum: a cap leaves no row above it
        if (evaluated >= 2 && modeCount >= 2 && modeCount >= MISUSE_FRACTION * evaluated && mode == top) {
            out.add(new AuditReport.Misuse("clamp", (double) modeCount / evaluated, modeCount,
                    "the largest logit is exactly " + mode + " in " + modeCount + " rows and no row goes above it: "
                            + "the logits look clamped or soft-capped at " + mode));
        }
        return out;
    }
}
