package dev.softmaxlab.experiments.audit;

import dev.softmaxlab.core.numeric.NumericEvents;

import java.util.Arrays;

/**
 * What one row gave: its input statistics, its exact reference, and per path × precision (combo, path-major) the
 * loss, its errors, the events and the headroom. Mutable and reused from block to block; filled by one worker, read by
 * the merging thread after the block is done.
 */
public final class RowRecord {

    long index;
    /** The sparse label, or -1 for a dense target. */
    long label;
    /** A padding row (label = ignore index): nothing else is filled. */
    boolean skipped;
    /** All logits finite, so the exact reference exists. */
    boolean hasReference;
    int nonFiniteLogits;
    double maxLogit;
    double minLogit;
    double maxAbsLogit;
    double exactLoss;
    double exactLossLo;
    double pLabel;
    double entropy;
    double logSumExp;
    boolean probabilityLike;
    boolean logProbabilityLike;

    final double[] loss;
    final double[] lossUlps;
    final double[] lossRelative;
    final double[] gradientMaxAbs;
    final double[] gradientCosine;
    final double[] labelRelative;
    final boolean[] broken;
    final NumericEvents[] events;
    /** Headroom per combo; NaN when the row is not sampled. Values at the search bound mean "at least". */
    final double[] headroomScale;
    final double[] headroomOffsetUp;
    final double[] headroomOffsetDown;
    boolean sampled;

    RowRecord(int combos) {
        loss = new double[combos];
        lossUlps = new double[combos];
        lossRelative = new double[combos];
        gradientMaxAbs = new double[combos];
        gradientCosine = new double[combos];
        labelRelative = new double[combos];
        broken = new boolean[combos];
        events = new NumericEvents[combos];
        for (int k = 0; k < combos; k++) {
            events[k] = new NumericEvents();
        }
        headroomScale = new double[combos];
        headroomOffsetUp = new double[combos];
        headroomOffsetDown = new double[combos];
    }

    void reset(long index, long label) {
        this.index = index;
        this.label = label;
        skipped = false;
        hasReference = false;
        nonFiniteLogits = 0;
        sampled = false;
        exactLoss = Double.NaN;
        exactLossLo = 0;
        pLabel = Double.NaN;
        entropy = Double.NaN;
        logSumExp = Double.NaN;
        Arrays.fill(headroomScale, Double.NaN);
        Arrays.fill(headroomOffsetUp, Double.NaN);
        Arrays.fill(headroomOffsetDown, Double.NaN);
        Arrays.fill(loss, Double.NaN);
        Arrays.fill(lossUlps, Double.NaN);
        Arrays.fill(lossRelative, Double.NaN);
        Arrays.fill(gradientMaxAbs, Double.NaN);
        Arrays.fill(gradientCosine, Double.NaN);
        Arrays.fill(labelRelative, Double.NaN);
        Arrays.fill(broken, false);
        for (NumericEvents e : events) {
            e.reset();
        }
    }

    public long index() {
        return index;
    }

    public long label() {
        return label;
    }

    public boolean skipped() {
        return skipped;
    }

    public double maxLogit() {
        return maxLogit;
    }

    /** max - min over the finite logits. */
    public double spread() {
        return maxLogit - minLogit;
    }

    public double pLabel() {
        return pLabel;
    }

    public double exactLoss() {
        return exactLoss;
    }

    public double loss(int combo) {
        return loss[combo];
    }

    public double lossUlps(int combo) {
        return lossUlps[combo];
    }

    public double lossRelative(int combo) {
        return lossRelative[combo];
    }

    public boolean broken(int combo) {
        return broken[combo];
    }

    public double entropy() {
        return entropy;
    }

    public boolean sampled() {
        return sampled;
    }

    public double headroomScale(int combo) {
        return headroomScale[combo];
    }

    public double headroomOffsetUp(int combo) {
        return headroomOffsetUp[combo];
    }

    public double headroomOffsetDown(int combo) {
        return headroomOffsetDown[combo];
    }

    public double gradientMaxAbs(int combo) {
        return gradientMaxAbs[combo];
    }

    public double gradientCosine(int combo) {
        return gradientCosine[combo];
    }

    public double labelRelative(int combo) {
        return labelRelative[combo];
    }

    public int nonFiniteLogits() {
        return nonFiniteLogits;
    }
}
