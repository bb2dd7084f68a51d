package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.kernel.FusedDenseRowKernel;
import dev.softmaxlab.core.kernel.FusedSparseRowKernel;
import dev.softmaxlab.core.kernel.HeadRowKernel;
import dev.softmaxlab.core.kernel.KernelProvider;
import dev.softmaxlab.core.kernel.LaneSums;
import dev.softmaxlab.core.numeric.CountedArithmetic;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.List;

/**
 * The fast variants of the paths that sit on {@link LossHeadRows} ({@code fused-chunked}, {@code double-softmax},
 * {@code fused-lowp-grad}), one home for their wiring: a plain head (no option that changes a row: no smoothing,
 * weights, z-loss, softcap or ignored row) with sparse labels in fp64, fp32 (accumulated in themselves), bf16 or
 * fp16 (accumulated in fp32), or with dense targets in fp64 or fp32, runs its clean rows through the path's
 * {@link HeadRowKernel}, split across threads, the batch end's division folded in (an accepted row is finished, as
 * {@code fused}'s are); then, in row order, every row the kernel refused goes through the path's reference core
 * exactly as {@link LossHeadRows#evaluate} would run it, and the batch end divides and counts those rows only. Everything else is
 * {@link LossHeadRows#evaluate} itself. The rows a kernel accepts are rows in which the reference counts nothing,
 * so bits and events are the reference's whatever the variant and the thread count (held by
 * {@code KernelVariantTest}).
 */
final class FastHeadRows {

    /** Builds a path's row kernel for one evaluation. */
    interface Kernels {
        /**
         * @param provider  the fast variant's provider
         * @param precision fp64 or fp32 accumulated in themselves, or bf16 or fp16 accumulated in fp32 (sparse only)
         * @return the path's kernel, or null when the path has none for these options (every row then runs the
         *         reference)
         */
        HeadRowKernel kernel(KernelProvider provider, PrecisionSpec precision, LossOptions options);
    }

    private FastHeadRows() {
    }

    /** The variants of a path with fast kernels: as {@code fused}'s. */
    static List<KernelVariant> variants() {
        return KernelProvider.vector().isPresent()
                ? List.of(KernelVariant.REFERENCE, KernelVariant.SCALAR, KernelVariant.VECTOR)
                : List.of(KernelVariant.REFERENCE, KernelVariant.SCALAR);
    }

    /**
     * The path's evaluation: through its kernel where it has one ({@link #kernel}), else through
     * {@link LossHeadRows#evaluate} with the reference core.
     */
    static void evaluate(LossInput input, LossOptions options, PrecisionSpec precision, LossResult out,
            KernelChoice choice, Kernels kernels, LossHeadRows.Core reference) {
        HeadRowKernel kernel = kernel(input, options, precision, choice.variant(), kernels);
        if (kernel == null) {
            LossHeadRows.evaluate(input, options, precision, out, reference);
        } else {
            evaluate(input, options, precision, out, choice.threads(), kernel, reference);
        }
    }

    /** The variant that runs: {@code requested} when {@link #kernel} gives a kernel for this evaluation. */
    static KernelVariant kernelFor(LossInput input, LossOptions options, PrecisionSpec precision,
            KernelVariant requested, Kernels kernels) {
        return kernel(input, options, precision, requested, kernels) != null ? requested : KernelVariant.REFERENCE;
    }

    /**
     * The path's kernel of a fast variant for this evaluation, or null when every row goes through the reference:
     * the reference variant, a head that is not plain, a precision or target kind the kernels do not cover (see the
     * class comment), or options the path's kernel does not take.
     */
    private static HeadRowKernel kernel(LossInput input, LossOptions options, PrecisionSpec precision,
            KernelVariant variant, Kernels kernels) {
        if (variant == KernelVariant.REFERENCE || options.labelSmoothing() != 0.0
                || !LossHeadRows.isPlain(input, options)) {
            return null;
        }
        Precision c = precision.compute();
        Precision acc = precision.accumulate();
        boolean sparse = input.targets() instanceof Targets.Sparse;
        boolean covered = (c == Precision.FP64 || c == Precision.FP32) && acc == c
                || (c == Precision.BF16 || c == Precision.FP16) && acc == Precision.FP32 && sparse;
        return covered ? kernels.kernel(variant.provider(), precision, options) : null;
    }

