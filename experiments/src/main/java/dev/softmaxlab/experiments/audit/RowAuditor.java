package dev.softmaxlab.experiments.audit;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.core.exact.DoubleDouble;
import dev.softmaxlab.core.exact.ExactLossHead;
import dev.softmaxlab.core.loss.LossInput;
import dev.softmaxlab.core.loss.LossOptions;
import dev.softmaxlab.core.loss.LossPath;
import dev.softmaxlab.core.loss.LossResult;
import dev.softmaxlab.core.loss.Targets;
import dev.softmaxlab.core.numeric.ErrorMetrics;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;

/**
 * One worker's evaluation of a row: statistics, the exact reference, every path at every precision through the
 * {@link LossPath} API (the tensor's own values, each path rounding them to its precision as it always does), the
 * errors against the reference ({@link #evaluate}), and for sampled rows the headroom searches, one at a time
 * ({@link #headroom}). Not thread-safe: one per worker, its buffers reused.
 */
final class RowAuditor {

    /** A row is probabilities when all values are in [0, 1] and they sum to 1 within this. */
    static final double PROBABILITY_SUM_TOLERANCE = 1e-2;
    /** A row is log-probabilities when its log-sum-exp is within this of 0. */
    static final double LOG_SUM_EXP_TOLERANCE = 1e-2;

    private final AuditConfig config;
    private final ExactLossHead exact;
    private final LossResult[] results;
    /** [combos] the options each combo's path evaluates with (fixed, so the paths' per-options caches hold). */
    private final LossOptions[] options;
    private final int[] label1 = new int[1];
    private double[] row = new double[0];
    private double[] target = new double[0];
    private double[] transformed = new double[0];
    /** Nanoseconds this worker spent on the exact reference, the paths, and the headroom searches. */
    long exactNanos;
    long pathNanos;
    long headroomNanos;

    RowAuditor(AuditConfig config) {
        this.config = config;
        this.results = new LossResult[config.combos()];
        this.options = new LossOptions[config.combos()];
        for (int k = 0; k < results.length; k++) {
            results[k] = new LossResult();
            options[k] = config.options(k);
        }
        LossOptions o = config.lossOptions();
        this.exact = new ExactLossHead(o.labelSmoothing(),
                o.classWeights().isUniform() ? null : o.classWeights().toArray(), o.zLoss(),
                o.softcap().orElse(Double.NaN));
    }

    /**
     * Evaluates one row into rec: everything but the headroom, which {@link #headroom} adds afterwards (so that a
     * sampled row's searches can be spread over the workers).
     *
     * @param z       the block's logits, the row at [offset, offset + c)
     * @param t       the block's dense targets at the same offset, or null for a sparse label
     * @param sampled whether this row gets a headroom search
     */
    void evaluate(double[] z, int offset, int c, long label, double[] t, long index, boolean sampled, RowRecord rec) {
        rec.reset(index, t == null ? label : -1);
        if (t == null && label == config.ignoreIndex()) {
            rec.skipped = true;
            return;
        }
        int y = load(z, offset, c, label, t);
        statistics(rec, c);
        if (t != null) {
            checkTarget(index, c);
        }
        long t0 = System.nanoTime();
        rec.hasReference = rec.nonFiniteLogits == 0 && exact.evaluate(row, 0, c, y, target, 0);
        exactNanos += System.nanoTime() - t0;
        if (rec.hasReference) {
            rec.exactLoss = exact.loss().hi();
            rec.exactLossLo = exact.loss().lo();
            rec.logSumExp = exact.logSumExp().hi();
            rec.entropy = exact.entropy();
            rec.pLabel = y >= 0 ? exact.probabilities()[y] : Double.NaN;
            rec.logProbabilityLike = Math.abs(rec.logSumExp) <= LOG_SUM_EXP_TOLERANCE;
        }
        boolean labelMayVanish = y >= 0 && uniqueMax(row, c, y);
        LossInput input = input(row, c, y);
        for (int k = 0; k < results.length; k++) {
            LossPath path = config.path(k);
            PrecisionSpec spec = config.precision(k);
            LossResult r = results[k];
            long p0 = System.nanoTime();
            path.evaluate(input, options[k], spec, r);
            pathNanos += System.nanoTime() - p0;
            rec.events[k].merge(r.events());
            double loss = r.loss();
            rec.loss[k] = loss;
            rec.broken[k] = !fine(r, c, labelMayVanish);
            if (rec.hasReference) {
                errors(rec, k, r, c, y, spec.compute());
            }
        }
        rec.sampled = sampled && rec.hasReference;
    }

