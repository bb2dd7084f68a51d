package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.kernel.SeparateForm;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.List;

/**
 * {@code separate-clipped}: separate with p clipped to [ε, 1-ε] before the log (Keras from_logits=False); no NaN, but a loss stuck at -log ε and a vanished gradient.
 * Forward and backward are {@link SoftmaxModule} and {@link ProbabilityCrossEntropyModule}; fast kernels in
 * {@link SeparateChain}.
 */
public final class SeparateClippedSoftmaxCrossEntropy implements LossPath {

    public static final String ID = "separate-clipped";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<KernelVariant> variants() {
        return SeparateChain.variants();
    }

    @Override
    public void evaluate(LossInput input, LossOptions options, PrecisionSpec precision, LossResult out) {
        evaluate(input, options, precision, out, KernelChoice.fastest(input));
    }

    @Override
    public void evaluate(LossInput input, LossOptions options, PrecisionSpec precision, LossResult out,
            KernelChoice choice) {
        SeparateChain.evaluate(input, options, precision, out, SeparateForm.CLIPPED, choice);
    }

    @Override
    public KernelVariant kernelFor(LossInput input, LossOptions options, PrecisionSpec precision,
            KernelVariant requested) {
        return SeparateChain.kernelFor(input, options, precision, SeparateForm.CLIPPED, requested);
    }
}
