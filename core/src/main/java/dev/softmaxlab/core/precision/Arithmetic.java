package dev.softmaxlab.core.precision;

/**
 * Elementwise arithmetic in a {@link PrecisionSpec}: each operation is computed in double and rounded once to the
 * compute format; sums accumulate in the accumulation format (every partial sum rounded to it) and are rounded to the
 * compute format at the end.
 *
 * <p>For fp64 nothing is rounded. For fp32 this reproduces Java float arithmetic exactly: the double result of
 * + - * / on two floats rounded to float equals the float operation (double has more than 2·24+2 bits), and exp, log,
 * log1p are computed in double and rounded once, as core/NUMERICS.md defines.
 *
 * <p>exp, log and log1p come from {@link StrictMath} (fdlibm), not {@link Math}: Math's intrinsics differ between
 * CPUs and JVMs in the last bit (about one exp in ten), and results here must be reproducible to the bit on every
 * machine. The cost is a few nanoseconds per exp in fp64; in the narrower formats {@link NarrowStrictMath} gives
 * StrictMath's rounded bits at the intrinsic's speed. The precision switch is on a final field
 * of a final class, so the JIT sees one predictable branch per operation.
 */
public final class Arithmetic {

    private final PrecisionSpec spec;
    private final Precision compute;
    private final Precision accumulate;

    public Arithmetic(PrecisionSpec spec) {
        this.spec = spec;
        this.compute = spec.compute();
        this.accumulate = spec.accumulate();
    }

    public PrecisionSpec spec() {
        return spec;
    }

    public Precision compute() {
        return compute;
    }

    public Precision accumulate() {
        return accumulate;
    }

    /** x rounded to the compute format. */
    public double round(double x) {
        return compute.round(x);
    }

    /** x rounded to the accumulation format. */
    public double roundAccumulate(double x) {
        return accumulate.round(x);
    }

    public double add(double a, double b) {
        return compute.round(a + b);
    }

    public double sub(double a, double b) {
        return compute.round(a - b);
    }

    public double mul(double a, double b) {
        return compute.round(a * b);
    }

    public double div(double a, double b) {
        return compute.round(a / b);
    }

    public double exp(double x) {
        // the same bits as compute.round(StrictMath.exp(x)), faster in the narrow formats (see NarrowStrictMath)
        return compute == Precision.FP64 ? StrictMath.exp(x) : NarrowStrictMath.exp(x, compute);
    }

    public double log(double x) {
        return compute == Precision.FP64 ? StrictMath.log(x) : NarrowStrictMath.log(x, compute);
    }

    public double log1p(double x) {
        return compute.round(StrictMath.log1p(x));
    }

    /** min(max(x, lo), hi); NaN stays NaN. Exact in any format when lo, hi are in it. */
    public double clip(double x, double lo, double hi) {
        return x < lo ? lo : (x > hi ? hi : x);
    }

    /** One step of accumulation: partial + term rounded to the accumulation format. */
    public double accumulate(double partial, double term) {
        return accumulate.round(partial + term);
    }

    /**
     * Σ a[from..to) accumulated left to right in the accumulation format, then rounded to the compute format.
     *
     * @param a not modified
     */
    public double sum(double[] a, int from, int to) {
        return compute.round(sumInAccumulation(a, from, to));
    }

    /**
     * Σ a[from..to) accumulated left to right in the accumulation format, every partial sum rounded to it, and left
     * in that format (the caller rounds at the end of its reduction, e.g. after the division of a mean).
     *
     * @param a not modified
     */
    public double sumInAccumulation(double[] a, int from, int to) {
        double s = 0.0;
        switch (accumulate) {
            case FP64 -> {
                for (int i = from; i < to; i++) {
                    s += a[i];
                }
            }
            case FP32 -> {
                for (int i = from; i < to; i++) {
                    s = (float) (s + a[i]);
                }
            }
            default -> {
                for (int i = from; i < to; i++) {
                    s = accumulate.round(s + a[i]);
                }
            }
        }
        return s;
    }

    /**
     * The number of interleaved partial sums of {@link #compensatedSum}: fixed, whatever the machine's vector width,
     * so that a vectorised kernel (4, 8 or 16 lanes at a time) adds in exactly the reference's order.
     */
    public static final int SUM_LANES = 16;

    /**
     * Σ a[from..to) over i ≠ skip, compensated, in a fixed interleaved order (core/NUMERICS.md, "Fast kernels"):
     * <pre>
     *   lane k (k = 0..15) sums a[from + k], a[from + k + 16], a[from + k + 32], ...   Neumaier: (s_k, c_k)
     *   then, for k = 0..15 in order: (S, C) = Neumaier step of S with s_k;  C = C + c_k
     *   result = S + C, rounded to the compute format
     * </pre>
     * Every operation is rounded to the accumulation format. The error is about one rounding of the result instead of
     * growing with the number of terms (a million terms lose nothing measurable); the fused path uses it for
     * s' = Σ_{j≠argmax} exp(z_j - m). The skipped term is left out of its lane, which for the non-negative terms of
     * the fused path is the same as adding +0 there (a fast kernel may do that instead).
     *
     * @param a    not modified
     * @param skip an index to leave out, or -1
     */
    public double compensatedSum(double[] a, int from, int to, int skip) {
        Precision acc = accumulate;
        boolean fp64 = acc == Precision.FP64;
        double total = 0.0;
        double totalComp = 0.0;
        for (int lane = 0; lane < SUM_LANES; lane++) {
            double s = 0.0;
            double c = 0.0;
            for (int i = from + lane; i < to; i += SUM_LANES) {
                if (i == skip) {
                    continue;
                }
                double x = acc.round(a[i]);
                double t = acc.round(s + x);
                // the error term of a rounded sum is exactly representable in the same format (no overflow)
                double err = Math.abs(s) >= Math.abs(x) ? acc.round(acc.round(s - t) + x)
                        : acc.round(acc.round(x - t) + s);
                c = fp64 ? c + err : acc.round(c + err);
                s = t;
            }
            double t = acc.round(total + s);
            double err = Math.abs(total) >= Math.abs(s) ? acc.round(acc.round(total - t) + s)
                    : acc.round(acc.round(s - t) + total);
            totalComp = acc.round(acc.round(totalComp + err) + c);
            total = t;
        }
        return compute.round(acc.round(total + totalComp));
    }
}
