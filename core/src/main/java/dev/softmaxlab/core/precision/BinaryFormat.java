package dev.softmaxlab.core.precision;

/**
 * Round-to-nearest-even from a double directly into a narrower binary floating-point format given by its
 * significand width and exponent range. Used for bf16 and fp16; never rounds through float, so there is no double
 * rounding.
 *
 * <p>How: with e the exponent of |x| (clamped up to the format's minimum normal exponent, which makes the subnormal
 * range use the same quantum), the representable neighbours are multiples of q = 2^(e - (p - 1)). Scaling by 1/q is
 * exact (a power of two), {@link Math#rint} rounds to the nearest integer with ties to even, and scaling back is exact.
 * A result beyond the largest finite value becomes ±∞; this puts the overflow threshold exactly at the midpoint
 * between the largest finite value and the next power of two, as IEEE 754 requires.
 */
final class BinaryFormat {

    /** Significand bits including the implicit leading bit (fp16: 11, bf16: 8). */
    private final int precisionBits;
    /** Exponent of the smallest normal number (fp16: -14, bf16: -126). */
    private final int minExponent;
    private final double maxFinite;
    private final double minNormal;
    private final double minSubnormal;

    BinaryFormat(int precisionBits, int minExponent, int maxExponent) {
        this.precisionBits = precisionBits;
        this.minExponent = minExponent;
        this.maxFinite = Math.scalb(2.0 - Math.scalb(1.0, 1 - precisionBits), maxExponent);
        this.minNormal = Math.scalb(1.0, minExponent);
        this.minSubnormal = Math.scalb(1.0, minExponent - precisionBits + 1);
    }

    double round(double x) {
        double a = Math.abs(x);
        if (!(a <= Double.MAX_VALUE)) {
            return x; // NaN and ±∞ stay as they are
        }
        int e = Math.max(Math.getExponent(a), minExponent); // a double subnormal or zero gives -1023
        int q = e - (precisionBits - 1);
        double r = Math.rint(a * powerOfTwo(-q)) * powerOfTwo(q);
        if (r > maxFinite) {
            r = Double.POSITIVE_INFINITY;
        }
        return Math.copySign(r, x); // keeps the sign of zero
    }

    boolean isSubnormal(double x) {
        double a = Math.abs(x);
        return a != 0.0 && a < minNormal;
    }

    /** Distance from |x| to the next larger value of the format, for x already in the format. */
    double ulp(double x) {
        double a = Math.abs(x);
        if (!(a <= Double.MAX_VALUE)) {
            return Double.NaN;
        }
        int e = Math.max(Math.getExponent(a), minExponent);
        return powerOfTwo(e - (precisionBits - 1));
    }

    double maxFinite() {
        return maxFinite;
    }

    double minNormal() {
        return minNormal;
    }

    double minSubnormal() {
        return minSubnormal;
    }

    int precisionBits() {
        return precisionBits;
    }

    int minExponent() {
        return minExponent;
    }

    /** 2^k for k in the normal double range [-1022, 1023], built from its bits. */
    private static double powerOfTwo(int k) {
        return Double.longBitsToDouble((long) (k + 1023) << 52);
    }
}
