package dev.softmaxlab.experiments.train;

import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.experiments.report.ReferenceError;

/** The error of a path's loss and gradient against the reference (NUMERICS.md, "Error against the reference"). */
final class ReferenceErrors {

    private ReferenceErrors() {
    }

    static ReferenceError of(double loss, double refLoss, double[] gradient, double[] refGradient, int size,
                             Precision precision) {
        double lossAbs = Math.abs(loss - refLoss);
        double lossRel = relative(lossAbs, Math.abs(refLoss));
        double lossUlps = Double.isFinite(refLoss) ? lossAbs / precision.ulp(refLoss) : Double.NaN;
        double maxAbs = 0;
        double diff2 = 0;
        double ref2 = 0;
        double g2 = 0;
        double dot = 0;
        for (int i = 0; i < size; i++) {
            double g = gradient[i];
            double r = refGradient[i];
            double e = Math.abs(g - r);
            maxAbs = Double.isNaN(e) || Double.isNaN(maxAbs) ? Double.NaN : Math.max(maxAbs, e);
            diff2 += e * e;
            ref2 += r * r;
            g2 += g * g;
            dot += g * r;
        }
        double gradientRel = relative(Math.sqrt(diff2), Math.sqrt(ref2));
        double cosine = dot / (Math.sqrt(g2) * Math.sqrt(ref2));
        return new ReferenceError(lossAbs, lossRel, lossUlps, maxAbs, gradientRel, cosine);
    }

    private static double relative(double abs, double ref) {
        if (abs == 0) {
            return 0;
        }
        return abs / ref;
    }
}
