package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.numeric.CountedArithmetic;
import dev.softmaxlab.core.precision.PrecisionSpec;

/**
 * The separate paths' evaluation: per row, softmax forward, cross-entropy forward, cross-entropy backward, softmax
 * backward, chained exactly as an autodiff engine would, then the z-loss as a module of its own on the softmax's own
 * max and sum; the loss-head options around them ({@link LossHeadRows}); then the reduction.
 */
final class SeparateChain {

    private SeparateChain() {
    }

    private static final LossHeadRows.Core SHIFTED = (ops, z, t, head, options, classes, row, p, grad, offset, out)
            -> row(ops, z, t, head, options, classes, row, p, grad, offset, out, true, false);
    private static final LossHeadRows.Core NAIVE = (ops, z, t, head, options, classes, row, p, grad, offset, out)
            -> row(ops, z, t, head, options, classes, row, p, grad, offset, out, false, false);
    private static final LossHeadRows.Core CLIPPED = (ops, z, t, head, options, classes, row, p, grad, offset, out)
            -> row(ops, z, t, head, options, classes, row, p, grad, offset, out, true, true);

    static void evaluate(LossInput input, LossOptions options, PrecisionSpec precision, LossResult out,
            boolean shift, boolean clip) {
        LossHeadRows.evaluate(input, options, precision, out, clip ? CLIPPED : (shift ? SHIFTED : NAIVE));
    }

    private static double row(CountedArithmetic ops, double[] z, double[] t, HeadRow head, LossOptions options,
            int classes, int i, double[] p, double[] grad, int offset, LossResult out, boolean shift, boolean clip) {
        double[] g = out.scratchUpstream();
        // ε and 1-ε rounded to the compute format (in fp16 and bf16, 1-1e-7 rounds to 1)
        double lo = ops.compute().round(options.clipEpsilon());
        double hi = ops.compute().round(1.0 - options.clipEpsilon());
        int label = head.label;
        SoftmaxModule.forward(ops, z, classes, i, shift, p, offset, head);
        double loss = ProbabilityCrossEntropyModule.forward(ops, p, offset, classes, label, t, clip, lo, hi, i, head);
        ProbabilityCrossEntropyModule.backward(ops, p, offset, classes, label, t, clip, lo, hi, i, g, head);
        SoftmaxModule.backward(ops, p, offset, g, classes, i, grad, offset);
        return ZLossModule.apply(ops, ops.compute().round(options.zLoss()), head, p, offset, grad, offset, classes, i,
                loss);
    }
}
