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
 *
 * <p>The probabilities [B, C] are an output a caller asks for: {@code new LossResult()} keeps them,
 * {@link #withoutProbabilities()} does not, and then the {@code fused} path's memory beyond the logits and the
 * gradient is O(B + C) (its fast kernels form the gradient in place). Every other output has the same bits either
 * way. Paths that need a [B, C] working buffer of their own still allocate one ({@link #workingBytes()} says how
 * much memory this result holds).
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
    private final boolean keepProbabilities;

    // per-row scratch of the paths, [C] each; a path is stateless, so its working memory lives here. Each is made on
    // first use and grown with the shape, so a result holds only the rows its paths used
    private double[] scratchLogits = new double[0];
    private double[] scratchTargets = new double[0];
    private double[] scratchUpstream = new double[0];
    private double[] scratchTanh = new double[0];
    private double[] scratchInner = new double[0];
    private double[] scratchInnerGradient = new double[0];
    private double[] scratchRowProbabilities = new double[0];
    private double[] scratchRowGradient = new double[0];
    private final HeadRow headRow = new HeadRow();
    private long ignoredRows;
    private double denominator = Double.NaN;
    private CountedArithmetic arithmetic;
    private final double[] kernelScratch = new double[LaneSums.SCRATCH];
    private ExactCrossEntropy exactReference;

    /** A result that keeps the probabilities. */
    public LossResult() {
        this(true);
    }

    private LossResult(boolean keepProbabilities) {
        this.keepProbabilities = keepProbabilities;
    }

    /**
     * A result without the probabilities [B, C]: for callers that need the loss, the gradient and the events only
     * (training, timing). {@link #probabilities()} then refuses.
     */
    public static LossResult withoutProbabilities() {
        return new LossResult(false);
    }

    /** Whether {@link #probabilities()} is filled. */
    public boolean keepsProbabilities() {
        return keepProbabilities;
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

    /**
     * The path's softmax probabilities, [B, C].
     *
     * @throws IllegalStateException for a result made {@link #withoutProbabilities()}
     */
    public double[] probabilities() {
        if (!keepProbabilities) {
            throw new IllegalStateException("this LossResult was made without probabilities");
        }
        return probabilities;
    }

    /**
     * The [B, C] buffer behind {@link #probabilities()}, for paths that need it as working memory whether or not
     * the caller keeps it; allocated on first use when the probabilities are not kept.
     */
    double[] probabilityBuffer() {
        int size = rows * classes;
        if (probabilities.length < size) {
            probabilities = new double[size];
        }
        return probabilities;
    }

    /**
     * The bytes this result holds beyond the gradient [B, C] (its buffers as they are now, grown to the largest
     * shape evaluated): row losses, the probabilities when kept or used, and every per-row scratch.
     */
    public long workingBytes() {
        long doubles = (long) rowLosses.length + probabilities.length + scratchLogits.length + scratchTargets.length
                + scratchUpstream.length + scratchTanh.length + scratchInner.length + scratchInnerGradient.length
                + scratchRowProbabilities.length + scratchRowGradient.length + kernelScratch.length;
        return 8 * doubles + finishedRows.length;
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
        }
        if (keepProbabilities && probabilities.length < size) {
            probabilities = new double[size];
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
        if (scratchLogits.length < classes) {
            scratchLogits = new double[classes];
        }
        return scratchLogits;
    }

    /** [C] scratch: the row's effective (smoothed, rounded) dense target. */
    double[] scratchTargets() {
        if (scratchTargets.length < classes) {
            scratchTargets = new double[classes];
        }
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
        if (scratchTanh.length < classes) {
            scratchTanh = new double[classes];
        }
        return scratchTanh;
    }

    /** [C] scratch: the inner softmax of double-softmax, which the outer loss takes as its logits. */
    double[] scratchInner() {
        if (scratchInner.length < classes) {
            scratchInner = new double[classes];
        }
        return scratchInner;
    }

    /** [C] scratch: the outer loss's gradient with respect to the inner softmax (double-softmax). */
    double[] scratchInnerGradient() {
        if (scratchInnerGradient.length < classes) {
            scratchInnerGradient = new double[classes];
        }
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

    /** [C] scratch: one row's probabilities, when the [B, C] buffer is not kept. */
    double[] scratchRowProbabilities() {
        if (scratchRowProbabilities.length < classes) {
            scratchRowProbabilities = new double[classes];
        }
        return scratchRowProbabilities;
    }

    /** [C] scratch: one row's gradient, formed here and copied into its row when the probabilities are not kept. */
    double[] scratchRowGradient() {
        if (scratchRowGradient.length < classes) {
            scratchRowGradient = new double[classes];
        }
        return scratchRowGradient;
    }

    /** [C] scratch: the upstream gradient dL/dp of the separate paths. */
    double[] scratchUpstream() {
        if (scratchUpstream.length < classes) {
            scratchUpstream = new double[classes];
        }
        return scratchUpstream;
    }
}
