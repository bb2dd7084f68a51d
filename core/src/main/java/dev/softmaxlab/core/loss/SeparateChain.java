package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.kernel.ClipCount;
import dev.softmaxlab.core.kernel.KernelProvider;
import dev.softmaxlab.core.kernel.LaneSums;
import dev.softmaxlab.core.kernel.RowEvents;
import dev.softmaxlab.core.kernel.SeparateDenseRowKernel;
import dev.softmaxlab.core.kernel.SeparateForm;
import dev.softmaxlab.core.kernel.SeparateSparseRowKernel;
import dev.softmaxlab.core.numeric.CountedArithmetic;
import dev.softmaxlab.core.numeric.NumericEvent;
import dev.softmaxlab.core.numeric.NumericEvents;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The separate paths' evaluation: per row, softmax forward, cross-entropy forward, cross-entropy backward, softmax
 * backward, chained exactly as an autodiff engine would, then the z-loss as a module of its own on the softmax's own
 * max and sum; the loss-head options around them ({@link LossHeadRows}); then the reduction.
 *
 * <p>Kernels ({@link #variants()}): {@code reference} runs {@link #row} on every row, instrumented. The fast variants
 * ({@code scalar}, {@code vector}) run a plain batch (no option that changes a row beyond label smoothing: no
 * weights, z-loss, softcap or ignored row) through a row kernel (same operations, same order, no accounting), split
 * across threads: a {@link SeparateSparseRowKernel} for sparse labels without smoothing (fp64 or fp32 throughout, or
 * bf16 or fp16 accumulated in fp32), a {@link SeparateDenseRowKernel} for dense targets and smoothed labels (fp64 or
 * fp32 throughout, or bf16 or fp16 accumulated in fp32). The clipped probabilities of the rows a kernel accepts are
 * counted on the threads, in the kernel's pass: by the sparse kernels themselves ({@link ClipCount}), right after the
 * dense kernel for dense rows. The bf16 and fp16 sparse kernels also keep a row whose only events are finite
 * (subnormal results, exps that give 0), counted as the reference counts them
 * ({@link SeparateSparseRowKernel#countingSparseRow}); those counts are added to the evaluation's events. Then, in
 * row order, every row the kernel refused is re-run through
 * {@link #row}. So bits and events do not depend on the variant or the thread
 * count. Everything else (other accumulation formats, the options above) runs the reference.
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

    /** The kernels of every separate path: the reference, the scalar twin, and the vector twin when present. */
    static List<KernelVariant> variants() {
        return FastHeadRows.variants();
    }

    /** The variant that runs: {@code requested} when the batch has a sparse or dense fast kernel. */
    static KernelVariant kernelFor(LossInput input, LossOptions options, PrecisionSpec precision, SeparateForm form,
            KernelVariant requested) {
        return fastKernel(input, options, precision, form, requested) != null
                || fastDenseKernel(input, options, precision, form, requested) != null
                ? requested : KernelVariant.REFERENCE;
    }

    static void evaluate(LossInput input, LossOptions options, PrecisionSpec precision, LossResult out,
            SeparateForm form, KernelChoice choice) {
        LossHeadRows.Core core = form.clip() ? CLIPPED : (form.shift() ? SHIFTED : NAIVE);
        SeparateSparseRowKernel kernel = fastKernel(input, options, precision, form, choice.variant());
        SeparateDenseRowKernel denseKernel = kernel == null
                ? fastDenseKernel(input, options, precision, form, choice.variant()) : null;
        if (kernel == null && denseKernel == null) {
            LossHeadRows.evaluate(input, options, precision, out, core);
            return;
        }
        LossHeadRows.check(input, options, precision);
        int rows = input.rows();
        int classes = input.classes();
        out.prepare(rows, classes);
        CountedArithmetic ops = out.arithmetic(precision);
        double[] z = out.scratchLogits();
        double[] t = out.scratchTargets();
        double[] p = out.probabilityBuffer(); // working memory here, kept or not
        double[] grad = out.gradient();
        double[] rowLosses = out.rowLosses();
        HeadRow head = out.headRow();
        // ε and 1-ε rounded to the compute format, as the reference rounds them
        double lo = ops.compute().round(options.clipEpsilon());
        double hi = ops.compute().round(1.0 - options.clipEpsilon());
        double[] logits = input.logits();
        // clean rows through the fast kernel; a refused row is left NaN and re-run below, in row order. The clipped
        // probabilities of the accepted rows are counted in the same pass (by the sparse kernels themselves), while
        // the row is in cache: an integer sum, the same count whatever the split
        boolean clip = form.clip();
        long clipped;
        if (kernel != null) {
            int[] labels = ((Targets.Sparse) input.targets()).labels();
            NumericEvents events = ops.events();
            if (choice.threads() == 1) {
                clipped = fastRows(kernel, logits, labels, classes, clip, lo, hi, 0, rows, p, grad, rowLosses,
                        out.kernelScratch(), events);
            } else {
                // each range counts apart; integer counts add up to the same totals in any order
                LongAdder sum = new LongAdder();
                ParallelRows.run(rows, choice.threads(), (from, to) -> {
                    NumericEvents counted = new NumericEvents();
                    sum.add(fastRows(kernel, logits, labels, classes, clip, lo, hi, from, to, p, grad, rowLosses,
                            new double[LaneSums.SCRATCH], counted));
                    synchronized (events) {
                        events.merge(counted);
                    }
                });
                clipped = sum.sum();
            }
        } else if (choice.threads() == 1) {
            clipped = fastDenseRows(denseKernel, input, options, clip, lo, hi, 0, rows, p, grad, rowLosses, t);
        } else {
            LongAdder sum = new LongAdder();
            ParallelRows.run(rows, choice.threads(), (from, to) -> sum.add(fastDenseRows(denseKernel, input, options,
                    clip, lo, hi, from, to, p, grad, rowLosses, new double[classes])));
            clipped = sum.sum();
        }
        for (int i = 0; i < rows; i++) {
            if (rowLosses[i] == rowLosses[i]) {
                continue;
            }
            RowTargets.roundLogits(input, i, ops, z);
            RowTargets.fill(input, options, i, ops, t, head);
            rowLosses[i] = core.row(ops, z, t, head, options, classes, i, p, grad, i * classes, out);
        }
        ops.events().add(NumericEvent.CLIPPED, clipped);
        Reductions.finishOnThreads(ops, options.reduction(), out, choice.threads());
    }

    /**
     * Rows [from, to) through the fast kernel; a refused row's loss is NaN. The finite events the kernel counted in
     * an accepted row ({@link RowEvents}) are added to counted.
     *
     * @return when clipping, how many probabilities of the accepted rows lie outside [lo, hi] (the reference's
     *         {@code clipped} event on those rows), else 0
     */
    private static long fastRows(SeparateSparseRowKernel kernel, double[] logits, int[] labels, int classes,
            boolean clip, double lo, double hi, int from, int to, double[] p, double[] grad, double[] rowLosses,
            double[] scratch, NumericEvents counted) {
        long clipped = 0;
        for (int i = from; i < to; i++) {
            double loss = kernel.countingSparseRow(logits, i * classes, classes, labels[i], lo, hi, p, grad, scratch);
            rowLosses[i] = loss;
            if (loss == loss) {
                if (clip) {
                    clipped += (long) scratch[ClipCount.SCRATCH_SLOT]; // counted in the kernel's pass
                }
                counted.add(NumericEvent.SUBNORMAL, (long) scratch[RowEvents.SUBNORMAL_SLOT]);
                counted.add(NumericEvent.EXP_UNDERFLOW, (long) scratch[RowEvents.EXP_UNDERFLOW_SLOT]);
            }
        }
        return clipped;
    }

    /**
     * Rows [from, to) with dense targets through the fast kernel; a refused row's loss is NaN.
     *
     * @param q [C] working memory for the row's target, one per thread (Modified)
     * @return the clipped count of the accepted rows, as {@link #fastRows}
     */
    private static long fastDenseRows(SeparateDenseRowKernel kernel, LossInput input, LossOptions options,
            boolean clip, double lo, double hi, int from, int to, double[] p, double[] grad, double[] rowLosses,
            double[] q) {
        double[] logits = input.logits();
        int classes = input.classes();
        long clipped = 0;
        for (int i = from; i < to; i++) {
            RowTargets.denseTarget(input, options, i, q);
            double loss = kernel.denseRow(logits, i * classes, classes, q, lo, hi, p, grad);
            rowLosses[i] = loss;
            if (clip && loss == loss) {
                clipped += ClipCount.outside(p, i * classes, classes, lo, hi); // the row is still in cache
            }
        }
        return clipped;
    }

    /**
     * The dense-target kernel for this evaluation (dense targets, or sparse labels with label smoothing), or null
     * when every row goes through the reference: the reference variant, a batch that is not plain, and precisions
     * other than fp64 and fp32 accumulated in themselves and bf16 and fp16 accumulated in fp32.
     */
    private static SeparateDenseRowKernel fastDenseKernel(LossInput input, LossOptions options,
            PrecisionSpec precision, SeparateForm form, KernelVariant variant) {
        boolean dense = !(input.targets() instanceof Targets.Sparse) || options.labelSmoothing() != 0.0;
        if (variant == KernelVariant.REFERENCE || !dense || !LossHeadRows.isPlain(input, options)) {
            return null;
        }
        Precision c = precision.compute();
        if (c == Precision.FP64 && precision.accumulate() == Precision.FP64) {
            return variant.provider().separateDenseFp64(form);
        }
        if (c == Precision.FP32 && precision.accumulate() == Precision.FP32) {
            return variant.provider().separateDenseFp32(form);
        }
        if ((c == Precision.BF16 || c == Precision.FP16) && precision.accumulate() == Precision.FP32) {
            return variant.provider().separateDenseNarrow(c, form);
        }
        return null;
    }

    /**
     * The fast kernel for this evaluation, or null when every row goes through the reference: the reference variant,
     * and anything the kernels do not cover (see the class comment).
     */
    private static SeparateSparseRowKernel fastKernel(LossInput input, LossOptions options, PrecisionSpec precision,
            SeparateForm form, KernelVariant variant) {
        if (variant == KernelVariant.REFERENCE || !(input.targets() instanceof Targets.Sparse)
                || options.labelSmoothing() != 0.0 || !LossHeadRows.isPlain(input, options)) {
            return null;
        }
        KernelProvider provider = variant.provider();
        if (precision.compute() == Precision.FP64 && precision.accumulate() == Precision.FP64) {
            return provider.separateFp64(form);
        }
        if (precision.compute() == Precision.FP32 && precision.accumulate() == Precision.FP32) {
            return provider.separateFp32(form);
        }
        if ((precision.compute() == Precision.BF16 || precision.compute() == Precision.FP16)
                && precision.accumulate() == Precision.FP32) {
            return provider.separateNarrow(precision.compute(), form);
        }
        return null;
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
