package dev.softmaxlab.core.precision;

/**
 * {@link StrictMath#exp} and {@link StrictMath#log} rounded once to a format narrower than double (fp32, bf16, fp16),
 * computed through the much faster {@link Math} intrinsics whenever that provably gives the same bits.
 *
 * <p>Why it exists: results must be reproducible to the bit on every machine, so the paths use StrictMath (fdlibm),
 * which costs several times what the JIT's intrinsic costs, and exp is most of a path's time. In a narrow format
 * the double result is rounded anyway, and that rounding hides the last-bit differences between the two:
 * <ul>
 *   <li>the Java specification requires {@code Math.exp} and {@code Math.log} to be within 1 ulp of the exact
 *       result, and fdlibm's are within 1 ulp too, so the two doubles differ by less than 2 ulps;</li>
 *   <li>round-to-nearest to a format with p significand bits depends only on which side of a midpoint between two
 *       neighbouring values of the format the double lies, that is on its low 53 - p significand bits;</li>
 *   <li>so when the intrinsic's double is a normal number of the format and more than {@value #MARGIN} double ulps
 *       away from every midpoint, StrictMath's double lies on the same side and rounds to the same value.</li>
 * </ul>
 * Otherwise (about one call in a million, plus subnormal, zero, non-finite and overflowing results) it computes
 * StrictMath's result and rounds that. The result is therefore always exactly
 * {@code p.round(StrictMath.exp(x))}, on any conforming JVM. {@code NarrowStrictMathTest} holds it to that.
 */
public final class NarrowStrictMath {

    /** Distance in double ulps from a rounding midpoint below which the intrinsic is not trusted (2 would do). */
    static final long MARGIN = 1 << 8;

    private NarrowStrictMath() {
    }

    /** Exactly {@code p.round(StrictMath.exp(x))}; p is not fp64. */
    public static double exp(double x, Precision p) {
        double fast = Math.exp(x);
        return roundsLikeAnyNeighbour(fast, p) ? p.round(fast) : p.round(StrictMath.exp(x));
    }

    /** Exactly {@code p.round(StrictMath.log(x))}; p is not fp64. */
    public static double log(double x, Precision p) {
        double fast = Math.log(x);
        return roundsLikeAnyNeighbour(fast, p) ? p.round(fast) : p.round(StrictMath.log(x));
    }

    /**
     * True when every double within {@value #MARGIN} ulps of d rounds to the same value of p as d: d is a finite
     * normal number of p (below the next power of two after p's largest finite, where the overflow midpoint is an
     * ordinary midpoint) and its low 53 - p bits are far from the midpoint pattern 100...0.
     */
    static boolean roundsLikeAnyNeighbour(double d, Precision p) {
        double a = Math.abs(d);
        int dropped;
        double minNormal;
        double limit;
        if (p == Precision.FP32) {
            dropped = 29;
            minNormal = 0x1p-126;
            limit = 0x1p128;
        } else if (p == Precision.BF16) {
            dropped = 45;
            minNormal = 0x1p-126;
            limit = 0x1p128;
        } else if (p == Precision.FP16) {
            dropped = 42;
            minNormal = 0x1p-14;
            limit = 0x1p16;
        } else {
            return false; // fp64 keeps every bit: only StrictMath itself will do
        }
        if (!(a >= minNormal && a < limit)) {
            return false;
        }
        long low = Double.doubleToRawLongBits(a) & ((1L << dropped) - 1);
        return Math.abs(low - (1L << (dropped - 1))) > MARGIN;
    }
}
