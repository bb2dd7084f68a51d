package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.kernel.FusedDenseRowKernel;
import dev.softmaxlab.core.kernel.FusedSparseRowKernel;
import dev.softmaxlab.core.kernel.KernelProvider;
import dev.softmaxlab.core.kernel.LaneSums;
import dev.softmaxlab.core.kernel.RowEvents;
import dev.softmaxlab.core.kernel.ScalarFusedDenseFp64;
import dev.softmaxlab.core.numeric.CountedArithmetic;
import dev.softmaxlab.core.numeric.NumericEvent;
import dev.softmaxlab.core.numeric.NumericEvents;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.List;

/**
 * {@code fused}: cross-entropy straight from the logits through a stable log-sum-exp. It never forms log(p).
 *
 * <p>Per row (z rounded to the compute format; m = max_j z_j starting from -∞, a its first argmax):
 * <pre>
 *   e_j  = exp(z_j - m)                         e_a = 1, every e_j in (0, 1]
 *   s'   = Σ_{j≠a} e_j                          compensated sum, so s = 1 + s'
 *   loss = (m - z_y) + log1p(s')                sparse label y
 *   loss = Σ_j t_j (m - z_j) + (Σ_j t_j) log1p(s')   dense t (terms with t_j = 0 are skipped: weight 0)
 *   grad_j = e_j/s                              j ≠ y (sparse)
 *   grad_y = -rest_y/s,  rest_y = s - e_y (= s' when y = a)
 *   grad_j = (e_j (1 - t_j) - t_j rest_j)/s     dense
 * </pre>
 * Why this form: (m - z_y) is exact-ish and large terms never cancel against log s, log1p keeps a tiny s' (a tiny
 * loss, e.g. logits [40, 0, 0] with label 0 gives 2e^-40 ≈ 8.5e-18) to full relative precision, and rest_y is formed
 * without the cancellation of p_y - 1. exp(z_j - m) takes the difference more precisely than one rounding
 * ({@link CountedArithmetic#expOfDifference}), which keeps the result within a few ulps of the exactly rounded loss.
 *
 * <p>A row whose max is not finite (all -∞ or NaN, or a +∞ logit) runs the plain formulas
 * e_j = exp(z_j - m), s = Σ e_j, loss = (m - z_y) + log s, and gets whatever NaN or ∞ they give, counted.
 *
 * <p>Kernels ({@link #variants()}): {@code reference} runs {@link #row} on every row, instrumented. The fast variants
 * ({@code scalar}, {@code vector}) run the clean rows in fp64 and fp32 through a {@link FusedSparseRowKernel} or, for
 * dense targets, a {@link FusedDenseRowKernel} (same operations, same order, no accounting, the batch end's division
 * folded in), split across threads; then, in row order, every row the kernel refused (something countable happened
 * in it, or a dense gradient entry cancels), and every row with options or a precision the kernels do not cover, goes
 * through {@link #row}, and the batch end divides and counts those rows only. The bf16 and fp16 sparse kernels keep
 * a row whose only events are finite (subnormal results, exps that give 0) and count them as the reference would
 * ({@link FusedSparseRowKernel#countingFinishedSparseRow}); those counts are added to the evaluation's events. So
 * bits and events do not depend on the variant or the thread count. Without probabilities ({@link LossResult#withoutProbabilities()}) the kernels form
 * the gradient in place and the reference's rows use [C] scratch rows: O(B + C) memory beyond logits and gradient.
 */
public final class FusedSoftmaxCrossEntropy implements LossPath {

    public static final String ID = "fused";

    /**
     * A dense gradient entry whose numerator e_j(1 - t_j) - t_j·rest_j is below this fraction of its larger term
     * has lost more than 3 bits to cancellation: it is taken from the exact reference instead (the cheap test). The
     * fast dense kernels refuse a row with such an entry, with the same number.
     */
    static final double DENSE_CANCELLATION = ScalarFusedDenseFp64.DENSE_CANCELLATION;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<KernelVariant> variants() {
        return KernelProvider.vector().isPresent()
                ? List.of(KernelVariant.REFERENCE, KernelVariant.SCALAR, KernelVariant.VECTOR)
                : List.of(KernelVariant.REFERENCE, KernelVariant.SCALAR);
    }

