package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.kernel.FusedChunkedRowKernel;
import dev.softmaxlab.core.numeric.CountedArithmetic;
import dev.softmaxlab.core.numeric.NumericEvent;
import dev.softmaxlab.core.numeric.NumericEvents;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.List;

/**
 * {@code fused-chunked}: {@code fused} over the classes in chunks of {@code chunkSize}, as vocabulary-blocked kernels
 * compute it (online softmax, Milakov and Gimelshein 2018), with the partial sums carried from chunk to chunk in the
 * chunk-carry precision R ({@code chunkCarry}, by default the accumulation precision).
 * <pre>
 *   chunk k = classes [k·K, min((k+1)·K, C)):
 *     m_k, a_k = max and first argmax of the chunk
 *     s'_k     = Σ_{j in k, j≠a_k} exp(z_j - m_k)        the same compensated sum as fused, so s_k = 1 + s'_k
 *   carry (m, a, s'), with s = 1 + s' = Σ_{seen j} exp(z_j - m); after chunk 0 it is (m_0, a_0, s'_0); then
 *     m_k ≤ m:  s' = R(s' + R(R(1 + s'_k)·R(exp(m_k - m))))
 *     m_k &gt; m:  s' = R(s'_k + R(R(1 + s')·R(exp(m - m_k)))),  m = m_k, a = a_k
 *   e_j = exp(z_j - m) again for every chunk whose m_k ≠ m (a second pass, as the kernels do), then fused's rest:
 *     loss = (m - z_y) + log1p(s'),  grad_j = e_j/s - t_j   ({@link FusedSoftmaxCrossEntropy#tail})
 * </pre>
 * The max's own term, exactly 1, is kept apart in the carry as fused keeps it apart in its sum; with one chunk
 * (C ≤ chunkSize) nothing is carried and the row is fused's, bit for bit. A carry in bf16 or fp16 rounds s' at
 * every chunk: that is where real kernels lost precision above large vocabularies (Megatron-LM #2206) and drifted
 * with the number of chunks (Liger-Kernel #1391). A row with a NaN logit or no finite max runs as fused.
 *
 * <p>The carry's own operations count their events: an exp(m_k - m) that underflows to 0 ({@code expUnderflow}), a
 * subnormal, and a carried sum that overflows R (first non-finite op {@code carry}).
 */
public final class FusedChunkedSoftmaxCrossEntropy implements LossPath {

    /** fused's kernels for rows of one chunk, the chunked twin for the others, in any chunk carry. */
    private static final FastHeadRows.Kernels KERNELS = (provider, precision, options) -> new FusedChunkedRowKernel(
            provider, FastHeadRows.fused(provider, precision), FastHeadRows.fusedDense(provider, precision),
            options.chunkSize(), precision.compute(), options.chunkCarryFor(precision));

    public static final String ID = "fused-chunked";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<KernelVariant> variants() {
        return FastHeadRows.variants();
    }

    @Override
    public void evaluate(LossInput input, LossOptions options, PrecisionSpec precision, LossResult out) {
        evaluate(input, options, precision, out, KernelChoice.fastest(input));
    }

    /**
     * A plain head runs its clean rows through {@link FusedChunkedRowKernel} ({@link FastHeadRows}: sparse labels in
     * every format, dense targets in fp64 and fp32, in any chunk carry); anything else runs the reference.
     */
    @Override
    public void evaluate(LossInput input, LossOptions options, PrecisionSpec precision, LossResult out,
            KernelChoice choice) {
        FastHeadRows.evaluate(input, options, precision, out, choice, KERNELS, FusedChunkedSoftmaxCrossEntropy::row);
    }

    @Override
    public KernelVariant kernelFor(LossInput input, LossOptions options, PrecisionSpec precision,
            KernelVariant requested) {
        return FastHeadRows.kernelFor(input, options, precision, requested, KERNELS);
    }

    /** Forward and backward of one row; see {@link LossHeadRows.Core}. */
    private static double row(CountedArithmetic ops, double[] z, double[] t, HeadRow head, LossOptions options,
            int classes, int row, double[] p, double[] grad, int offset, LossResult out) {
        int size = options.chunkSize();
        double loss;
        if (classes <= size || !chunkable(z, classes)) {
            loss = FusedSoftmaxCrossEntropy.row(ops, z, t, head.label, classes, row, p, grad, offset, head.mass,
                    false, head, out);
        } else {
            loss = chunkedRow(ops, z, t, head, classes, row, p, grad, offset, size,
                    options.chunkCarryFor(ops.arithmetic().spec()), out);
        }
        return FusedSoftmaxCrossEntropy.weightAndZLoss(ops, head, options, classes, row, p, grad, offset, loss);
    }