    /** Copies the row (and its dense target) into this worker's buffers; returns the sparse label, or -1. */
    private int load(double[] z, int offset, int c, long label, double[] t) {
        if (row.length != c) {
            row = new double[c];
            target = new double[c];
            transformed = new double[c];
        }
        System.arraycopy(z, offset, row, 0, c);
        if (t != null) {
            System.arraycopy(t, offset, target, 0, c);
            return -1;
        }
        return (int) label;
    }

    /** What a headroom search varies. */
    enum Knob { SCALE, OFFSET_UP, OFFSET_DOWN }

    /**
     * One headroom search of a sampled row that {@link #evaluate} has filled in rec (its statistics and its verdict
     * at the row's own values), for combo k, written to rec. Any worker may run it: the result depends only on the
     * row.
     */
    void headroom(double[] z, int offset, int c, long label, double[] t, RowRecord rec, int k, Knob knob) {
        long h0 = System.nanoTime();
        int y = load(z, offset, c, label, t);
        boolean labelMayVanish = y >= 0 && uniqueMax(row, c, y);
        double labelLogit = y >= 0 ? row[y] : Double.NaN;
        LossPath path = config.path(k);
        PrecisionSpec spec = config.precision(k);
        Precision p = spec.compute();
        LossResult r = results[k];
        LossInput input = input(transformed, c, y);
        switch (knob) {
            case SCALE -> {
                Headroom.Probe scale = log2 -> {
                    double f = Math.pow(2, log2);
                    for (int j = 0; j < c; j++) {
                        transformed[j] = row[j] * f;
                    }
                    path.evaluate(input, options[k], spec, r);
                    return fine(r, c, labelMayVanish);
                };
                // f = 1 is the row itself: its verdict is the row's own evaluation (same values, same arithmetic)
                rec.headroomScale[k] = Headroom.search(scale, Headroom.SCALE_MIN_LOG2, Headroom.SCALE_MAX_LOG2, 0,
                        !rec.broken[k], Headroom.scaleGuesses(rec.maxLogit, rec.minLogit, rec.maxAbsLogit,
                                labelLogit, p));
            }
            case OFFSET_UP, OFFSET_DOWN -> {
                double sign = knob == Knob.OFFSET_UP ? 1 : -1;
                Headroom.Probe shift = log2 -> {
                    double add = sign * Math.pow(2, log2);
                    for (int j = 0; j < c; j++) {
                        transformed[j] = row[j] + add;
                    }
                    path.evaluate(input, options[k], spec, r);
                    return fine(r, c, labelMayVanish);
                };
                double min = Headroom.OFFSET_MIN_LOG2;
                double[] guesses = knob == Knob.OFFSET_UP ? Headroom.offsetUpGuesses(rec.maxLogit, p)
                        : Headroom.offsetDownGuesses(rec.maxLogit, rec.minLogit, labelLogit, p);
                // an offset beyond the format's largest value breaks every path: the bound is probed last there
                double found = Headroom.search(shift, min, Headroom.OFFSET_MAX_LOG2, min, shift.fine(min), guesses,
                        !Headroom.offsetBoundBeyondRange(p));
                if (knob == Knob.OFFSET_UP) {
                    rec.headroomOffsetUp[k] = found;
                } else {
                    rec.headroomOffsetDown[k] = found;
                }
            }
            default -> throw new IllegalStateException(knob.toString());
        }
        headroomNanos += System.nanoTime() - h0;
    }

