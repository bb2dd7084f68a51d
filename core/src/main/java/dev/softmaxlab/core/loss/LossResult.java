package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.numeric.NumericEvents;

/**
 * What one evaluation of a path produced. Reusable: a path resizes the buffers only when the shape grows, so a
 * training loop that evaluates the same shape every step allocates nothing.
 *
 * <p>Values are stored as doubles but each is exactly representable in the compute precision.
 */
public final class LossResult {

    /** The reduced loss: mean or sum over rows; for {@link Reduction#NONE} the sum over rows. */
    public double loss() { throw new UnsupportedOperationException("TODO"); }

    /** Per-row loss, [B] (first {@link #rows()} entries valid). */
    public double[] rowLosses() { throw new UnsupportedOperationException("TODO"); }

    /** dLoss/dlogits, [B, C], scaled by the reduction. */
    public double[] gradient() { throw new UnsupportedOperationException("TODO"); }

    /** The path's softmax probabilities, [B, C]. */
    public double[] probabilities() { throw new UnsupportedOperationException("TODO"); }

    /** Events of this evaluation only. */
    public NumericEvents events() { throw new UnsupportedOperationException("TODO"); }

    public int rows() { throw new UnsupportedOperationException("TODO"); }

    public int classes() { throw new UnsupportedOperationException("TODO"); }
}
