package dev.softmaxlab.core.kernel;

import dev.softmaxlab.core.precision.Precision;

/**
 * The fast twin of {@code fused-lowp-grad}, built on {@code fused}'s row kernels: the forward, the probabilities and
 * every gradient entry but the target's are fused's (the same operations in the same order), and the gradient is
 * then formed as the reference forms it, from the stored probabilities, in the format (fp64, fp32, or bf16 and fp16
 * with sparse labels):
 * <pre>
 *   sparse:  fused's sparse kernel           loss, p_j = e_j/s, grad_j = p_j
 *            grad_y = round(p_y - 1)         p_y as stored in the format (Liger-Kernel #1329's gradient)
 *   dense:   fused's dense kernel            loss, p_j = e_j/s
 *            grad_j = round(p_j - round(t_j))
 * </pre>
 * fused-lowp-grad's reference performs a subset of fused's operations plus those subtractions. p_y - 1 is 0 or at
 * least 2^-54 in magnitude (never an event), so a sparse row fused's kernel finds clean is clean here too; a dense
 * p_j - t_j of two normal numbers can in principle be subnormal, so each is checked. The batch end's division is
 * folded in ({@link HeadRowKernel}). A row fused's kernel refuses
 * (also one where fused's own gradient would cancel, which this path does not compute) goes back to the reference.
 * Stateless and thread-safe when the wrapped kernels are.
 */
public final class LowpGradRowKernel implements HeadRowKernel {

    private final FusedSparseRowKernel fused;
    private final FusedDenseRowKernel fusedDense;
    private final Precision format;

    /**
     * @param fused      fused's sparse kernel of the same precision
     * @param fusedDense fused's dense kernel of the same precision, or null where there is none (every dense row is
     *                   then refused)
     * @param format     the compute format the subtractions are rounded to
     */
    public LowpGradRowKernel(FusedSparseRowKernel fused, FusedDenseRowKernel fusedDense, Precision format) {
        this.fused = fused;
        this.fusedDense = fusedDense;
        this.format = format;
    }

    @Override
    public double sparseRow(double[] logits, int base, int classes, int label, double[] p, double[] grad,
            double[] scratch) {
        return finishedSparseRow(logits, base, classes, label, p, grad, 1.0, scratch);
    }

    @Override
    public double finishedSparseRow(double[] logits, int base, int classes, int label, double[] p, double[] grad,
            double divisor, double[] scratch) {
        if (p == null) {
            return Double.NaN; // the label's entry is formed from the stored p_y
        }
        double loss = fused.finishedSparseRow(logits, base, classes, label, p, grad, divisor, scratch);
        if (loss != loss) {
            return Double.NaN;
        }
        // rounded as the reference's ops.sub rounds: the double difference, then the format; then the batch end's
        // division, which fused's kernel already applied to every other entry
        double g = format.round(p[base + label] - 1.0);
        double scaled = divisor == 1.0 ? g : format.round(g / divisor);
        grad[base + label] = scaled;
        double a = Math.abs(scaled);
        return a == 0.0 || a >= format.minNormal() ? loss : Double.NaN; // |scaled| ≤ 1
    }

    @Override
    public double denseRow(double[] logits, double[] targets, int base, int classes, double[] p, double[] grad,
            double divisor, double[] scratch) {
        if (fusedDense == null || p == null) {
            return Double.NaN;
        }
        double loss = fusedDense.finishedDenseRow(logits, targets, base, classes, p, grad, 1.0, scratch);
        if (loss != loss) {
            return Double.NaN;
        }
        double minNormal = format.minNormal();
        boolean clean = true;
        for (int j = 0; j < classes; j++) {
            double g = format.round(p[base + j] - format.round(targets[base + j]));
            double a = Math.abs(g);
            clean &= a == 0.0 || a >= minNormal; // |g| ≤ 1: never beyond the largest finite
            grad[base + j] = g;
        }
        clean &= HeadRowKernel.divide(grad, base, classes, divisor, format);
        return clean ? loss : Double.NaN;
    }
}
