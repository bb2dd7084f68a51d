package dev.softmaxlab.core.precision;

/**
 * bfloat16: the upper 16 bits of an fp32 (1 sign, 8 exponent, 7 fraction bits). Largest finite
 * (2 - 2^-7)·2^127 ≈ 3.3895e38 (0x7F7F), smallest normal 2^-126, smallest subnormal 2^-133. Values are carried as
 * doubles; these helpers give and read the raw bit patterns.
 */
public final class Bf16 {

    static final BinaryFormat FORMAT = new BinaryFormat(8, -126, 127);

    private static final short NAN_BITS = (short) 0x7FC0;

    private Bf16() {
    }

    /** x rounded directly to the nearest bf16, ties to even; from (2 - 2^-8)·2^127 on it is ±∞. */
    public static double round(double x) {
        return FORMAT.round(x);
    }

    /** The bit pattern of x rounded to bf16. NaN gives the quiet NaN 0x7FC0. */
    public static short bits(double x) {
        double r = round(x);
        if (Double.isNaN(r)) {
            return NAN_BITS;
        }
        // every bf16 value is a float whose low 16 bits are zero, so the float conversion is exact
        return (short) (Float.floatToRawIntBits((float) r) >>> 16);
    }

    /** The value of a bf16 bit pattern. */
    public static double fromBits(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }
}
