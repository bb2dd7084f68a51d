package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.core.numeric.CountedArithmetic;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.Arrays;

/**
 * The loss-head options around a path's row kernel, in the same order for every path (core/NUMERICS.md,
 * "Loss-head options"):
 * <pre>
 *   per row i of [B, C]:
 *     label_i = ignoreIndex  →  loss 0, gradient 0, probabilities 0; counted as ignored, not evaluated at all
 *     z   = logits rounded to the format
 *     z'  = c·tanh(z/c)                           softcap, when given ({@link SoftcapModule})
 *     loss, p, dL/dz'  = the path's row kernel    with the sparse label and w_y, or the dense q (RowTargets),
 *                                                 and the z-loss λ·lse² inside it ({@link ZLossModule})
 *     dL/dz = dL/dz'·(1 - tanh²(z/c))             softcap backward
 *   reduction: mean divides by Σ_{kept i} w_{y_i} (sparse; the kept-row count without weights) or by B (dense)
 * </pre>
 */
final class LossHeadRows {

    /** One path's forward and backward of one row, target and z-loss included. */
    interface Core {
        /**
         * @param z    [C] the row's logits in the compute format (after the softcap), not modified
         * @param t    [C] the dense target q, read when head.label &lt; 0
         * @param head the row's target (label, weight, mass), and where the kernel records its lse parts
         * @param p    probabilities, the row at offset written
         * @param grad gradient dL/dz, the row at offset written (not yet divided by the reduction)
         * @return the row's loss
         */
        double row(CountedArithmetic ops, double[] z, double[] t, HeadRow head, LossOptions options, int classes,
                int row, double[] p, double[] grad, int offset, LossResult out);
    }

    private LossHeadRows() {
    }

    /**
     * The checks of a batch against the options: each sparse label is a class index or the ignore index, and the
     * options fit the class count and the precision ({@link LossOptions#requireFits}).
     *
     * @throws InvalidInputException naming the value and the fix
     */
    static void check(LossInput input, LossOptions options, PrecisionSpec precision) {
        int classes = input.classes();
        options.requireFits(classes, precision);
        if (input.targets() instanceof Targets.Sparse sparse) {
            int[] labels = sparse.labels();
            for (int i = 0; i < input.rows(); i++) {
                int y = labels[i];
                if ((y < 0 || y >= classes) && y != options.ignoreIndex()) {
                    throw new InvalidInputException("label " + y + " in row " + i + " is out of range: give an"
                            + " integer class index in [0, " + classes + ") for " + classes
                            + " classes, or the ignore index " + options.ignoreIndex() + " to leave the row out");
                }
            }
        }
    }

    /**
     * Whether no option beyond label smoothing changes the rows: no class weights, z-loss or softcap, and no row
     * ignored. Such a batch gives the same bits through a path's plain loop as through {@link #evaluate}.
     */
    static boolean isPlain(LossInput input, LossOptions options) {
        if (!options.classWeights().isUniform() || options.zLoss() != 0.0 || options.softcap().isPresent()) {
            return false;
        }
        if (input.targets() instanceof Targets.Sparse sparse) {
            int[] labels = sparse.labels();
            for (int i = 0; i < input.rows(); i++) {
                if (labels[i] == options.ignoreIndex()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Checks the batch, runs the core on every kept row with the options around it, and reduces. */
    static void evaluate(LossInput input, LossOptions options, PrecisionSpec precision, LossResult out, Core core) {
        check(input, options, precision);
        int rows = input.rows();
        int classes = input.classes();
        out.prepare(rows, classes);
        CountedArithmetic ops = out.arithmetic(precision);
        double[] z = out.scratchLogits();
        double[] t = out.scratchTargets();
        double[] tanh = out.scratchTanh();
        double[] p = out.probabilityBuffer();
        double[] grad = out.gradient();
        double[] rowLosses = out.rowLosses();
        HeadRow head = out.headRow();
        boolean capped = options.softcap().isPresent();
        double cap = capped ? ops.roundInput(options.softcap().getAsDouble(), -1, -1) : Double.NaN;
        int[] labels = input.targets() instanceof Targets.Sparse sparse ? sparse.labels() : null;
        boolean weighted = !options.classWeights().isUniform();
        long kept = 0;
        double keptWeight = 0.0; // Σ_{kept i} w_{y_i}, in the accumulation format
        for (int i = 0; i < rows; i++) {
            int offset = i * classes;
            if (labels != null && labels[i] == options.ignoreIndex()) {
                rowLosses[i] = 0.0;
                Arrays.fill(p, offset, offset + classes, 0.0);
                Arrays.fill(grad, offset, offset + classes, 0.0);
                continue;
            }
            kept++;
            RowTargets.roundLogits(input, i, ops, z);
            if (capped) {
                SoftcapModule.forward(ops, z, classes, cap, tanh, i);
            }
            RowTargets.fill(input, options, i, ops, t, head);
            if (weighted && labels != null) {
                keptWeight = ops.arithmetic().accumulate(keptWeight, head.labelWeight);
            }
            rowLosses[i] = core.row(ops, z, t, head, options, classes, i, p, grad, offset, out);
            if (capped) {
                SoftcapModule.backward(ops, tanh, classes, i, grad, offset);
            }
        }
        double denominator = labels == null ? rows : (weighted ? keptWeight : kept);
        out.setIgnoredRows(rows - kept);
        Reductions.finish(ops, options.reduction(), out, denominator);
    }
}
