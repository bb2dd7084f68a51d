package dev.softmaxlab.experiments.model;

import dev.softmaxlab.core.InvalidInputException;

/**
 * The arithmetic of a model and its optimizer ({@code modelPrecision}), separate from the loss head's precision.
 *
 * <p>fp64 is plain double arithmetic. fp32 rounds every stored value (inputs, activations, logits, gradients,
 * parameters, optimizer state) to float and every operation's result too, accumulations included: values stay in
 * {@code double[]} arrays but each is a float, and {@code round(a ∘ b)} of two floats computed in double and then
 * rounded to float equals the float operation exactly (for +, −, ×, ÷ and sqrt, since double carries more than
 * 2·24 + 2 bits), so fp32 here is bit-for-bit float arithmetic.
 */
public enum ModelPrecision {
    FP64("fp64"),
    FP32("fp32");

    private final String id;

    ModelPrecision(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** x rounded to this precision: unchanged for fp64, to the nearest float (ties to even) for fp32. */
    public double round(double x) {
        return this == FP32 ? (double) (float) x : x;
    }

    /** @throws InvalidInputException naming {@code modelPrecision}, the value and the valid ids */
    public static ModelPrecision fromId(String id) {
        for (ModelPrecision p : values()) {
            if (p.id.equals(id)) {
                return p;
            }
        }
        throw new InvalidInputException("modelPrecision '" + id + "' is not supported; give fp64 or fp32 (the"
                + " loss head's precision is set separately with precision)");
    }

    @Override
    public String toString() {
        return id;
    }
}
