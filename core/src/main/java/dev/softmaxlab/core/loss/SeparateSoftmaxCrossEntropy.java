package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.kernel.SeparateForm;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.List;

/**
 * {@code separate}: softmax with the max shift, then cross-entropy of the probabilities; two modules, each with its own backward (core/NUMERICS.md).
 * Forward and backward are {@link SoftmaxModule} and {@link ProbabilityCrossEntropyModule}; fast kernels in
 * {@link SeparateChain}.
 */
public final class SeparateSoftmaxCrossEntropy implements LossPath {

    public static final String ID = "separate";

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
        SeparateChain.evaluate(input, options, precision, out, SeparateForm.SHIFTED, choice);
    }

    @Override
    public KernelVariant kernelFor(LossInput input, LossOptions options, PrecisionSpec precision,
            KernelVariant requested) {
        return SeparateChain.kernelFor(input, options, precision, SeparateForm.SHIFTED, requested);
    }
}
