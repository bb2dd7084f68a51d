package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.precision.PrecisionSpec;

/**
 * {@code separate-clipped}: separate with p clipped to [ε, 1-ε] before the log (Keras from_logits=False); no NaN, but a loss stuck at -log ε and a vanished gradient.
 * Forward and backward are {@link SoftmaxModule} and {@link ProbabilityCrossEntropyModule}.
 */
public final class SeparateClippedSoftmaxCrossEntropy implements LossPath {

    public static final String ID = "separate-clipped";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void evaluate(LossInput input, LossOptions options, PrecisionSpec precision, LossResult out) {
        SeparateChain.evaluate(input, options, precision, out, true, true);
    }
}
