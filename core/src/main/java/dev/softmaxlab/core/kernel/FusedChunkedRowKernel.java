package dev.softmaxlab.core.kernel;

import dev.softmaxlab.core.precision.NarrowStrictMath;
import dev.softmaxlab.core.precision.Precision;

/**
 * The fast twin of {@code fused-chunked}: the reference's operations in the reference's order, with no accounting,
 * in fp64 and fp32 (sparse labels and dense targets) and in bf16 and fp16 accumulated in fp32 (sparse labels), with
 * the partial sums carried in any carry precision R at least as wide as the format (by default the accumulation
 * precision: fp32 for bf16 and fp16).
 * <pre>
 *   C ≤ chunkSize:  one chunk, nothing carried: fused's row kernel (scalar or vector), bit for bit
 *   otherwise, z_j = round(z_j), per chunk k of [from, to):
 *     m_k, a_k   max and first argmax;  e_j = exp(z_j - m_k) as fused takes it;  s'_k = fused's compensated sum
 *                over j ≠ a_k, rounded to the format
 *     merge      m_k ≤ m: s' = R(s' + R(R(1 + s'_k)·f)), f = R(exp(m_k - m)) with the difference's TwoSum error
 *                m_k &gt; m: s' = R(s'_k + R(R(1 + s')·f)), f = R(exp(m - m_k)); m = m_k, a = a_k
 *   second pass  e_j = exp(z_j - m) for every chunk whose max is not m
 *   end          s' = round(s')  (the carried sum back in the format)
 *   tail         fused's, every result rounded to the format:
 *                sparse: loss = (m - z_y) + log1p(s'), p_j = e_j/s, grad_y = -(s - e_y)/s
 *                dense:  loss = Σ_{t_j≠0} t_j (m - z_j) + (Σ t_j) log1p(s'),
 *                        grad_j = (e_j (1 - t_j) - t_j rest_j)/s, rest_j = s - e_j (s' at a)
 * </pre>
 * A row is clean, and returned, when every logit (and target) is zero or normal, every exponential (shifted term,
 * rescaling factor, second-pass term) is normal, every other result is zero or a finite normal number (in the carry
 * precision for the carry's results), and no dense gradient numerator cancels (the reference takes such an entry
 * from the exact reference): then the reference counts nothing. Any other row returns NaN for the reference; in bf16
 * and fp16, as in fused's half kernel, also a row whose smallest probability is most likely not normal
 * ({@link ScalarFusedHalf#smallestProbabilityGuess}), before its exp passes. A one-chunk row runs the provider's
 * fused kernel; a row of several takes its fp64 exps from the provider ({@link KernelProvider#expNonPositive}, a
 * vector at a time in the vector provider) and does the rest in scalar code. Thread-safe: its buffers are per thread.
 */
public final class FusedChunkedRowKernel implements HeadRowKernel {

    /**
     * Per thread: the row's logits rounded to the format [C]; fp64 only: z_j - m, its TwoSum error, and exp of the
     * former, each [chunk] (grown, never shrunk).
     */
    private static final ThreadLocal<double[][]> BUFFERS = ThreadLocal.withInitial(
            () -> new double[][] {new double[0], new double[0], new double[0], new double[0]});

    private final KernelProvider provider;
    private final FusedSparseRowKernel fused;
    private final FusedDenseRowKernel fusedDense;
    private final int chunkSize;
    private final Precision format;
    private final Precision carry;
    /** In bf16 and fp16: fused's scalar half kernel, whose rounding on the bits this kernel uses; else null. */
    private final ScalarFusedHalf half;
    /**
     * Whether bf16 and fp16 take their exps from the provider (the vector one; see {@link #shiftedExps}). fp32 keeps
     * {@link NarrowStrictMath}: with the vector provider's exps its rows of several chunks took twice the CPU.
     */
    private final boolean vectorExp;
    /** The format's and the carry's smallest normal and largest finite numbers. */
    private final double minNormal;
    private final double maxFinite;
    private final double carryMinNormal;
    private final double carryMaxFinite;

