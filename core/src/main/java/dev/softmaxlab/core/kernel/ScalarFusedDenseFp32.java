package dev.softmaxlab.core.kernel;

import dev.softmaxlab.core.precision.NarrowStrictMath;
import dev.softmaxlab.core.precision.Precision;

/**
 * {@link ScalarFusedDenseFp64} in fp32 (computed and accumulated in fp32): logits and targets rounded to float, every
 * operation a float operation (the double operation on the same floats rounded once, as the reference computes it),
 * exp of the exact double difference rounded once to float, the batch end's division in double rounded to float.
 * The same acceptance rule: every intermediate zero or a normal float, no cancelling gradient numerator.
 */
public final class ScalarFusedDenseFp32 implements FusedDenseRowKernel {

    /** The one instance (stateless, thread-safe). */
    public static final ScalarFusedDenseFp32 INSTANCE = new ScalarFusedDenseFp32();

    private ScalarFusedDenseFp32() {
    }

    @Override
    public double finishedDenseRow(double[] logits, double[] targets, int base, int classes, double[] p,
            double[] grad, double divisor, double[] scratch) {
        if (!(divisor >= 1.0)) {
            return Double.NaN; // the test of the scaled gradient below relies on |grad_j / D| ≤ |grad_j|
        }
        float m = Float.NEGATIVE_INFINITY;
        int argmax = -1;
        boolean clean = true;
        for (int j = 0; j < classes; j++) {
            float zj = (float) logits[base + j];
            clean &= zeroOrNormal(zj) & zeroOrNormal((float) targets[base + j]);
            if (zj > m) {
                m = zj;
                argmax = j;
            }
        }
        if (!clean || argmax < 0) {
            return Double.NaN;
        }
        double[] e = p != null ? p : grad; // e_j = exp(z_j - m) is kept here until the last pass
        float minE = Float.MAX_VALUE;
        for (int j = 0; j < classes; j++) {
            float ej;
            if (j == argmax) {
                ej = 1.0f;
            } else {
                ej = (float) NarrowStrictMath.exp((double) (float) logits[base + j] - m, Precision.FP32);
                minE = Math.min(minE, ej);
            }
            e[base + j] = ej;
        }
        if (!(minE >= Float.MIN_NORMAL)) {
            return Double.NaN;
        }
        float sPrime = LaneSums.compensatedSumFloat(e, base, base + classes, base + argmax);
        float s = 1.0f + sPrime;
        float logS = (float) StrictMath.log1p(sPrime);
        // the cross term and the mass, over the classes the target weighs, left to right in float
        float cross = 0.0f;
        float mass = 0.0f;
        for (int j = 0; j < classes; j++) {
            float tj = (float) targets[base + j];
            if (tj != 0.0f) {
                float diff = m - (float) logits[base + j];
                float term = tj * diff;
                clean &= zeroOrNormal(diff) & zeroOrNormal(term);
                cross += term;
                mass += tj;
            }
        }
        float massLog = mass * logS;
        float loss = cross + massLog;
        clean &= zeroOrNormal(sPrime) & zeroOrNormal(logS) & zeroOrNormal(cross) & zeroOrNormal(mass)
                & zeroOrNormal(massLog) & zeroOrNormal(loss);
        if (!clean) {
            return Double.NaN;
        }
        double inverse = ExactReciprocal.of(divisor);
        boolean multiply = inverse == inverse;
        for (int j = 0; j < classes; j++) {
            float ej = (float) e[base + j];
            float tj = (float) targets[base + j];
            float rest = j == argmax ? sPrime : s - ej;
            float keep = 1.0f - tj;
            float kept = ej * keep;
            float given = tj * rest;
            float numerator = kept - given;
            float g = numerator / s;
            float pj = ej / s;
            float scaled = (float) (multiply ? g * inverse : g / divisor);
            if (p != null) {
                p[base + j] = pj;
            }
            grad[base + j] = scaled;
            clean &= zeroOrNormal(rest) & zeroOrNormal(keep) & zeroOrNormal(kept) & zeroOrNormal(given)
                    & zeroOrNormal(numerator) & zeroOrNormal(g) & zeroOrNormal(scaled) & pj >= Float.MIN_NORMAL
                    & !(Math.abs(numerator) < ScalarFusedDenseFp64.DENSE_CANCELLATION
                            * Math.max(Math.abs(kept), Math.abs(given)));
        }
        return clean ? loss : Double.NaN;
    }

    private static boolean zeroOrNormal(float x) {
        float a = Math.abs(x);
        return a == 0.0f || (a >= Float.MIN_NORMAL && a <= Float.MAX_VALUE);
    }
}