    /** fused's sparse row kernel of the provider at the precision (see {@link Kernels#kernel}). */
    static FusedSparseRowKernel fused(KernelProvider provider, PrecisionSpec precision) {
        return switch (precision.compute()) {
            case FP64 -> provider.fusedFp64();
            case FP32 -> provider.fusedFp32();
            default -> provider.fusedHalf(precision.compute());
        };
    }

    /** fused's dense row kernel of the provider at the precision, or null in bf16 and fp16 (none is used there). */
    static FusedDenseRowKernel fusedDense(KernelProvider provider, PrecisionSpec precision) {
        return switch (precision.compute()) {
            case FP64 -> provider.fusedDenseFp64();
            case FP32 -> provider.fusedDenseFp32();
            default -> null;
        };
    }

    /**
     * Clean rows through the kernel, the others through the reference core, then the reduction: the same bits and
     * events as {@code LossHeadRows.evaluate(input, options, precision, out, reference)} on a plain head.
     *
     * @param kernel    the row kernel; refuses a row by returning NaN
     * @param reference the path's reference core
     */
    private static void evaluate(LossInput input, LossOptions options, PrecisionSpec precision, LossResult out,
            int threads, HeadRowKernel kernel, LossHeadRows.Core reference) {
        LossHeadRows.check(input, options, precision);
        int rows = input.rows();
        int classes = input.classes();
        out.prepare(rows, classes);
        CountedArithmetic ops = out.arithmetic(precision);
        double[] p = out.probabilityBuffer(); // working memory here, kept or not
        double[] grad = out.gradient();
        double[] rowLosses = out.rowLosses();
        int[] labels = input.targets() instanceof Targets.Sparse sparse ? sparse.labels() : null;
        double[] targets = input.targets() instanceof Targets.Dense dense ? dense.values() : null;
        double[] logits = input.logits();
        // clean rows through the kernel, finished for the batch end (the gradient already divided by D); a refused
        // row is left NaN and re-run below, in row order, and the batch end divides and counts it
        double divisor = Reductions.gradientDivisor(options.reduction(), rows, rows);
        boolean[] finished = out.finishedRows();
        if (threads == 1) {
            fastRows(kernel, logits, labels, targets, classes, 0, rows, p, grad, divisor, rowLosses, finished,
                    out.kernelScratch());
        } else {
            ParallelRows.run(rows, threads, (from, to) -> fastRows(kernel, logits, labels, targets, classes, from, to,
                    p, grad, divisor, rowLosses, finished, new double[LaneSums.SCRATCH]));
        }
        double[] z = out.scratchLogits();
        double[] t = out.scratchTargets();
        HeadRow head = out.headRow();
        for (int i = 0; i < rows; i++) {
            if (rowLosses[i] == rowLosses[i]) {
                continue;
            }
            // LossHeadRows.evaluate's row on a plain head: round, fill the target, run the core
            RowTargets.roundLogits(input, i, ops, z);
            RowTargets.fill(input, options, i, ops, t, head);
            rowLosses[i] = reference.row(ops, z, t, head, options, classes, i, p, grad, i * classes, out);
        }
        Reductions.finishOnThreads(ops, options.reduction(), out, threads);
    }

    /**
     * Rows [from, to) through the kernel (sparse labels, or dense targets when labels is null): an accepted row is
     * finished, a refused row's loss is NaN.
     */
    private static void fastRows(HeadRowKernel kernel, double[] logits, int[] labels, double[] targets, int classes,
            int from, int to, double[] p, double[] grad, double divisor, double[] rowLosses, boolean[] finished,
            double[] scratch) {
        for (int i = from; i < to; i++) {
            double loss = labels != null
                    ? kernel.finishedSparseRow(logits, i * classes, classes, labels[i], p, grad, divisor, scratch)
                    : kernel.denseRow(logits, targets, i * classes, classes, p, grad, divisor, scratch);
            rowLosses[i] = loss;
            finished[i] = loss == loss;
        }
    }
}