    private LossInput input(double[] logits, int c, int y) {
        if (y >= 0) {
            label1[0] = y;
            return new LossInput(logits, 1, c, new Targets.Sparse(label1));
        }
        return new LossInput(logits, 1, c, new Targets.Dense(target));
    }

    private void statistics(RowRecord rec, int c) {
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        double maxAbs = 0;
        double sum = 0;
        boolean unit = true;
        int nonFinite = 0;
        for (int j = 0; j < c; j++) {
            double v = row[j];
            if (!Double.isFinite(v)) {
                nonFinite++;
                unit = false;
                continue;
            }
            max = Math.max(max, v);
            min = Math.min(min, v);
            maxAbs = Math.max(maxAbs, Math.abs(v));
            unit &= v >= 0 && v <= 1;
            sum += v;
        }
        rec.nonFiniteLogits = nonFinite;
        rec.maxLogit = max;
        rec.minLogit = min;
        rec.maxAbsLogit = maxAbs;
        rec.probabilityLike = unit && Math.abs(sum - 1) <= PROBABILITY_SUM_TOLERANCE;
    }

    private void checkTarget(long index, int c) {
        double sum = 0;
        for (int j = 0; j < c; j++) {
            double v = target[j];
            if (!(v >= 0) || !Double.isFinite(v)) {
                throw new InvalidInputException("--targets row " + index + ", class " + j + " is " + v
                        + ": target probabilities must be finite and ≥ 0");
            }
            sum += v;
        }
        if (!(Math.abs(sum - 1) <= Targets.SUM_TOLERANCE)) {
            throw new InvalidInputException("--targets row " + index + " sums to " + sum + ": a target must sum to 1 "
                    + "within 1e-6; normalise it (divide each entry by the sum)");
        }
    }

    /** True when label y is strictly the largest logit: only then may the exact loss be so small it rounds to 0. */
    private static boolean uniqueMax(double[] z, int c, int y) {
        for (int j = 0; j < c; j++) {
            if (j != y && !(z[j] < z[y])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Loss and gradient finite, and the loss not 0 where the exact loss is at least log 2 (the label is not the sole
     * largest logit, a property that scaling and offsets keep).
     */
    static boolean fine(LossResult r, int c, boolean labelMayVanish) {
        if (!Double.isFinite(r.loss())) {
            return false;
        }
        if (r.loss() == 0.0 && !labelMayVanish) {
            return false;
        }
        double[] g = r.gradient();
        for (int j = 0; j < c; j++) {
            if (!Double.isFinite(g[j])) {
                return false;
            }
        }
        return true;
    }

    private void errors(RowRecord rec, int k, LossResult r, int c, int y, Precision compute) {
        DoubleDouble ref = exact.loss();
        double loss = r.loss();
        if (Double.isFinite(loss)) {
            double diff = Math.abs((loss - ref.hi()) - ref.lo());
            double rounded = ref.round(compute);
            double unit = compute.ulp(rounded);
            rec.lossUlps[k] = diff == 0 ? 0 : Double.isFinite(unit) ? diff / unit : Double.NaN;
            rec.lossRelative[k] = diff == 0 ? 0 : ref.hi() == 0 ? Double.POSITIVE_INFINITY : diff / Math.abs(ref.hi());
        }
        rec.gradientMaxAbs[k] = ErrorMetrics.maxAbsError(r.gradient(), exact.gradient(), 0, c);
        rec.gradientCosine[k] = ErrorMetrics.cosineSimilarity(r.gradient(), exact.gradient(), 0, c);
        if (y >= 0) {
            DoubleDouble gy = exact.labelGradient();
            double g = r.gradient()[y];
            if (Double.isFinite(g)) {
                double diff = Math.abs((g - gy.hi()) - gy.lo());
                rec.labelRelative[k] = diff == 0 ? 0 : gy.hi() == 0 ? Double.POSITIVE_INFINITY : diff / Math.abs(gy.hi());
            }
        }
    }
}
