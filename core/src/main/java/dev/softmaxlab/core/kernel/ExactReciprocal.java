package dev.softmaxlab.core.kernel;

/**
 * When a division may be a multiplication: for D a power of two, 1/D is exact, so x·(1/D) and x/D are the same real
 * number and round to the same bits, subnormal and overflowing results included. Batch sizes are often powers of
 * two, and a multiplication costs a fraction of a division in the kernels' last pass.
 */
public final class ExactReciprocal {

    private ExactReciprocal() {
    }

    /**
     * 1/d when it is exact (d a power of two, 1/d a normal double), else NaN: the caller then divides.
     */
    public static double of(double d) {
        if (!(d > 0.0) || d > Double.MAX_VALUE) {
            return Double.NaN;
        }
        double r = 1.0 / d;
        boolean powerOfTwo = (Double.doubleToRawLongBits(d) & 0x000f_ffff_ffff_ffffL) == 0 && d >= Double.MIN_NORMAL;
        return powerOfTwo && r >= Double.MIN_NORMAL && r <= Double.MAX_VALUE ? r : Double.NaN;
    }
}