    @Override
    public void evaluate(LossInput input, LossOptions options, PrecisionSpec precision, LossResult out) {
        evaluate(input, options, precision, out, KernelChoice.fastest(input));
    }

    @Override
    public void evaluate(LossInput input, LossOptions options, PrecisionSpec precision, LossResult out,
            KernelChoice choice) {
        LossHeadRows.check(input, options, precision);
        if (!LossHeadRows.isPlain(input, options)) {
            LossHeadRows.evaluate(input, options, precision, out, FusedSoftmaxCrossEntropy::headRow);
            return;
        }
        int rows = input.rows();
        int classes = input.classes();
        out.prepare(rows, classes);
        CountedArithmetic ops = out.arithmetic(precision);
        boolean keep = out.keepsProbabilities();
        double[] p = keep ? out.probabilities() : null; // without them, the kernels form the gradient in place
        double[] grad = out.gradient();
        double[] rowLosses = out.rowLosses();
        FusedSparseRowKernel sparseKernel = null;
        FusedDenseRowKernel denseKernel = null;
        if (fastKernels(input, options, precision, choice.variant())) { // plain head, checked above
            KernelProvider provider = choice.variant().provider();
            Precision compute = precision.compute();
            boolean fp64 = compute == Precision.FP64;
            boolean half = compute == Precision.BF16 || compute == Precision.FP16;
            if (input.targets() instanceof Targets.Sparse) {
                sparseKernel = half ? provider.fusedHalf(compute) : fp64 ? provider.fusedFp64() : provider.fusedFp32();
            } else {
                denseKernel = half ? provider.fusedDenseHalf(compute)
                        : fp64 ? provider.fusedDenseFp64() : provider.fusedDenseFp32();
            }
        }
        boolean fast = sparseKernel != null || denseKernel != null;
        if (fast) {
            // clean rows through the fast kernel, finished for the batch end (the gradient already divided by D);
            // a refused row is left NaN and re-run below, in row order, and the batch end divides and counts it
            double divisor = Reductions.gradientDivisor(options.reduction(), rows, rows);
            boolean[] finished = out.finishedRows();
            double[] logits = input.logits();
            FusedSparseRowKernel sk = sparseKernel;
            FusedDenseRowKernel dk = denseKernel;
            int[] labels = sk != null ? ((Targets.Sparse) input.targets()).labels() : null;
            double[] targets = dk != null ? ((Targets.Dense) input.targets()).values() : null;
            NumericEvents events = ops.events();
            if (choice.threads() == 1) {
                fastRows(sk, dk, logits, labels, targets, classes, 0, rows, p, grad, divisor, rowLosses, finished,
                        out.kernelScratch(), events);
            } else {
                // each range counts its accepted rows' events apart; the counts are integers, so adding them up in
                // whatever order the ranges end gives the same totals
                ParallelRows.run(rows, choice.threads(), (from, to) -> {
                    NumericEvents counted = new NumericEvents();
                    fastRows(sk, dk, logits, labels, targets, classes, from, to, p, grad, divisor, rowLosses,
                            finished, new double[LaneSums.SCRATCH], counted);
                    synchronized (events) {
                        events.merge(counted);
                    }
                });
            }
        }
        for (int i = 0; i < rows; i++) {
            if (fast && rowLosses[i] == rowLosses[i]) {
                continue;
            }
            double[] z = out.scratchLogits(); // [C] scratch, only for the rows that need the reference
            double[] t = out.scratchTargets();
            RowTargets.roundLogits(input, i, ops, z);
            int label = RowTargets.sparseLabel(input, options, i);
            if (label < 0) {
                RowTargets.fillDense(input, options, i, ops, t);
            }
            if (keep) {
                rowLosses[i] = row(ops, z, t, label, classes, i, p, grad, i * classes, out);
            } else {
                // the row's probabilities live in a [C] scratch for as long as the row needs them
                double[] gradRow = out.scratchRowGradient();
                rowLosses[i] = row(ops, z, t, label, classes, i, out.scratchRowProbabilities(), gradRow, 0, out);
                System.arraycopy(gradRow, 0, grad, i * classes, classes);
            }
        }
        Reductions.finish(ops, options.reduction(), out);
    }

