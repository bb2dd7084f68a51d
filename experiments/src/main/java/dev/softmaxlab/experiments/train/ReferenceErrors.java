package dev.softmaxlab.experiments.train;

import dev.softmaxlab.core.numeric.ErrorMetrics;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.experiments.report.ReferenceError;

/**
 * The error of a path's loss and logit gradient against the reference (core/NUMERICS.md, "Error against a reference"),
 * from core's {@link ErrorMetrics}, plus the gradient's relative L2 error ‖g − r‖₂ / ‖r‖₂.
 */
public final class ReferenceErrors {

    private ReferenceErrors() {
    }

    /**
     * @param gradient    the path's dloss/dlogits [size]
     * @param refGradient the reference's [size]
     */
    public static ReferenceError of(double loss, double refLoss, double[] gradient, double[] refGradient, int size,
                             Precision precision) {
        return new ReferenceError(ErrorMetrics.absoluteError(loss, refLoss), ErrorMetrics.relativeError(loss, refLoss),
                ErrorMetrics.ulpError(loss, refLoss, precision),
                ErrorMetrics.maxAbsError(gradient, refGradient, 0, size),
                relativeL2(gradient, refGradient, size),
                ErrorMetrics.cosineSimilarity(gradient, refGradient, 0, size));
    }

    /**
     * ‖g − r‖₂ / ‖r‖₂, scaled by the largest magnitude so the squares neither overflow nor underflow; 0 when both
     * are zero, +∞ when only r is; NaN if any entry is non-finite.
     */
    static double relativeL2(double[] g, double[] r, int size) {
        double scale = 0;
        for (int i = 0; i < size; i++) {
            if (!Double.isFinite(g[i]) || !Double.isFinite(r[i])) {
                return Double.NaN;
            }
            scale = Math.max(scale, Math.max(Math.abs(g[i] - r[i]), Math.abs(r[i])));
        }
        if (scale == 0) {
            return 0;
        }
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < size; i++) {
            double d = (g[i] - r[i]) / scale;
            double q = r[i] / scale;
            diff += d * d;
            ref += q * q;
        }
        return ref == 0 ? Double.POSITIVE_INFINITY : Math.sqrt(diff) / Math.sqrt(ref);
    }
}
