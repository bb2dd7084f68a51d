package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.kernel.DoubleSoftmaxRowKernel;
import dev.softmaxlab.core.numeric.CountedArithmetic;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.List;

/**
 * {@code double-softmax}: the bug of a model whose last layer already applies softmax, feeding a loss that expects
 * logits (Keras {@code from_logits=True} on a softmax output). Kept as a path so that its cost can be measured.
 * <pre>
 *   forward:  r = softmax(z)                   the model's softmax, max-shifted  (SoftmaxModule)
 *             loss, q, dL/dr = fused(r)        the loss takes r as logits; q = softmax(r) is what it reports
 *   backward: dL/dz_j = r_j·(g_j - Σ_k r_k g_k),  g = dL/dr   (SoftmaxModule backward)
 * </pre>
 * Every r_j is in [0, 1], so nothing overflows, but the loss cannot go below -log(e/(e + C - 1)) (r one-hot) and
 * the gradient is squashed by both softmaxes: training stalls. Class weights, smoothing and the z-loss belong to
 * the loss, so they act on r (the z-loss's lse is that of r); the softcap acts on z, before the model's softmax.
 */
public final class DoubleSoftmaxCrossEntropy implements LossPath {

    /** The model's softmax, fused's kernels on it, and the softmax's backward. */
    private static final FastHeadRows.Kernels KERNELS = (provider, precision, options) -> new DoubleSoftmaxRowKernel(
            provider, FastHeadRows.fused(provider, precision), FastHeadRows.fusedDense(provider, precision),
            precision.compute());

    public static final String ID = "double-softmax";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<KernelVariant> variants() {
        return FastHeadRows.variants();
    }

    @Override
    public void evaluate(LossInput input, LossOptions options, PrecisionSpec precision, LossResult out) {
        evaluate(input, options, precision, out, KernelChoice.fastest(input));
    }

    /**
     * A plain head runs its clean rows through {@link DoubleSoftmaxRowKernel} ({@link FastHeadRows}: sparse labels in
     * every format, dense targets in fp64 and fp32); anything else runs the reference.
     */
    @Override
    public void evaluate(LossInput input, LossOptions options, PrecisionSpec precision, LossResult out,
            KernelChoice choice) {
        FastHeadRows.evaluate(input, options, precision, out, choice, KERNELS, DoubleSoftmaxCrossEntropy::row);
    }

    @Override
    public KernelVariant kernelFor(LossInput input, LossOptions options, PrecisionSpec precision,
            KernelVariant requested) {
        return FastHeadRows.kernelFor(input, options, precision, requested, KERNELS);
    }

    /** Forward and backward of one row; see {@link LossHeadRows.Core}. */
    private static double row(CountedArithmetic ops, double[] z, double[] t, HeadRow head, LossOptions options,
            int classes, int row, double[] p, double[] grad, int offset, LossResult out) {
        double[] r = out.scratchInner();          // [C] the model's softmax, the loss's logits
        double[] q = out.scratchUpstream();       // [C] softmax(r), the loss's probabilities
        double[] g = out.scratchInnerGradient();  // [C] dL/dr
        SoftmaxModule.forward(ops, z, classes, row, true, r, 0, null);
        double loss = FusedSoftmaxCrossEntropy.row(ops, r, t, head.label, classes, row, q, g, 0, head.mass, false,
                head, out);
        loss = FusedSoftmaxCrossEntropy.weightAndZLoss(ops, head, options, classes, row, q, g, 0, loss);
        SoftmaxModule.backward(ops, r, 0, g, classes, row, grad, offset);
        System.arraycopy(q, 0, p, offset, classes);
        return loss;
    }
}
