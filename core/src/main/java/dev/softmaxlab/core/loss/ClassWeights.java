package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.InvalidInputException;
import java.util.Arrays;

/**
 * Per-class weights w_c &gt; 0 of a loss head (PyTorch's {@code weight=} of {@code F.cross_entropy}). Immutable.
 * {@link #UNIFORM} (no weights given) means every class weighs 1 and no multiplication by a weight happens at all.
 */
public final class ClassWeights {

    /** No weights: every class weighs 1. */
    public static final ClassWeights UNIFORM = new ClassWeights(new double[0]);

    private final double[] values;

    private ClassWeights(double[] values) {
        this.values = values;
    }

    /**
     * Weights for C = values.length classes.
     *
     * @throws InvalidInputException for no weights, or a weight that is not finite and &gt; 0
     */
    public static ClassWeights of(double... values) {
        if (values.length == 0) {
            throw new InvalidInputException("class weights are empty: give one weight > 0 per class, e.g. 1,2,0.5");
        }
        for (int c = 0; c < values.length; c++) {
            double w = values[c];
            if (!(w > 0.0 && w <= Double.MAX_VALUE)) {
                throw new InvalidInputException("class weight " + w + " of class " + c
                        + " is invalid: every class weight must be finite and > 0, e.g. 1,2,0.5");
            }
        }
        return new ClassWeights(values.clone());
    }

    /** True when no weights were given. */
    public boolean isUniform() {
        return values.length == 0;
    }

    /** The number of classes the weights are for; 0 for {@link #UNIFORM}. */
    public int size() {
        return values.length;
    }

    /** w_c; 1 for {@link #UNIFORM}. */
    public double weight(int c) {
        return values.length == 0 ? 1.0 : values[c];
    }

    /** A copy of the weights ([C]; empty for {@link #UNIFORM}). */
    public double[] toArray() {
        return values.clone();
    }

    /**
     * @throws InvalidInputException when the weights were given for another number of classes
     */
    void requireClasses(int classes) {
        if (values.length != 0 && values.length != classes) {
            throw new InvalidInputException("class weights has " + values.length + " values but the logits have "
                    + classes + " classes: give exactly one weight per class");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassWeights w && Arrays.equals(values, w.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    /** "none", or the weights comma-separated as the flag takes them, e.g. "1.0,2.0,0.5". */
    @Override
    public String toString() {
        if (values.length == 0) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < values.length; c++) {
            if (c > 0) {
                b.append(',');
            }
            b.append(values[c]);
        }
        return b.toString();
    }
}
