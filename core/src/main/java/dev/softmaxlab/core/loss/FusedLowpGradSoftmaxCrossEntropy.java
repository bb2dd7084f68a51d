package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.kernel.LowpGradRowKernel;
import dev.softmaxlab.core.numeric.CountedArithmetic;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.List;

/**
 * {@code fused-lowp-grad}: {@code fused} with its gradient formed the way kernels that store the softmax in the
 * logits' format form it (Liger-Kernel #1329): p_j is rounded to the format first and the target is then subtracted
 * in the format.
 * <pre>
 *   forward:  as fused                      loss = (m - z_y) + log1p(s')
 *   backward: p_j   = round(e_j / s)        stored in the format
 *             grad_j = p_j - t_j             one rounded subtraction; sparse: grad_y = p_y - 1
 * </pre>
 * In bf16 a p_y above 1 - 2^-9 rounds to 1, so grad_y = 0: every digit of the label's gradient is lost, while
 * {@code fused} forms -(s - e_y)/s and keeps it to a few ulps. In fp64 and fp32 the two differ only in the last
 * bits of grad_y.
 */
public final class FusedLowpGradSoftmaxCrossEntropy implements LossPath {

    /** fused's kernels with the gradient formed from the stored probabilities. */
    private static final FastHeadRows.Kernels KERNELS = (provider, precision, options) -> new LowpGradRowKernel(
            FastHeadRows.fused(provider, precision), FastHeadRows.fusedDense(provider, precision),
            precision.compute());

    public static final String ID = "fused-lowp-grad";

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
     * A plain head runs its clean rows through {@link LowpGradRowKernel} ({@link FastHeadRows}: sparse labels in
     * every format, dense targets in fp64 and fp32); anything else runs the reference.
     */
    @Override
    public void evaluate(LossInput input, LossOptions options, PrecisionSpec precision, LossResult out,
            KernelChoice choice) {
        FastHeadRows.evaluate(input, options, precision, out, choice, KERNELS, FusedLowpGradSoftmaxCrossEntropy::row);
    }

    @Override
    public KernelVariant kernelFor(LossInput input, LossOptions options, PrecisionSpec precision,
            KernelVariant requested) {
        return FastHeadRows.kernelFor(input, options, precision, requested, KERNELS);
    }

    /** Forward and backward of one row; see {@link LossHeadRows.Core}. */
    private static double row(CountedArithmetic ops, double[] z, double[] t, HeadRow head, LossOptions options,
            int classes, int row, double[] p, double[] grad, int offset, LossResult out) {
        double loss = FusedSoftmaxCrossEntropy.row(ops, z, t, head.label, classes, row, p, grad, offset, head.mass,
                true, head, out);
        return FusedSoftmaxCrossEntropy.weightAndZLoss(ops, head, options, classes, row, p, grad, offset, loss);
    }
}