    /** A row with no NaN and a finite max: anything else gives fused's NaN or ∞ whatever the chunks. */
    private static boolean chunkable(double[] z, int classes) {
        double m = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < classes; j++) {
            if (z[j] != z[j]) {
                return false;
            }
            m = Math.max(m, z[j]);
        }
        return m > Double.NEGATIVE_INFINITY && m < Double.POSITIVE_INFINITY;
    }

    /**
     * @param z [C] finite max, no NaN; not modified
     * @param p the row at offset: e_j, then probabilities
     */
    private static double chunkedRow(CountedArithmetic ops, double[] z, double[] t, HeadRow head, int classes,
            int row, double[] p, double[] grad, int offset, int size, Precision carry, LossResult out) {
        NumericEvents events = ops.events();
        double m = Double.NEGATIVE_INFINITY;
        int argmax = -1;
        double sPrime = 0.0;
        for (int from = 0; from < classes; from += size) {
            int to = Math.min(classes, from + size);
            int a = argmax(z, from, to);
            if (a < 0) {
                continue; // every logit of the chunk is -∞: its terms are exactly 0
            }
            double mk = z[a];
            for (int j = from; j < to; j++) {
                p[offset + j] = j == a ? 1.0 : ops.expOfDifference(z[j], mk, row, j);
            }
            double sk = ops.compensatedSum(p, offset + from, offset + to, offset + a, row, -1);
            if (argmax < 0) {
                m = mk;
                argmax = a;
                sPrime = sk;
            } else if (mk > m) {
                double f = carryExp(m, mk, carry, events, row);
                sPrime = carry(sk + carry(carry(1.0 + sPrime, carry, events, row) * f, carry, events, row),
                        carry, events, row);
                m = mk;
                argmax = a;
            } else {
                double f = carryExp(mk, m, carry, events, row);
                sPrime = carry(sPrime + carry(carry(1.0 + sk, carry, events, row) * f, carry, events, row),
                        carry, events, row);
            }
        }
        // the second pass: the chunks whose max is not the row's have their e_j relative to their own max
        for (int from = 0; from < classes; from += size) {
            int to = Math.min(classes, from + size);
            int a = argmax(z, from, to);
            if (a < 0 || z[a] != m) {
                for (int j = from; j < to; j++) {
                    p[offset + j] = ops.expOfDifference(z[j], m, row, j);
                }
            }
        }
        sPrime = ops.endSum(sPrime, true, row, -1);
        return FusedSoftmaxCrossEntropy.tail(ops, z, t, head.label, classes, row, m, argmax, sPrime, p, grad, offset,
                head.mass, false, head, out);
    }

    /** The first index of the max of z[from..to), or -1 when every value is -∞. */
    private static int argmax(double[] z, int from, int to) {
        double m = Double.NEGATIVE_INFINITY;
        int a = -1;
        for (int j = from; j < to; j++) {
            if (z[j] > m) {
                m = z[j];
                a = j;
            }
        }
        return a;
    }

    /**
     * exp(a - b), a ≤ b, rounded to the carry precision; an underflow to 0 is counted. As fused's
     * {@link CountedArithmetic#expOfDifference}, the difference is taken more precisely than one rounding: a - b of
     * two fp64 maxima may be off by half an ulp of 30 or so, which exp turns into a relative error of 30 ulps in the
     * rescaled sum; the rounding error δ of a - b is recovered (TwoSum) and applied as exp(d)·(1 + δ).
     */
    private static double carryExp(double a, double b, Precision carry, NumericEvents events, int row) {
        double d = a - b;
        double bb = d - a;
        double delta = (a - (d - bb)) + (-b - bb);
        double e = StrictMath.exp(d);
        double r = carry.round(e + e * delta);
        if (r == 0.0) {
            events.increment(NumericEvent.EXP_UNDERFLOW);
        } else if (r < carry.minNormal()) {
            events.increment(NumericEvent.SUBNORMAL);
        }
        return r;
    }

    /** x (a sum or product of finite carry values) rounded to the carry precision; a subnormal or overflow counted. */
    private static double carry(double x, Precision carry, NumericEvents events, int row) {
        double r = carry.round(x);
        if (r == Double.POSITIVE_INFINITY) {
            events.recordNonFinite("carry", row, -1);
        } else if (r != 0.0 && r < carry.minNormal()) {
            events.increment(NumericEvent.SUBNORMAL);
        }
        return r;
    }
}
