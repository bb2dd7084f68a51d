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
     * Σ a[from..to) over i ≠ skip with Neumaier's compensated summation, every operation rounded to the accumulation
     * format, and the corrected total rounded to the compute format. The error is about one rounding of the result
     * instead of growing with the number of terms; the fused path uses it for s' = Σ_{j≠argmax} exp(z_j - m).
     *
     * @param a    not modified
     * @param skip an index to leave out, or -1
     */
    public double compensatedSum(double[] a, int from, int to, int skip) {
        double s = 0.0;
        double c = 0.0;
        if (accumulate == Precision.FP64) {
            for (int i = from; i < to; i++) {
                if (i == skip) {
                    continue;
                }
                double x = a[i];
                double t = s + x;
                c += Math.abs(s) >= Math.abs(x) ? (s - t) + x : (x - t) + s;
                s = t;
            }
            return compute.round(s + c);
        }
        Precision acc = accumulate;
        for (int i = from; i < to; i++) {
            if (i == skip) {
                continue;
            }
            double x = acc.round(a[i]);
            double t = acc.round(s + x);
            // the error term of a rounded sum is exactly representable in the same format (no overflow)
            double err = Math.abs(s) >= Math.abs(x) ? acc.round(acc.round(s - t) + x) : acc.round(acc.round(x - t) + s);
            c = acc.round(c + err);
            s = t;
        }
        return compute.round(acc.round(s + c));
    }
}
