package dev.softmaxlab.core.kernel;

import dev.softmaxlab.core.precision.NarrowStrictMath;
import dev.softmaxlab.core.precision.Precision;

/**
 * The fast twin of {@code FusedSoftmaxCrossEntropy.row} for the emulated half formats (bf16, fp16) with fp32
 * accumulation (the default) and sparse labels: the reference's operations in the reference's order, each result
 * rounded to the format as the reference rounds it, but with no per-operation dispatch to a counting arithmetic and
 * no accounting. As in {@link ScalarFusedFp64}, a row where the reference would count anything (a logit that is not
 * zero or a normal number of the format, an exp, probability or other result that is not, a scaled gradient entry
 * that is not) is refused and re-run by the instrumented reference.
 * <pre>
 *   z_j = round(z_j), m = max z, a its first index
 *   e_j = round(exp(z_j - m))                 z_j - m is exact in double for two values of the format
 *   s'  = round(Σ_{j≠a} e_j)                  16 compensated fp32 lanes ({@link LaneSums#compensatedSumFloat})
 *   s   = round(1 + s'),  loss = round(round(m - z_y) + round(log1p s'))
 *   grad_j = round(round(e_j / s) / D),  grad_y = round(-round(rest_y / s) / D)
 * </pre>
 * Every rounding is {@link Precision#round} (the reference's own), so the bits are the reference's by construction;
 * the speed comes from skipping the counting layer and from the batch end folded into the last pass.
 */
public final class ScalarFusedHalf implements FusedSparseRowKernel {

    /** bf16 computed, fp32 accumulated. */
    public static final ScalarFusedHalf BF16 = new ScalarFusedHalf(Precision.BF16);
    /** fp16 computed, fp32 accumulated. */
    public static final ScalarFusedHalf FP16 = new ScalarFusedHalf(Precision.FP16);

    private final Precision format;
    private final double minNormal;
    private final double maxFinite;

    private ScalarFusedHalf(Precision format) {
        this.format = format;
        this.minNormal = format.minNormal();
        this.maxFinite = format.maxFinite();
    }

    @Override
    public double finishedSparseRow(double[] logits, int base, int classes, int label, double[] p, double[] grad,
            double divisor, double[] scratch) {
        if (!(divisor >= 1.0)) {
            return Double.NaN; // the test below relies on |grad_j / D| ≤ |grad_j| ≤ p_j
        }
        Precision f = format;
        double m = Double.NEGATIVE_INFINITY;
        int argmax = -1;
        boolean clean = true;
        for (int j = 0; j < classes; j++) {
            double zj = f.round(logits[base + j]);
            clean &= zeroOrNormal(zj);
            if (zj > m) {
                m = zj;
                argmax = j;
            }
        }
        if (!clean || argmax < 0) {
            return Double.NaN;
        }
        double[] e = p != null ? p : grad; // e_j is kept here until the last pass
        double minE = Double.MAX_VALUE;
        for (int j = 0; j < classes; j++) {
            double ej;
            if (j == argmax) {
                ej = 1.0;
            } else {
                ej = NarrowStrictMath.exp(f.round(logits[base + j]) - m, f);
                minE = Math.min(minE, ej);
            }
            e[base + j] = ej;
        }
        if (!(minE >= minNormal)) {
            return Double.NaN;
        }
        double sPrime = f.round(LaneSums.compensatedSumFloat(e, base, base + classes, base + argmax));
        double s = f.round(1.0 + sPrime);
        double logS = f.round(StrictMath.log1p(sPrime));
        double d = f.round(m - f.round(logits[base + label]));
        double loss = f.round(d + logS);
        clean = zeroOrNormal(sPrime) & zeroOrNormal(s) & zeroOrNormal(logS) & zeroOrNormal(d) & zeroOrNormal(loss);
        double restY = label == argmax ? sPrime : f.round(s - e[base + label]);
        double minG = Double.MAX_VALUE;
        for (int j = 0; j < classes; j++) {
            double pj = f.round(e[base + j] / s);
            if (p != null) {
                p[base + j] = pj;
            }
            double g = f.round(pj / divisor);
            grad[base + j] = g;
            minG = Math.min(minG, g); // for D ≥ 1, a normal g has a normal p_j
        }
        double gy = f.round(restY / s);
        double gLabel = f.round((0.0 - gy) / divisor);
        grad[base + label] = gLabel;
        if (!clean || !(minG >= minNormal) || !zeroOrNormal(restY) || !zeroOrNormal(gy) || !zeroOrNormal(gLabel)) {
            return Double.NaN;
        }
        return loss;
    }

    private boolean zeroOrNormal(double x) {
        double a = Math.abs(x);
        return a == 0.0 || (a >= minNormal && a <= maxFinite);
    }
}
