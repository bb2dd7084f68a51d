package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.precision.PrecisionSpec;

/**
 * {@code separate}: softmax with the max shift, then cross-entropy of the probabilities; two modules, each with its own backward (core/NUMERICS.md).
 * Forward and backward are {@link SoftmaxModule} and {@link ProbabilityCrossEntropyModule}.
 */
public final class SeparateSoftmaxCrossEntropy implements LossPath {

    public static final String ID = "separate";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void evaluate(LossInput input, LossOptions options, PrecisionSpec precision, LossResult out) {
        SeparateChain.evaluate(input, options, precision, out, true, false);
    }
}
