package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.numeric.CountedArithmetic;
import dev.softmaxlab.core.precision.PrecisionSpec;

/**
 * The separate paths' evaluation: per row, softmax forward, cross-entropy forward, cross-entropy backward, softmax
 * backward, chained exactly as an autodiff engine would; then the reduction.
 */
final class SeparateChain {

    private SeparateChain() {
    }

    static void evaluate(LossInput input, LossOptions options, PrecisionSpec precision, LossResult out,
            boolean shift, boolean clip) {
        int rows = input.rows();
        int classes = input.classes();
        out.prepare(rows, classes);
        CountedArithmetic ops = out.arithmetic(precision);
        double lo = precision.compute().round(options.clipEpsilon());
        double hi = precision.compute().round(1.0 - options.clipEpsilon());
        double[] z = out.scratchLogits();
        double[] t = out.scratchTargets();
        double[] g = out.scratchUpstream();
        double[] p = out.probabilities();
        double[] grad = out.gradient();
        double[] rowLosses = out.rowLosses();
        for (int i = 0; i < rows; i++) {
            int offset = i * classes;
            RowTargets.roundLogits(input, i, ops, z);
            int label = RowTargets.sparseLabel(input, options, i);
            if (label < 0) {
                RowTargets.fillDense(input, options, i, ops, t);
            }
            SoftmaxModule.forward(ops, z, classes, i, shift, p, offset);
            rowLosses[i] = ProbabilityCrossEntropyModule.forward(ops, p, offset, classes, label, t, clip, lo, hi, i);
            ProbabilityCrossEntropyModule.backward(ops, p, offset, classes, label, t, clip, lo, hi, i, g);
            SoftmaxModule.backward(ops, p, offset, g, classes, i, grad, offset);
        }
        Reductions.finish(ops, options.reduction(), out);
    }
}
