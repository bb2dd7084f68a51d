package dev.softmaxlab.core.loss;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * An independent reference for the tests: exp, log and log1p in BigDecimal with 60 significant digits, and the
 * softmax cross-entropy loss and gradient of one row computed from them. Shares no code with the paths.
 */
final class HighPrecision {

    static final MathContext MC = new MathContext(60, RoundingMode.HALF_EVEN);
    private static final BigDecimal TWO = BigDecimal.valueOf(2);
    private static final BigDecimal TINY = new BigDecimal("1e-80");

    private HighPrecision() {
    }

    /** e^x: x/2^n with |x/2^n| < 2^-8, Taylor series, then n squarings (which cost about n·0.3 of 60 digits). */
    static BigDecimal exp(BigDecimal x) {
        if (x.signum() == 0) {
            return BigDecimal.ONE;
        }
        int n = Math.max(0, Math.getExponent(Math.abs(x.doubleValue())) + 9);
        BigDecimal r = x.divide(TWO.pow(n), MC);
        BigDecimal sum = BigDecimal.ONE;
        BigDecimal term = BigDecimal.ONE;
        for (int k = 1; k < 200; k++) {
            term = term.multiply(r, MC).divide(BigDecimal.valueOf(k), MC);
            sum = sum.add(term, MC);
            if (term.abs().compareTo(TINY) < 0) {
                break;
            }
        }
        for (int i = 0; i < n; i++) {
            sum = sum.multiply(sum, MC);
        }
        return sum;
    }

    /** ln x for x &gt; 0 within double's range: Newton steps y += 2(x - e^y)/(x + e^y) from Math.log. */
    static BigDecimal log(BigDecimal x) {
        BigDecimal y = new BigDecimal(Math.log(x.doubleValue()));
        for (int i = 0; i < 3; i++) {
            BigDecimal ey = exp(y);
            y = y.add(TWO.multiply(x.subtract(ey, MC), MC).divide(x.add(ey, MC), MC), MC);
        }
        return y;
    }

    /** ln(1 + x), by its series for small |x| so that a tiny x keeps all its digits. */
    static BigDecimal log1p(BigDecimal x) {
        if (x.abs().compareTo(new BigDecimal("1e-3")) >= 0) {
            return log(BigDecimal.ONE.add(x, MC));
        }
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal power = BigDecimal.ONE;
        for (int k = 1; k < 100; k++) {
            power = power.multiply(x, MC);
            BigDecimal term = power.divide(BigDecimal.valueOf(k), MC);
            sum = (k % 2 == 1) ? sum.add(term, MC) : sum.subtract(term, MC);
            if (term.signum() == 0 || term.abs().compareTo(sum.abs().multiply(TINY)) < 0) {
                break;
            }
        }
        return sum;
    }

    /** The exact softmax cross-entropy of one row (finite logits), loss and gradient. */
    record Row(BigDecimal loss, BigDecimal[] gradient, BigDecimal[] probabilities) {
    }

    /**
     * @param z     [C] finite logits (exact as given)
     * @param label the sparse label, or -1 for t
     * @param t     [C] target weights (exact as given), used when label &lt; 0
     */
    static Row crossEntropy(double[] z, int label, double[] t) {
        int c = z.length;
        int a = 0;
        for (int j = 1; j < c; j++) {
            if (z[j] > z[a]) {
                a = j;
            }
        }
        BigDecimal m = new BigDecimal(z[a]);
        BigDecimal[] e = new BigDecimal[c];
        BigDecimal others = BigDecimal.ZERO; // Σ_{j≠a} e^{z_j - m}
        for (int j = 0; j < c; j++) {
            e[j] = j == a ? BigDecimal.ONE : exp(new BigDecimal(z[j]).subtract(m));
            if (j != a) {
                others = others.add(e[j], MC);
            }
        }
        BigDecimal s = BigDecimal.ONE.add(others, MC);
        BigDecimal logS = log1p(others);
        BigDecimal[] p = new BigDecimal[c];
        BigDecimal[] grad = new BigDecimal[c];
        for (int j = 0; j < c; j++) {
            p[j] = e[j].divide(s, MC);
        }
        BigDecimal loss;
        if (label >= 0) {
            loss = m.subtract(new BigDecimal(z[label])).add(logS, MC);
            for (int j = 0; j < c; j++) {
                grad[j] = p[j];
            }
            // p_y - 1 = -(Σ_{j≠y} e_j)/s, summed directly so that nothing cancels
            BigDecimal rest = BigDecimal.ZERO;
            for (int j = 0; j < c; j++) {
                if (j != label) {
                    rest = rest.add(e[j], MC);
                }
            }
            grad[label] = rest.negate().divide(s, MC);
        } else {
            loss = BigDecimal.ZERO;
            for (int j = 0; j < c; j++) {
                BigDecimal tj = new BigDecimal(t[j]);
                loss = loss.add(tj.multiply(m.subtract(new BigDecimal(z[j])).add(logS, MC), MC), MC);
                grad[j] = p[j].subtract(tj, MC);
            }
        }
        return new Row(loss, grad, p);
    }

    /** |value - reference| in ulps of the reference rounded to double (fp64) or float (fp32). */
    static double ulps(double value, BigDecimal reference, boolean fp32) {
        if (!Double.isFinite(value)) {
            return Double.POSITIVE_INFINITY;
        }
        double rounded = fp32 ? (float) reference.doubleValue() : reference.doubleValue();
        double unit = fp32 ? Math.ulp((float) rounded) : Math.ulp(rounded);
        return new BigDecimal(value).subtract(reference).abs().divide(new BigDecimal(unit), MC).doubleValue();
    }
}
