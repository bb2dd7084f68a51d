package dev.softmaxlab.core.precision;

/**
 * IEEE 754 binary16 (fp16): 1 sign bit, 5 exponent bits, 10 fraction bits. Largest finite 65504, smallest normal
 * 2^-14, smallest subnormal 2^-24. Values are carried as doubles; these helpers give and read the raw bit patterns.
 */
public final class Fp16 {

    static final BinaryFormat FORMAT = new BinaryFormat(11, -14, 15);

    private static final short NAN_BITS = (short) 0x7E00;

    private Fp16() {
    }

    /** x rounded to the nearest fp16, ties to even; beyond 65504 (from 65520 on) it is ±∞. */
    public static double round(double x) {
        return FORMAT.round(x);
    }

    /** The bit pattern of x rounded to fp16. NaN gives the quiet NaN 0x7E00. */
    public static short bits(double x) {
        double r = round(x);
        if (Double.isNaN(r)) {
            return NAN_BITS;
        }
        int sign = (Double.doubleToRawLongBits(r) < 0) ? 0x8000 : 0;
        double a = Math.abs(r);
        int magnitude;
        if (a == Double.POSITIVE_INFINITY) {
            magnitude = 0x7C00;
        } else if (a < FORMAT.minNormal()) {
            magnitude = (int) (a / FORMAT.minSubnormal()); // exact: a is a multiple of 2^-24 below 2^-14
        } else {
            int e = Math.getExponent(a);
            int fraction = (int) ((a / Math.scalb(1.0, e) - 1.0) * 1024.0); // exact: 10 fraction bits
            magnitude = ((e + 15) << 10) | fraction;
        }
        return (short) (sign | magnitude);
    }

    /** The value of an fp16 bit pattern. */
    public static double fromBits(short bits) {
        int b = bits & 0xFFFF;
        double sign = (b & 0x8000) != 0 ? -1.0 : 1.0;
        int exponent = (b >>> 10) & 0x1F;
        int fraction = b & 0x3FF;
        if (exponent == 0x1F) {
            return fraction == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
        }
        if (exponent == 0) {
            return sign * fraction * FORMAT.minSubnormal();
        }
        return sign * Math.scalb(1.0 + fraction / 1024.0, exponent - 15);
    }
}
