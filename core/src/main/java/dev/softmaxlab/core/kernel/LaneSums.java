package dev.softmaxlab.core.kernel;

import dev.softmaxlab.core.precision.Arithmetic;

/**
 * The reference order of a compensated sum ({@link Arithmetic#compensatedSum}) in plain double and float arithmetic,
 * for the scalar twins: {@value Arithmetic#SUM_LANES} interleaved Neumaier lanes, merged in lane order. The vector
 * twins hold the lanes in registers and merge them in the same order.
 */
public final class LaneSums {

    /** {@link Arithmetic#SUM_LANES}. */
    public static final int LANES = Arithmetic.SUM_LANES;

    private LaneSums() {
    }

    /**
     * Σ a[from..to) over i ≠ skip, in fp64 (Neumaier per lane, lanes merged in order).
     *
     * @param a not modified
     */
    public static double compensatedSum(double[] a, int from, int to, int skip) {
        double total = 0.0;
        double totalComp = 0.0;
        for (int lane = 0; lane < LANES; lane++) {
            double s = 0.0;
            double c = 0.0;
            for (int i = from + lane; i < to; i += LANES) {
                if (i == skip) {
                    continue;
                }
                double x = a[i];
                double t = s + x;
                c += Math.abs(s) >= Math.abs(x) ? (s - t) + x : (x - t) + s;
                s = t;
            }
            double t = total + s;
            double err = Math.abs(total) >= Math.abs(s) ? (total - t) + s : (s - t) + total;
            totalComp = (totalComp + err) + c;
            total = t;
        }
        return total + totalComp;
    }

    /**
     * The same in fp32: a holds float values, and every operation is a float operation (which equals the double
     * operation rounded once to float, as the reference computes it).
     *
     * @param a not modified
     */
    public static float compensatedSumFloat(double[] a, int from, int to, int skip) {
        float total = 0.0f;
        float totalComp = 0.0f;
        for (int lane = 0; lane < LANES; lane++) {
            float s = 0.0f;
            float c = 0.0f;
            for (int i = from + lane; i < to; i += LANES) {
                if (i == skip) {
                    continue;
                }
                float x = (float) a[i];
                float t = s + x;
                c += Math.abs(s) >= Math.abs(x) ? (s - t) + x : (x - t) + s;
                s = t;
            }
            float t = total + s;
            float err = Math.abs(total) >= Math.abs(s) ? (total - t) + s : (s - t) + total;
            totalComp = (totalComp + err) + c;
            total = t;
        }
        return total + totalComp;
    }

    /** Working memory a row kernel needs for its lane sums: [SCRATCH] doubles. */
    public static final int SCRATCH = 2 * LANES;

    /**
     * Merges lane sums held as sc[k] = s_k, sc[16 + k] = c_k in lane order, in fp64: the end of
     * {@link #compensatedSum}, for kernels that computed the lanes in registers.
     *
     * @param sc [32], not modified
     */
    public static double merge(double[] sc) {
        double total = 0.0;
        double totalComp = 0.0;
        for (int lane = 0; lane < LANES; lane++) {
            double s = sc[lane];
            double t = total + s;
            double err = Math.abs(total) >= Math.abs(s) ? (total - t) + s : (s - t) + total;
            totalComp = (totalComp + err) + sc[LANES + lane];
            total = t;
        }
        return total + totalComp;
    }

    /** {@link #merge} in fp32: sc holds float values and every operation is a float operation. */
    public static float mergeFloat(double[] sc) {
        float total = 0.0f;
        float totalComp = 0.0f;
        for (int lane = 0; lane < LANES; lane++) {
            float s = (float) sc[lane];
            float t = total + s;
            float err = Math.abs(total) >= Math.abs(s) ? (total - t) + s : (s - t) + total;
            totalComp = (totalComp + err) + (float) sc[LANES + lane];
            total = t;
        }
        return total + totalComp;
    }
}
