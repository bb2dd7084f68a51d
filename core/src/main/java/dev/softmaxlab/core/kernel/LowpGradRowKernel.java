package dev.softmaxlab.core.kernel;

/**
 * The fast twin of {@code fused-lowp-grad} on a sparse label, built on a {@code fused} row kernel: the forward, the
 * probabilities and every gradient entry but the label's are fused's (the same operations in the same order), and
 * the label's entry is then formed as the reference forms it, from the stored probability:
 * <pre>
 *   row:     fused's kernel                     loss, p_j = e_j/s, grad_j = p_j
 *   label:   grad_y = round(p_y - 1)            p_y as stored in the format (Liger-Kernel #1329's gradient)
 * </pre>
 * fused-lowp-grad's reference performs a subset of fused's operations plus that one subtraction, whose result is 0
 * or at least 2^-54 in magnitude (never an event): so a row fused's kernel finds clean is clean here too, and a row
 * it refuses goes back to the reference. Stateless and thread-safe when the wrapped kernel is.
 */
public final class LowpGradRowKernel implements FusedSparseRowKernel {

    private final FusedSparseRowKernel fused;
    private final boolean fp32;

    /**
     * @param fused the fused kernel of the same precision
     * @param fp32  whether the kernel computes in fp32 (the subtraction is then rounded to float)
     */
    public LowpGradRowKernel(FusedSparseRowKernel fused, boolean fp32) {
        this.fused = fused;
        this.fp32 = fp32;
    }

    @Override
    public double sparseRow(double[] logits, int base, int classes, int label, double[] p, double[] grad,
            double[] scratch) {
        double loss = fused.sparseRow(logits, base, classes, label, p, grad, scratch);
        double d = p[base + label] - 1.0; // the difference of a float and 1 rounds once more to float, innocuously
        grad[base + label] = fp32 ? (double) (float) d : d;
        return loss;
    }
}
