package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.precision.PrecisionSpec;

/**
 * {@code separate-naive}: separate with no max shift, p_j = exp(z_j) / Σ_k exp(z_k); it overflows as soon as exp(z_j) does.
 * Forward and backward are {@link SoftmaxModule} and {@link ProbabilityCrossEntropyModule}.
 */
public final class SeparateNaiveSoftmaxCrossEntropy implements LossPath {

    public static final String ID = "separate-naive";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void evaluate(LossInput input, LossOptions options, PrecisionSpec precision, LossResult out) {
        SeparateChain.evaluate(input, options, precision, out, false, false);
    }
}
