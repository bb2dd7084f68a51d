package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.kernel.SeparateForm;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.List;

/**
 * {@code separate-naive}: separate with no max shift, p_j = exp(z_j) / Σ_k exp(z_k); it overflows as soon as exp(z_j) does.
 * Forward and backward are {@link SoftmaxModule} and {@link ProbabilityCrossEntropyModule}; fast kernels in
 * {@link SeparateChain}.
 */
public final class SeparateNaiveSoftmaxCrossEntropy implements LossPath {

    public static final String ID = "separate-naive";

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
        SeparateChain.evaluate(input, options, precision, out, SeparateForm.NAIVE, choice);
    }

    @Override
    public KernelVariant kernelFor(LossInput input, LossOptions options, PrecisionSpec precision,
            KernelVariant requested) {
        return SeparateChain.kernelFor(input, options, precision, SeparateForm.NAIVE, requested);
    }
}
