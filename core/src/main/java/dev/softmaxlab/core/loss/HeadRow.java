package dev.softmaxlab.core.loss;

/**
 * The state of the row a loss head is working on, reused for every row of every evaluation (it lives in the
 * {@link LossResult}, so nothing is allocated per row). {@link RowTargets} fills the target part; the path's row
 * kernel writes the log-sum-exp part that the z-loss reads.
 */
final class HeadRow {

    /** The sparse label in effect (sparse input, no smoothing), or -1 for the dense target in the scratch. */
    int label;
    /** w_y of a sparse row, rounded to the compute format; 1 without class weights. */
    double labelWeight;
    /** Whether class weights are given (so a sparse row's loss and gradient are multiplied by w_y). */
    boolean weighted;
    /** Σ_c q_c of the dense target q in effect: 1 without class weights (a distribution), else w-weighted. */
    double mass;

    /** The max the path subtracted (0 for the unshifted softmax of separate-naive). */
    double max;
    /** The path's own sum of exponentials, relative to {@link #max}. */
    double sum;
    /** log of that sum, when the path formed it (fused does, with log1p); see {@link #logSumKnown}. */
    double logSum;
    boolean logSumKnown;

    /** Records the fused paths' log-sum-exp parts: lse = m + logS. */
    void fusedLse(double m, double logS) {
        max = m;
        logSum = logS;
        logSumKnown = true;
    }

    /** Records the separate paths' softmax sum: lse = m + log s, the log taken only when the z-loss needs it. */
    void softmaxSum(double m, double s) {
        max = m;
        sum = s;
        logSumKnown = false;
    }
}
