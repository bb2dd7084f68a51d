package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.exact.ExactCrossEntropy;
import dev.softmaxlab.core.kernel.LaneSums;
import dev.softmaxlab.core.numeric.CountedArithmetic;
import dev.softmaxlab.core.numeric.NumericEvents;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.Arrays;

/**
 * What one evaluation of a path produced. Reusable: a path resizes the buffers only when the shape grows, so a
 * training loop that evaluates the same shape every step allocates nothing.
 *
 * <p>Values are stored as doubles but each is exactly representable in the compute precision. The arrays may be longer
 * than the current shape; only the first {@link #rows()} (resp. rows·classes) entries are valid.
 */
public final class LossResult {

    private double loss;
    private double[] rowLosses = new double[0];
    private boolean[] finishedRows = new boolean[0];
    private double[] gradient = new double[0];
    private double[] probabilities = new double[0];
    private int rows;
    private int classes;
    private final NumericEvents events = new NumericEvents();

    // per-row scratch of the paths, [C] each; a path is stateless, so its working memory lives here
    private double[] scratchLogits = new double[0];
    private double[] scratchTargets = new double[0];
    private double[] scratchUpstream = new double[0];
    private double[] scratchTanh = new double[0];
    private double[] scratchInner = new double[0];
    private double[] scratchInnerGradient = new double[0];
    private final HeadRow headRow = new HeadRow();
    private long ignoredRows;
    private double denominator = Double.NaN;
    private CountedArithmetic arithmetic;
    private final double[] kernelScratch = new double[LaneSums.SCRATCH];
    private ExactCrossEntropy exactReference;

    public LossResult() {
    }

    /** The reduced loss: mean or sum over rows; for {@link Reduction#NONE} the sum over rows. */
    public double loss() {
        return loss;
    }

    /** Per-row loss, [B] (first {@link #rows()} entries valid). Not divided by B under {@code mean}. */
    public double[] rowLosses() {
        return rowLosses;
    }

    /** dLoss/dlogits, [B, C], scaled by the reduction. */
    public double[] gradient() {
        return gradient;
    }

    /** The path's softmax probabilities, [B, C]. */
    public double[] probabilities() {
        return probabilities;
    }

    /** Events of this evaluation only. */
    public NumericEvents events() {
        return events;
    }

    /** Rows whose label was the ignore index: loss 0, gradient 0, probabilities 0, left out of the mean. */
    public long ignoredRows() {
        return ignoredRows;
    }

    /**
     * What {@code mean} divided by: B, or for sparse labels the kept-row count, or Σ_{kept i} w_{y_i} with class
     * weights (0 when every row was ignored); 1 under {@code sum} and {@code none}.
     */
    public double denominator() {
        return denominator;
    }

    public int rows() {
        return rows;
    }

    public int classes() {
        return classes;
    }

    /** Sets the shape, grows the buffers if they are too small, and resets the events. */
    void prepare(int rows, int classes) {
        this.rows = rows;
        this.classes = classes;
        int size = Math.multiplyExact(rows, classes);
        if (rowLosses.length < rows) {
            rowLosses = new double[rows];
            finishedRows = new boolean[rows];
        } else {
            Arrays.fill(finishedRows, 0, rows, false);
        }
        if (gradient.length < size) {
            gradient = new double[size];
            probabilities = new double[size];
        }
        if (scratchLogits.length < classes) {
            scratchLogits = new double[classes];
            scratchTargets = new double[classes];
            scratchUpstream = new double[classes];
            scratchTanh = new double[classes];
            scratchInner = new double[classes];
            scratchInnerGradient = new double[classes];
        }
        events.reset();
        loss = Double.NaN;
        ignoredRows = 0;
        denominator = Double.NaN;
    }

    /** The counting arithmetic for a spec, reused while the spec stays the same. */
    CountedArithmetic arithmetic(PrecisionSpec spec) {
        if (arithmetic == null || !arithmetic.arithmetic().spec().equals(spec)) {
            arithmetic = new CountedArithmetic(spec, events);
        }
        return arithmetic;
    }

    /** The exact reference's scratch, created on first use (only rows that need it pay for it). */
    ExactCrossEntropy exactReference() {
        if (exactReference == null) {
            exactReference = new ExactCrossEntropy();
        }
        return exactReference;
    }

    void setLoss(double loss) {
        this.loss = loss;
    }

    /** [C] scratch: the row's logits rounded to the compute format. */
    double[] scratchLogits() {
        return scratchLogits;
    }

    /** [C] scratch: the row's effective (smoothed, rounded) dense target. */
    double[] scratchTargets() {
        return scratchTargets;
    }

    void setIgnoredRows(long n) {
        this.ignoredRows = n;
    }

    void setDenominator(double d) {
        this.denominator = d;
    }

    /** The state of the row being evaluated (target, weight, log-sum-exp parts). */
    HeadRow headRow() {
        return headRow;
    }

    /** [C] scratch: tanh(z/c) of the softcap, kept for its backward. */
    double[] scratchTanh() {
        return scratchTanh;
    }

    /** [C] scratch: the inner softmax of double-softmax, which the outer loss takes as its logits. */
    double[] scratchInner() {
        return scratchInner;
    }

    /** [C] scratch: the outer loss's gradient with respect to the inner softmax (double-softmax). */
    double[] scratchInnerGradient() {
        return scratchInnerGradient;
    }

    /**
     * [B] which rows a path has already finished for the batch end: their gradient is scaled by the reduction
     * ({@link Reductions#gradientDivisor}) and holds no non-finite value, so {@link Reductions#finish} neither divides
     * nor counts it again. All false after {@link #prepare}; a fast kernel sets a row it accepted.
     */
    boolean[] finishedRows() {
        return finishedRows;
    }

    /** The working memory of a fast row kernel on the evaluating thread. */
    double[] kernelScratch() {
        return kernelScratch;
    }

    /** [C] scratch: the upstream gradient dL/dp of the separate paths. */
    double[] scratchUpstream() {
        return scratchUpstream;
    }
}
