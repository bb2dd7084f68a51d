package dev.softmaxlab.core.numeric;

import dev.softmaxlab.core.precision.Precision;

/**
 * The error of a result against a reference (core/NUMERICS.md "Error against a reference"). Static and allocation-free.
 *
 * <p>Non-finite values are never hidden: a NaN or infinite value on either side gives NaN, except where both sides are
 * the same infinity, which is no error (0). Callers report those NaNs as they are.
 */
public final class ErrorMetrics {

    private ErrorMetrics() {
    }

    /** |value - reference|; 0 when both are the same infinity, NaN for any other non-finite operand. */
    public static double absoluteError(double value, double reference) {
        if (!Double.isFinite(value) || !Double.isFinite(reference)) {
            return sameInfinity(value, reference) ? 0.0 : Double.NaN;
        }
        return Math.abs(value - reference);
    }

    /**
     * |value - reference| / |reference|. For reference 0 it is 0 when value is 0 too and +∞ otherwise (any error
     * relative to nothing is unbounded); NaN for non-finite operands as in {@link #absoluteError}.
     */
    public static double relativeError(double value, double reference) {
        double abs = absoluteError(value, reference);
        if (abs != abs || Double.isInfinite(reference)) {
            return abs;
        }
        if (reference == 0.0) {
            return abs == 0.0 ? 0.0 : Double.POSITIVE_INFINITY;
        }
        return abs / Math.abs(reference);
    }

    /**
     * |value - reference| in units of the last place of the reference rounded to the given precision, i.e. of
     * {@code precision.ulp(precision.round(reference))}: 0.5 means as close as correct rounding can get. NaN for
     * non-finite operands as in {@link #absoluteError}, and when the reference rounds to ±∞ in that precision.
     */
    public static double ulpError(double value, double reference, Precision precision) {
        double abs = absoluteError(value, reference);
        if (abs != abs || abs == 0.0) {
            return abs;
        }
        double unit = precision.ulp(precision.round(reference));
        return abs / unit;
    }

    /**
     * max_i |values[i] - reference[i]| over [offset, offset + length) of both arrays; NaN if any pair is non-finite
     * (other than equal infinities).
     */
    public static double maxAbsError(double[] values, double[] reference, int offset, int length) {
        double max = 0.0;
        for (int i = offset; i < offset + length; i++) {
            double e = absoluteError(values[i], reference[i]);
            if (e != e) {
                return Double.NaN;
            }
            max = Math.max(max, e);
        }
        return max;
    }

    /**
     * The cosine similarity Σ v·r / (‖v‖·‖r‖) over [offset, offset + length), in [-1, 1].
     * Zero vectors: two zero vectors point "the same way" (1); a zero and a non-zero vector share no direction (0).
     * NaN if any entry is non-finite. The norms are scaled by the largest magnitude first so that neither the squares
     * overflow nor tiny gradients underflow.
     */
    public static double cosineSimilarity(double[] values, double[] reference, int offset, int length) {
        double maxV = 0.0;
        double maxR = 0.0;
        for (int i = offset; i < offset + length; i++) {
            double v = values[i];
            double r = reference[i];
            if (!Double.isFinite(v) || !Double.isFinite(r)) {
                return Double.NaN;
            }
            maxV = Math.max(maxV, Math.abs(v));
            maxR = Math.max(maxR, Math.abs(r));
        }
        if (maxV == 0.0 && maxR == 0.0) {
            return 1.0;
        }
        if (maxV == 0.0 || maxR == 0.0) {
            return 0.0;
        }
        double dot = 0.0;
        double nv = 0.0;
        double nr = 0.0;
        for (int i = offset; i < offset + length; i++) {
            double v = values[i] / maxV;
            double r = reference[i] / maxR;
            dot += v * r;
            nv += v * v;
            nr += r * r;
        }
        double c = dot / (Math.sqrt(nv) * Math.sqrt(nr));
        return Math.max(-1.0, Math.min(1.0, c)); // rounding can leave |c| a hair above 1
    }

    private static boolean sameInfinity(double a, double b) {
        return Double.isInfinite(a) && a == b;
    }
}