    /**
     * @param provider   whose exp the fp64 chunks use ({@link KernelProvider#expNonPositive}: StrictMath's bits, a
     *                   vector at a time in the vector provider)
     * @param fused      fused's sparse kernel of the same precision, for rows of one chunk
     * @param fusedDense fused's dense kernel of the same precision, for dense rows of one chunk; or null where there
     *                   is none (every dense row is then refused)
     * @param chunkSize  classes per chunk, ≥ 1
     * @param format     the compute format: fp64 or fp32 accumulated in itself, bf16 or fp16 accumulated in fp32
     * @param carry      the chunk-carry precision R, at least as wide as the format
     */
    public FusedChunkedRowKernel(KernelProvider provider, FusedSparseRowKernel fused, FusedDenseRowKernel fusedDense,
            int chunkSize, Precision format, Precision carry) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size " + chunkSize);
        }
        this.provider = provider;
        this.fused = fused;
        this.fusedDense = fusedDense;
        this.chunkSize = chunkSize;
        this.format = format;
        this.carry = carry;
        this.half = format == Precision.BF16 ? ScalarFusedHalf.BF16 : format == Precision.FP16 ? ScalarFusedHalf.FP16
                : null;
        this.vectorExp = provider != KernelProvider.scalar() && half != null;
        this.minNormal = format.minNormal();
        this.maxFinite = format.maxFinite();
        this.carryMinNormal = carry.minNormal();
        this.carryMaxFinite = carry.maxFinite();
    }

    @Override
    public double sparseRow(double[] logits, int base, int classes, int label, double[] p, double[] grad,
            double[] scratch) {
        return finishedSparseRow(logits, base, classes, label, p, grad, 1.0, scratch);
    }

    @Override
    public double finishedSparseRow(double[] logits, int base, int classes, int label, double[] p, double[] grad,
            double divisor, double[] scratch) {
        if (classes <= chunkSize) {
            return fused.finishedSparseRow(logits, base, classes, label, p, grad, divisor, scratch);
        }
        if (p == null) {
            return Double.NaN;
        }
        double loss = chunkedRow(logits, null, base, classes, label, p, grad);
        return loss == loss && HeadRowKernel.divide(grad, base, classes, divisor, format) ? loss : Double.NaN;
    }

    @Override
    public double denseRow(double[] logits, double[] targets, int base, int classes, double[] p, double[] grad,
            double divisor, double[] scratch) {
        if (fusedDense == null || half != null) {
            return Double.NaN;
        }
        if (classes <= chunkSize) {
            return fusedDense.finishedDenseRow(logits, targets, base, classes, p, grad, divisor, scratch);
        }
        if (p == null) {
            return Double.NaN;
        }
        double loss = chunkedRow(logits, targets, base, classes, -1, p, grad);
        return loss == loss && HeadRowKernel.divide(grad, base, classes, divisor, format) ? loss : Double.NaN;
    }

    /**
     * A row of several chunks.
     *
     * @param targets [B, C] dense targets, or null for the sparse label
     * @param label   the sparse label, or -1 with dense targets
     */
    private double chunkedRow(double[] logits, double[] targets, int base, int classes, int label, double[] p,
            double[] grad) {
        double[][] b = BUFFERS.get();
        if (b[0].length < classes) {
            b[0] = new double[classes];
        }
        double[] z = b[0]; // [C] the row's logits in the format
        if (half != null && ScalarFusedHalf.likelySubnormalProbability(logits, base, classes, minNormal)) {
            // the reference will most likely count a subnormal p_j (most fp16 rows of 1000+ classes): refused before
            // the rounding pass, which costs most
            return Double.NaN;
        }
        boolean clean = true;
        double zMax = Double.NEGATIVE_INFINITY;
        double zMin = Double.POSITIVE_INFINITY;
        for (int j = 0; j < classes; j++) {
            double zj = format.round(logits[base + j]);
            clean &= zeroOrNormal(zj);
            zMax = Math.max(zMax, zj);
            zMin = Math.min(zMin, zj);
            z[j] = zj;
        }
        if (targets != null) {
            for (int j = 0; j < classes; j++) {
                clean &= zeroOrNormal(format.round(targets[base + j]));
            }
        }
        if (!clean) {
            return Double.NaN;
        }
        double m = Double.NEGATIVE_INFINITY;
        int argmax = -1;
        double sPrime = 0.0;
        for (int from = 0; from < classes; from += chunkSize) {
            int to = Math.min(classes, from + chunkSize);
            int a = argmax(z, from, to);
            double mk = z[a];
            if (!(shiftedExps(z, from, to, a, mk, p, base) >= minNormal)) {
                return Double.NaN;
            }
            double sk = format == Precision.FP64 ? LaneSums.compensatedSum(p, base + from, base + to, base + a)
                    : round(LaneSums.compensatedSumFloat(p, base + from, base + to, base + a));
            if (!zeroOrNormal(sk)) {
                return Double.NaN;
            }
            if (argmax < 0) {
                m = mk;
                argmax = a;
                sPrime = sk;
                continue;
            }
            double f = mk > m ? carryExp(m, mk) : carryExp(mk, m);
            if (!(f >= carryMinNormal)) {
                return Double.NaN;
            }
            double one = carry.round(1.0 + (mk > m ? sPrime : sk)); // ≥ 1 and finite: never an event
            double scaled = carry.round(one * f);
            double merged = carry.round((mk > m ? sk : sPrime) + scaled);
            if (!zeroOrNormalInCarry(scaled) || !zeroOrNormalInCarry(merged)) {
                return Double.NaN;
            }
            sPrime = merged;
            if (mk > m) {
                m = mk;
                argmax = a;
            }
        }
        for (int from = 0; from < classes; from += chunkSize) {
            int to = Math.min(classes, from + chunkSize);
            int a = argmax(z, from, to);
            if (z[a] != m && !(shiftedExps(z, from, to, -1, m, p, base) >= minNormal)) {
                return Double.NaN;
            }
        }
        sPrime = round(sPrime); // the reference's end of the sum: the carried value back in the format
        if (!zeroOrNormal(sPrime)) {
            return Double.NaN;
        }
        return targets == null ? sparseTail(z, base, classes, label, m, argmax, sPrime, p, grad)
                : denseTail(z, targets, base, classes, m, argmax, sPrime, p, grad);
    }

    /** fused's sparse tail from m, a and s' (e_j in p's row), every result rounded to the format. */
    private double sparseTail(double[] z, int base, int classes, int label, double m, int argmax, double sPrime,
            double[] p, double[] grad) {
        double s = round(1.0 + sPrime);
        double logS = round(StrictMath.log1p(sPrime));
        double d = round(m - z[label]);
        double loss = round(d + logS);
        boolean clean = zeroOrNormal(logS) && zeroOrNormal(d) && zeroOrNormal(loss);
        double restY = label == argmax ? sPrime : round(s - p[base + label]);
        double minP = Double.MAX_VALUE;
        for (int j = 0; j < classes; j++) {
            double pj = round(p[base + j] / s);
            p[base + j] = pj;
            grad[base + j] = pj;
            minP = Math.min(minP, pj);
        }
        double gy = round(restY / s);
        grad[base + label] = 0.0 - gy; // no negative zero when rest is 0
        if (!clean || !(minP >= minNormal) || !zeroOrNormal(gy) || !zeroOrNormal(restY)) {
            return Double.NaN;
        }
        return loss;
    }

    /**
     * fused's dense tail (mass 1) from m, a and s' (e_j in p's row), every result rounded to the format (fp64 or
     * fp32, accumulated in itself); a numerator that cancels refuses the row.
     */
    private double denseTail(double[] z, double[] targets, int base, int classes, double m, int argmax,
            double sPrime, double[] p, double[] grad) {
        Precision f = format;
        double s = f.round(1.0 + sPrime);
        double logS = f.round(StrictMath.log1p(sPrime));
        // the cross term and the mass, over the classes the target weighs, left to right as the reference adds
        double cross = 0.0;
        double mass = 0.0;
        boolean clean = zeroOrNormal(logS);
        for (int j = 0; j < classes; j++) {
            double tj = f.round(targets[base + j]);
            if (tj != 0.0) {
                double diff = f.round(m - z[j]);
                double term = f.round(tj * diff);
                clean &= zeroOrNormal(diff) & zeroOrNormal(term);
                cross = f.round(cross + term);
                mass = f.round(mass + tj);
            }
        }
        double massLog = f.round(mass * logS);
        double loss = f.round(cross + massLog);
        clean &= zeroOrNormal(cross) & zeroOrNormal(mass) & zeroOrNormal(massLog) & zeroOrNormal(loss);
        if (!clean) {
            return Double.NaN;
        }
        for (int j = 0; j < classes; j++) {
            double ej = p[base + j];
            double tj = f.round(targets[base + j]);
            double rest = j == argmax ? sPrime : f.round(s - ej);
            double keep = f.round(1.0 - tj);
            double kept = f.round(ej * keep);
            double given = f.round(tj * rest);
            double numerator = f.round(kept - given);
            double g = f.round(numerator / s);
            double pj = f.round(ej / s);
            p[base + j] = pj;
            grad[base + j] = g;
            clean &= zeroOrNormal(rest) & zeroOrNormal(keep) & zeroOrNormal(kept) & zeroOrNormal(given)
                    & zeroOrNormal(numerator) & zeroOrNormal(g) & pj >= minNormal
                    & !(Math.abs(numerator) < ScalarFusedDenseFp64.DENSE_CANCELLATION
                            * Math.max(Math.abs(kept), Math.abs(given)));
        }
        return clean ? loss : Double.NaN;
    }

    /** The first index of the max of z[from..to); z holds finite values. */
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
     * fused's e_j = exp(z_j - m) for j in [from, to) into p's row at base, e_skip = 1 (skip -1: none): in fp32, bf16
     * and fp16 from the exact difference, rounded once to the format; in fp64 with the difference's TwoSum error δ
     * applied, exp(d)·(1 + δ) as {@link ScalarFusedFp64#shiftedExp}. The exps come a block at a time from the
     * provider (StrictMath's bits, a vector at a time in the vector provider), except in fp32, and in bf16 and fp16
     * under the scalar provider, where {@link NarrowStrictMath} is faster. A difference below -708 (outside the provider's
     * range, and within a hair of exp's subnormals even in fp64) refuses the row.
     *
     * @param z [C] the row in the format; not modified
     * @return the smallest e_j over j ≠ skip (MAX_VALUE when there is none), or -1 to refuse the row
     */
    private double shiftedExps(double[] z, int from, int to, int skip, double m, double[] p, int base) {
        int n = to - from;
        double[][] b = BUFFERS.get();
        if (b[1].length < n) {
            for (int k = 1; k < 4; k++) {
                b[k] = new double[Math.max(n, chunkSize)];
            }
        }
        double[] d = b[1];
        double[] delta = b[2];
        double[] e = b[3];
        if (format == Precision.FP64) {
            if (!differencesFp64(z, from, n, m, d, delta)) {
                return -1.0;
            }
            provider.expNonPositive(d, e, n);
            return termsFp64(e, delta, from, n, skip, p, base);
        }
        double minD = 0.0;
        for (int k = 0; k < n; k++) {
            double dk = z[from + k] - m; // exact: two values of the format
            minD = Math.min(minD, dk);
            d[k] = dk;
        }
        if (!(minD >= -708.0)) {
            return -1.0;
        }
        if (vectorExp) {
            provider.expNonPositive(d, e, n);
        } else {
            for (int k = 0; k < n; k++) {
                e[k] = NarrowStrictMath.exp(d[k], format); // already rounded: rounding again changes nothing
            }
        }
        double min = Double.MAX_VALUE;
        for (int k = 0; k < n; k++) {
            double v = round(e[k]);
            min = Math.min(min, v);
            p[base + from + k] = v;
        }
        if (skip >= 0) {
            p[base + skip] = 1.0; // exp(0) = 1, which the minimum may have taken, harmlessly: 1 is normal
        }
        return min;
    }

    /** d_k = z_{from+k} - m and its TwoSum error; false when a difference is below -708. */
    private static boolean differencesFp64(double[] z, int from, int n, double m, double[] d, double[] delta) {
        double minD = 0.0;
        for (int k = 0; k < n; k++) {
            double a = z[from + k];
            double dk = a - m;
            double bb = dk - a;
            delta[k] = (a - (dk - bb)) + (-m - bb);
            minD = Math.min(minD, dk);
            d[k] = dk;
        }
        return minD >= -708.0;
    }

    /** e_j = exp(d)·(1 + δ) into p's row, 1 at skip; the smallest over j ≠ skip. */
    private static double termsFp64(double[] e, double[] delta, int from, int n, int skip, double[] p, int base) {
        double min = Double.MAX_VALUE;
        for (int k = 0; k < n; k++) {
            int j = from + k;
            if (j == skip) {
                p[base + j] = 1.0;
                continue;
            }
            double v = e[k] + e[k] * delta[k];
            min = Math.min(min, v);
            p[base + j] = v;
        }
        return min;
    }

    /**
     * x rounded to the format: in bf16 and fp16 on its bits ({@link ScalarFusedHalf}'s rounding, the format's
     * wherever the result is a normal number and out of the normal range, so refused, wherever it is not).
     */
    private double round(double x) {
        return half != null ? half.roundOnBits(x) : format.round(x);
    }

    /** The reference's rescaling factor exp(a - b), a ≤ b, with the difference's TwoSum error, rounded to the carry. */
    private double carryExp(double a, double b) {
        double d = a - b;
        double bb = d - a;
        double delta = (a - (d - bb)) + (-b - bb);
        double e = StrictMath.exp(d);
        return carry.round(e + e * delta);
    }

    /** Whether x is zero or a finite normal number of the format. */
    private boolean zeroOrNormal(double x) {
        double a = Math.abs(x);
        return a == 0.0 || (a >= minNormal && a <= maxFinite);
    }

    /** Whether x is zero or a finite normal number of the carry precision. */
    private boolean zeroOrNormalInCarry(double x) {
        double a = Math.abs(x);
        return a == 0.0 || (a >= carryMinNormal && a <= carryMaxFinite);
    }
}