    @Override
    public KernelVariant kernelFor(LossInput input, LossOptions options, PrecisionSpec precision,
            KernelVariant requested) {
        return LossHeadRows.isPlain(input, options) && fastKernels(input, options, precision, requested)
                ? requested : KernelVariant.REFERENCE;
    }

    /**
     * Rows [from, to) through the fast kernel (the sparse one, or the dense one when sparse is null); a refused row's
     * loss is NaN, an accepted row is finished, and the finite events a sparse kernel counted in it
     * ({@link RowEvents}) are added to counted.
     */
    private static void fastRows(FusedSparseRowKernel sparse, FusedDenseRowKernel dense, double[] logits,
            int[] labels, double[] targets, int classes, int from, int to, double[] p, double[] grad, double divisor,
            double[] rowLosses, boolean[] finished, double[] scratch, NumericEvents counted) {
        for (int i = from; i < to; i++) {
            double loss;
            if (sparse != null) {
                loss = sparse.countingFinishedSparseRow(logits, i * classes, classes, labels[i], p, grad, divisor,
                        scratch);
                if (loss == loss) {
                    counted.add(NumericEvent.SUBNORMAL, (long) scratch[RowEvents.SUBNORMAL_SLOT]);
                    counted.add(NumericEvent.EXP_UNDERFLOW, (long) scratch[RowEvents.EXP_UNDERFLOW_SLOT]);
                }
            } else {
                loss = dense.finishedDenseRow(logits, targets, i * classes, classes, p, grad, divisor, scratch);
            }
            rowLosses[i] = loss;
            finished[i] = loss == loss;
        }
    }

    /**
     * Whether this evaluation runs the fast kernels first: fp64 and fp32 accumulated in themselves, bf16 and fp16
     * accumulated in fp32, sparse labels and dense targets; not for the reference variant, nor for options that
     * change a row.
     * Otherwise every row goes through the reference.
     */
    private static boolean fastKernels(LossInput input, LossOptions options, PrecisionSpec precision,
            KernelVariant variant) {
        Precision compute = precision.compute();
        Precision acc = precision.accumulate();
        boolean covered = (compute == Precision.FP64 || compute == Precision.FP32) && acc == compute
                || (compute == Precision.BF16 || compute == Precision.FP16) && acc == Precision.FP32;
        return variant != KernelVariant.REFERENCE && covered && plainHead(options);
    }

    /**
     * True when every option that changes a row's arithmetic is at its default (the reduction acts after the rows,
     * and the clip ε belongs to another path): only then do the fast kernels apply. An option added later is covered
     * without a change here, as long as {@link LossOptions#DEFAULTS} holds its default.
     */
    private static boolean plainHead(LossOptions options) {
        // the answer for the options object seen last is kept, so a training loop's steps allocate nothing here
        Verdict last = lastVerdict;
        if (last != null && last.options == options) {
            return last.plain;
        }
        boolean plain = options.withReduction(LossOptions.DEFAULTS.reduction())
                .withClipEpsilon(LossOptions.DEFAULTS.clipEpsilon()).equals(LossOptions.DEFAULTS);
        lastVerdict = new Verdict(options, plain);
        return plain;
    }

    private record Verdict(LossOptions options, boolean plain) {
    }

    private static volatile Verdict lastVerdict;

    /**
     * One row of the loss head (see {@link LossHeadRows}): the fused row, times w_y for a weighted sparse label, plus
     * the z-loss.
     */
    static double headRow(CountedArithmetic ops, double[] z, double[] t, HeadRow head, LossOptions options,
            int classes, int row, double[] p, double[] grad, int offset, LossResult out) {
        double loss = row(ops, z, t, head.label, classes, row, p, grad, offset, head.mass, false, head, out);
        return weightAndZLoss(ops, head, options, classes, row, p, grad, offset, loss);
    }

