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
 *   <li>clamp: the row's max |logit| is one same value (the most common one) in many rows: a clamp or soft-cap at
 *       that value.</li>
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
    private final Map<Double, Long> maxAbsCounts = new HashMap<>();

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
        if (r.maxAbsLogit > 0) {
            maxAbsCounts.merge(r.maxAbsLogit, 1L, Long::sum);
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
        for (Map.Entry<Double, Long> e : maxAbsCounts.entrySet()) {
            if (e.getValue() > modeCount || (e.getValue() == modeCount && e.getKey() < mode)) {
                mode = e.getKey();
                modeCount = e.getValue();
            }
        }
        if (evaluated >= 2 && modeCount >= 2 && modeCount >= MISUSE_FRACTION * evaluated) {
            out.add(new AuditReport.Misuse("clamp", (double) modeCount / evaluated, modeCount,
                    "max |logit| is exactly " + mode + " in " + modeCount + " rows: the logits look clamped or "
                            + "soft-capped at " + mode));
        }
        return out;
    }
}
