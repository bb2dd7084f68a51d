package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.numeric.CountedArithmetic;
import dev.softmaxlab.core.numeric.NumericEvent;

/**
 * Logit soft-capping (Gemma 2) as a module of its own, in front of any path: forward z'_j = c·tanh(z_j/c), backward
 * grad_j = grad'_j·(1 - tanh²(z_j/c)). Every elementwise result is rounded to the compute format and counted.
 *
 * <p>A tanh that rounds to ±1 is counted as {@code saturated}: there the capped logit is exactly ±c whatever z was,
 * and the backward passes a gradient of exactly 0. That count is how a report shows that a cap was in force and
 * bit: an argmax check cannot see a cap, since tanh keeps the order of the logits.
 */
final class SoftcapModule {

    private SoftcapModule() {
    }

    /**
     * z_j ← c·tanh(z_j/c), with u_j = z_j/c and tanh(u_j) each rounded.
     *
     * @param z    [C] logits in the compute format, modified in place
     * @param cap  c, in the compute format
     * @param tanh [C] written: tanh(z_j/c) in the compute format, kept for the backward
     */
    static void forward(CountedArithmetic ops, double[] z, int classes, double cap, double[] tanh, int row) {
        long saturated = 0;
        for (int j = 0; j < classes; j++) {
            double th = ops.tanh(ops.div(z[j], cap, row, j), row, j);
            if (Math.abs(th) == 1.0) {
                saturated++;
            }
            tanh[j] = th;
            z[j] = ops.mul(cap, th, row, j);
        }
        ops.events().add(NumericEvent.SATURATED, saturated);
    }

    /**
     * grad_j ← grad_j·(1 - tanh_j²), each product and difference rounded.
     *
     * @param tanh [C] from {@link #forward}, not modified
     * @param grad the row at offset, modified in place
     */
    static void backward(CountedArithmetic ops, double[] tanh, int classes, int row, double[] grad, int offset) {
        for (int j = 0; j < classes; j++) {
            double th = tanh[j];
            double slope = ops.sub(1.0, ops.mul(th, th, row, j), row, j);
            grad[offset + j] = ops.mul(grad[offset + j], slope, row, j);
        }
    }
}