    /**
     * The sparse label's class weight and the z-loss on a fused row already evaluated: a weighted sparse row's loss
     * and gradient are multiplied by w_y (PyTorch's per-sample weight), then λ·lse² is added to the loss and
     * 2λ·lse·p_j to the gradient.
     */
    static double weightAndZLoss(CountedArithmetic ops, HeadRow head, LossOptions options, int classes, int row,
            double[] p, double[] grad, int offset, double loss) {
        if (head.label >= 0 && head.weighted) {
            double w = head.labelWeight;
            loss = ops.mul(w, loss, row, head.label);
            for (int j = 0; j < classes; j++) {
                grad[offset + j] = ops.mul(w, grad[offset + j], row, j);
            }
        }
        return ZLossModule.apply(ops, ops.compute().round(options.zLoss()), head, p, offset, grad, offset, classes,
                row, loss);
    }

    /** One row, forward and backward, with a target of mass 1 and the precise gradient. */
    static double row(CountedArithmetic ops, double[] z, double[] t, int label, int classes, int row,
            double[] p, double[] grad, int offset, LossResult out) {
        return row(ops, z, t, label, classes, row, p, grad, offset, 1.0, false, null, out);
    }

    /**
     * One row: forward and backward.
     *
     * @param z     [C] logits in the compute format, not modified
     * @param t     [C] dense target, read only when label &lt; 0
     * @param p     probabilities, row written at offset
     * @param grad  gradient, row written at offset (not yet scaled by the reduction)
     * @param gradMass Σ t_j of a dense target as the gradient takes it: 1 for a distribution, Σ w_c·t_c with weights
     * @param lowpGrad form the gradient as p_j rounded minus t_j ({@code fused-lowp-grad}) instead of precisely
     * @param lse   where to record m and log s for the z-loss, or null
     * @param out   supplies the exact-reference scratch for a dense row whose p_j - t_j cancels
     * @return the row's loss
     */
    static double row(CountedArithmetic ops, double[] z, double[] t, int label, int classes, int row,
            double[] p, double[] grad, int offset, double gradMass, boolean lowpGrad, HeadRow lse, LossResult out) {
        double m = Double.NEGATIVE_INFINITY;
        int argmax = -1;
        for (int j = 0; j < classes; j++) {
            if (z[j] > m) {
                m = z[j];
                argmax = j;
            }
        }
        if (argmax < 0 || m == Double.POSITIVE_INFINITY) {
            return nonFiniteMaxRow(ops, z, t, label, classes, row, m, p, grad, offset, gradMass, lse);
        }
        // e is kept in p until the gradient is formed
        for (int j = 0; j < classes; j++) {
            p[offset + j] = j == argmax ? 1.0 : ops.expOfDifference(z[j], m, row, j);
        }
        double sPrime = ops.compensatedSum(p, offset, offset + classes, offset + argmax, row, -1);
        return tail(ops, z, t, label, classes, row, m, argmax, sPrime, p, grad, offset, gradMass, lowpGrad, lse,
                out);
    }

