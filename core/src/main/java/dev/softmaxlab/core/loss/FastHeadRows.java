package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.kernel.FusedSparseRowKernel;
import dev.softmaxlab.core.kernel.KernelProvider;
import dev.softmaxlab.core.kernel.LaneSums;
import dev.softmaxlab.core.numeric.CountedArithmetic;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.List;

/**
 * The fast variants of the paths that sit on {@link LossHeadRows} ({@code fused-chunked}, {@code double-softmax},
 * {@code fused-lowp-grad}): a plain head (sparse labels, no option that changes a row: no smoothing, weights,
 * z-loss, softcap or ignored row) in fp64 or fp32 runs its clean rows through a row kernel, split across threads;
 * then, in row order, every row the kernel refused goes through the path's reference core exactly as
 * {@link LossHeadRows#evaluate} would run it. Everything else is {@link LossHeadRows#evaluate} itself. The rows a
 * kernel accepts are rows in which the reference counts nothing, so bits and events are the reference's whatever
 * the variant and the thread count (held by {@code KernelVariantTest}).
 */
final class FastHeadRows {

    private FastHeadRows() {
    }

    /** The variants of a path with fast kernels: as {@code fused}'s. */
    static List<KernelVariant> variants() {
        return KernelProvider.vector().isPresent()
                ? List.of(KernelVariant.REFERENCE, KernelVariant.SCALAR, KernelVariant.VECTOR)
                : List.of(KernelVariant.REFERENCE, KernelVariant.SCALAR);
    }

    /**
     * The provider of a fast variant for this evaluation, or null when every row goes through the reference: the
     * reference variant, a head that is not plain, and precisions other than fp64 and fp32 accumulated in themselves.
     */
    static KernelProvider provider(LossInput input, LossOptions options, PrecisionSpec precision,
            KernelVariant variant) {
        if (variant == KernelVariant.REFERENCE || !(input.targets() instanceof Targets.Sparse)
                || options.labelSmoothing() != 0.0 || !LossHeadRows.isPlain(input, options)) {
            return null;
        }
        Precision c = precision.compute();
        if ((c == Precision.FP64 || c == Precision.FP32) && precision.accumulate() == c) {
            return variant.provider();
        }
        return null;
    }

    /** The variant that runs: {@code requested} when {@link #provider} has a kernel for this evaluation. */
    static KernelVariant kernelFor(LossInput input, LossOptions options, PrecisionSpec precision,
            KernelVariant requested) {
        return provider(input, options, precision, requested) != null ? requested : KernelVariant.REFERENCE;
    }

    /** fused's sparse row kernel of the provider at the precision (fp64 or fp32). */
    static FusedSparseRowKernel fused(KernelProvider provider, PrecisionSpec precision) {
        return precision.compute() == Precision.FP64 ? provider.fusedFp64() : provider.fusedFp32();
    }

    /**
     * Clean rows through the kernel, the others through the reference core, then the reduction: the same bits and
     * events as {@code LossHeadRows.evaluate(input, options, precision, out, reference)} on a plain head.
     *
     * @param kernel    the row kernel; refuses a row by returning NaN
     * @param reference the path's reference core
     */
    static void evaluate(LossInput input, LossOptions options, PrecisionSpec precision, LossResult out, int threads,
            FusedSparseRowKernel kernel, LossHeadRows.Core reference) {
        LossHeadRows.check(input, options, precision);
        int rows = input.rows();
        int classes = input.classes();
        out.prepare(rows, classes);
        CountedArithmetic ops = out.arithmetic(precision);
        double[] p = out.probabilityBuffer(); // working memory here, kept or not
        double[] grad = out.gradient();
        double[] rowLosses = out.rowLosses();
        int[] labels = ((Targets.Sparse) input.targets()).labels();
        double[] logits = input.logits();
        if (threads == 1) {
            fastRows(kernel, logits, labels, classes, 0, rows, p, grad, rowLosses, out.kernelScratch());
        } else {
            ParallelRows.run(rows, threads, (from, to) -> fastRows(kernel, logits, labels, classes, from, to, p, grad,
                    rowLosses, new double[LaneSums.SCRATCH]));
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

    /** Rows [from, to) through the kernel; a refused row's loss is NaN. */
    private static void fastRows(FusedSparseRowKernel kernel, double[] logits, int[] labels, int classes, int from,
            int to, double[] p, double[] grad, double[] rowLosses, double[] scratch) {
        for (int i = from; i < to; i++) {
            rowLosses[i] = kernel.sparseRow(logits, i * classes, classes, labels[i], p, grad, scratch);
        }
    }
}
