package dev.softmaxlab.core.kernel;

/**
 * The fast twin of {@code FusedSoftmaxCrossEntropy.row} for fp64 with a dense target of mass 1: the same operations in
 * the same order (so the same bits), no per-operation accounting, the batch end's division folded into the last pass.
 * Per row of C classes at base (t the target row, m the max, a its first argmax):
 * <pre>
 *   e_j = exp(z_j - m), e_a = 1; s' = Σ_{j≠a} e_j (16 compensated lanes); s = 1 + s'
 *   cross = Σ_{t_j≠0} t_j (m - z_j), mass = Σ_{t_j≠0} t_j   left to right
 *   loss = cross + mass · log1p(s')
 *   grad_j = (e_j (1 - t_j) - t_j rest_j) / s / D,  rest_j = s - e_j (s' at a)
 * </pre>
 * A row is accepted when every intermediate result is zero or a finite normal number (so the reference counts
 * nothing there) and no gradient numerator cancels below {@code DENSE_CANCELLATION} of its larger term (there the
 * reference takes the entry from the exact reference, which only the reference runs).
 */
public final class ScalarFusedDenseFp64 implements FusedDenseRowKernel {

    /** The one instance (stateless, thread-safe). */
    public static final ScalarFusedDenseFp64 INSTANCE = new ScalarFusedDenseFp64();

    /** {@code FusedSoftmaxCrossEntropy.DENSE_CANCELLATION}: the reference's cancellation test, the same number. */
    public static final double DENSE_CANCELLATION = 0x1p-3;

    private ScalarFusedDenseFp64() {
    }

    @Override
    public double finishedDenseRow(double[] logits, double[] targets, int base, int classes, double[] p,
            double[] grad, double divisor, double[] scratch) {
        if (!(divisor >= 1.0)) {
            return Double.NaN; // the test of the scaled gradient below relies on |grad_j / D| ≤ |grad_j|
        }
        double m = Double.NEGATIVE_INFINITY;
        int argmax = -1;
        boolean clean = true;
        for (int j = 0; j < classes; j++) {
            double zj = logits[base + j];
            clean &= zeroOrNormal(zj) & zeroOrNormal(targets[base + j]);
            if (zj > m) {
                m = zj;
                argmax = j;
            }
        }
        if (!clean || argmax < 0) {
            return Double.NaN;
        }
        double[] e = p != null ? p : grad; // e_j = exp(z_j - m) is kept here until the last pass
        double minE = Double.MAX_VALUE;
        for (int j = 0; j < classes; j++) {
            double ej;
            if (j == argmax) {
                ej = 1.0;
            } else {
                ej = ScalarFusedFp64.shiftedExp(logits[base + j], m);
                minE = Math.min(minE, ej);
            }
            e[base + j] = ej;
        }
        if (!(minE >= Double.MIN_NORMAL)) {
            return Double.NaN;
        }
        double sPrime = LaneSums.compensatedSum(e, base, base + classes, base + argmax);
        double s = 1.0 + sPrime;
        double logS = StrictMath.log1p(sPrime);
        // the cross term and the mass, over the classes the target weighs, left to right as the reference adds
        double cross = 0.0;
        double mass = 0.0;
        for (int j = 0; j < classes; j++) {
            double tj = targets[base + j];
            if (tj != 0.0) {
                double diff = m - logits[base + j];
                double term = tj * diff;
                clean &= zeroOrNormal(diff) & zeroOrNormal(term);
                cross += term;
                mass += tj;
            }
        }
        double massLog = mass * logS;
        double loss = cross + massLog;
        clean &= zeroOrNormal(sPrime) & zeroOrNormal(logS) & zeroOrNormal(cross) & zeroOrNormal(mass)
                & zeroOrNormal(massLog) & zeroOrNormal(loss);
        if (!clean) {
            return Double.NaN;
        }
        double inverse = ExactReciprocal.of(divisor);
        boolean multiply = inverse == inverse;
        for (int j = 0; j < classes; j++) {
            double ej = e[base + j];
            double tj = targets[base + j];
            double rest = j == argmax ? sPrime : s - ej;
            double keep = 1.0 - tj;
            double kept = ej * keep;
            double given = tj * rest;
            double numerator = kept - given;
            double g = numerator / s;
            double pj = ej / s;
            double scaled = multiply ? g * inverse : g / divisor;
            if (p != null) {
                p[base + j] = pj;
            }
            grad[base + j] = scaled;
            clean &= zeroOrNormal(rest) & zeroOrNormal(keep) & zeroOrNormal(kept) & zeroOrNormal(given)
                    & zeroOrNormal(numerator) & zeroOrNormal(g) & zeroOrNormal(scaled) & pj >= Double.MIN_NORMAL
                    & !(Math.abs(numerator) < DENSE_CANCELLATION * Math.max(Math.abs(kept), Math.abs(given)));
        }
        return clean ? loss : Double.NaN;
    }

    private static boolean zeroOrNormal(double x) {
        double a = Math.abs(x);
        return a == 0.0 || (a >= Double.MIN_NORMAL && a <= Double.MAX_VALUE);
    }
}