    /**
     * The rest of a row once m, its argmax a and s' = Σ_{j≠a} e_j are known, with e_j = exp(z_j - m) in p's row
     * (e_a = 1): loss, probabilities and gradient. {@code fused-chunked} arrives here with its own m and s'.
     */
    static double tail(CountedArithmetic ops, double[] z, double[] t, int label, int classes, int row, double m,
            int argmax, double sPrime, double[] p, double[] grad, int offset, double gradMass, boolean lowpGrad,
            HeadRow lse, LossResult out) {
        double s = ops.add(1.0, sPrime, row, -1);
        double logS = ops.log1p(sPrime, row, -1);
        if (lse != null) {
            lse.fusedLse(m, logS);
        }
        double loss;
        if (label >= 0) {
            loss = ops.add(ops.sub(m, z[label], row, label), logS, row, -1);
            double eY = p[offset + label];
            double restY = lowpGrad || label == argmax ? sPrime : ops.sub(s, eY, row, label);
            for (int j = 0; j < classes; j++) {
                double pj = ops.div(p[offset + j], s, row, j);
                p[offset + j] = pj;
                grad[offset + j] = pj;
            }
            grad[offset + label] = lowpGrad
                    ? ops.sub(p[offset + label], 1.0, row, label) // the stored p_y minus 1: Liger #1329's gradient
                    : 0.0 - ops.div(restY, s, row, label); // 0.0 - x: no negative zero when rest is 0
        } else {
            double cross = 0.0;
            double mass = 0.0;
            boolean crossFinite = true;
            for (int j = 0; j < classes; j++) {
                double tj = t[j];
                if (tj != 0.0) {
                    double term = ops.mul(tj, ops.sub(m, z[j], row, j), row, j);
                    crossFinite &= Math.abs(term) <= Double.MAX_VALUE;
                    cross = ops.arithmetic().accumulate(cross, term);
                    mass = ops.arithmetic().accumulate(mass, tj);
                }
            }
            cross = ops.endSum(cross, crossFinite, row, -1);
            mass = ops.endSum(mass, true, row, -1);
            loss = ops.add(cross, ops.mul(mass, logS, row, -1), row, -1);
            boolean exact = false;
            for (int j = 0; j < classes; j++) {
                double ej = p[offset + j];
                double tj = t[j];
                if (lowpGrad) {
                    double pj = ops.div(ej, s, row, j);
                    p[offset + j] = pj;
                    grad[offset + j] = ops.sub(gradMass == 1.0 ? pj : ops.mul(gradMass, pj, row, j), tj, row, j);
                    continue;
                }
                // grad_j = M·p_j - t_j = (e_j (M - t_j) - t_j rest_j)/s, M = gradMass, rest_j = s - e_j: nothing cancels
                double restJ = j == argmax ? sPrime : ops.sub(s, ej, row, j);
                double kept = ops.mul(ej, ops.sub(gradMass, tj, row, j), row, j);
                double given = ops.mul(tj, restJ, row, j);
                double numerator = ops.sub(kept, given, row, j);
                double g = ops.div(numerator, s, row, j);
                if (gradMass == 1.0 && Math.abs(numerator) < DENSE_CANCELLATION * Math.max(Math.abs(kept),
                        Math.abs(given)) && Double.isFinite(g)) {
                    // p_j ≈ t_j: the subtraction keeps only the rounding errors of e_j, s and the products. Take g_j
                    // from the exact reference of this row's (rounded) z and t instead, rounded once (NUMERICS.md
                    // "Exact reference"); the row's reference is computed once, at the first such class. Only for a
                    // distribution (mass 1): the exact reference's gradient is p - t, not the weighted M·p - q.
                    exact = exact || out.exactReference().evaluate(z, 0, classes, -1, t, 0);
                    if (exact) {
                        g = ops.compute().round(out.exactReference().gradient()[j]);
                    }
                }
                grad[offset + j] = g;
                p[offset + j] = ops.div(ej, s, row, j);
            }
        }
        return loss;
    }

    /** The plain formulas for a row whose max is -∞ (every logit -∞ or NaN) or +∞. */
    private static double nonFiniteMaxRow(CountedArithmetic ops, double[] z, double[] t, int label, int classes,
            int row, double m, double[] p, double[] grad, int offset, double gradMass, HeadRow lse) {
        for (int j = 0; j < classes; j++) {
            p[offset + j] = ops.exp(ops.sub(z[j], m, row, j), row, j);
        }
        double s = ops.sum(p, offset, offset + classes, row, -1);
        double logS = ops.log(s, row, -1);
        if (lse != null) {
            lse.fusedLse(m, logS);
        }
        double loss;
        if (label >= 0) {
            loss = ops.add(ops.sub(m, z[label], row, label), logS, row, -1);
        } else {
            double cross = 0.0;
            double mass = 0.0;
            for (int j = 0; j < classes; j++) {
                if (t[j] != 0.0) {
                    cross = ops.arithmetic().accumulate(cross, ops.mul(t[j], ops.sub(m, z[j], row, j), row, j));
                    mass = ops.arithmetic().accumulate(mass, t[j]);
                }
            }
            loss = ops.add(ops.endSum(cross, false, row, -1), ops.mul(ops.endSum(mass, true, row, -1), logS, row, -1),
                    row, -1);
        }
        for (int j = 0; j < classes; j++) {
            double pj = ops.div(p[offset + j], s, row, j);
            p[offset + j] = pj;
            double tj = label >= 0 ? (j == label ? 1.0 : 0.0) : t[j];
            grad[offset + j] = ops.sub(gradMass == 1.0 ? pj : ops.mul(gradMass, pj, row, j), tj, row, j);
        }
        return loss;
    }
}
