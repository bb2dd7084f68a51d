package dev.softmaxlab.core.kernel;

/**
 * Which of the three separate paths a separate row kernel computes: they share the chain softmax → cross-entropy of
 * the probabilities → its backward → the softmax's backward, and differ in two switches.
 */
public enum SeparateForm {
    /** {@code separate}: softmax of z - max z, no clip. */
    SHIFTED(true, false),
    /** {@code separate-naive}: softmax of z itself, no clip. */
    NAIVE(false, false),
    /** {@code separate-clipped}: softmax of z - max z, p clipped to [ε, 1-ε] before the log (Keras). */
    CLIPPED(true, true);

    private final boolean shift;
    private final boolean clip;

    SeparateForm(boolean shift, boolean clip) {
        this.shift = shift;
        this.clip = clip;
    }

    /** Whether the softmax subtracts the row's max before exp. */
    public boolean shift() {
        return shift;
    }

    /** Whether p is clipped to [lo, hi] before the log, and the clip's backward masks the gradient. */
    public boolean clip() {
        return clip;
    }
}
