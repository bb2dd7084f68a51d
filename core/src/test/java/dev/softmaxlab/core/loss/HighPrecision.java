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

    /** tanh x = (e^{2x} - 1)/(e^{2x} + 1), by the series of e^{2x} - 1 for small |x| so that nothing cancels. */
    static BigDecimal tanh(BigDecimal x) {
        if (x.abs().compareTo(BigDecimal.valueOf(40)) > 0) {
            // |tanh x| = 1 - 2e^{-2|x|}/(1 + e^{-2|x|}); fine at 60 digits and avoids exp overflow of huge |x|
            BigDecimal e = exp(x.abs().multiply(TWO).negate());
            BigDecimal t = BigDecimal.ONE.subtract(TWO.multiply(e, MC).divide(BigDecimal.ONE.add(e, MC), MC), MC);
            return x.signum() < 0 ? t.negate() : t;
        }
        BigDecimal em1 = expm1(x.multiply(TWO));
        return em1.divide(em1.add(TWO, MC), MC);
    }

    /** e^x - 1 by its series for |x| &lt; 1e-3, else exp(x) - 1. */
    private static BigDecimal expm1(BigDecimal x) {
        if (x.abs().compareTo(new BigDecimal("1e-3")) >= 0) {
            return exp(x).subtract(BigDecimal.ONE, MC);
        }
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal term = BigDecimal.ONE;
        for (int k = 1; k < 100; k++) {
            term = term.multiply(x, MC).divide(BigDecimal.valueOf(k), MC);
            sum = sum.add(term, MC);
            if (term.signum() == 0 || term.abs().compareTo(sum.abs().multiply(TINY)) < 0) {
                break;
            }
        }
        return sum;
    }

    /** The loss head over a batch, exact: the reduced loss, the per-row losses and dL/dz [B, C]. */
    record Batch(BigDecimal loss, BigDecimal[] rowLosses, BigDecimal[] gradient) {
    }

    /**
     * The loss head of core/NUMERICS.md ("Loss-head options") over a batch of finite logits, written from the
     * definitions (PyTorch's {@code F.cross_entropy} for weights, smoothing and ignored rows) and sharing no code with
     * the paths:
     * <pre>
     *   z'   = c·tanh(z/c)                              (softcap, when cap &gt; 0)
     *   x    = softmax(z')  when doubleSoftmax, else z'  (what the loss takes as logits)
     *   lse  = log Σ_j e^{x_j},  p_j = e^{x_j - lse}
     *   q    = sparse y, α = 0: w_y·[c = y];  sparse, α: (1-α)·w_y·[c = y] + (α/C)·w_c;  dense: w_c((1-α)t_c + α/C)
     *   row  = Σ_c q_c (lse - x_c) + λ·lse²,             dL/dx_j = (Σ q) p_j - q_j + 2λ·lse·p_j
     *   mean: Σ rows / D, D = Σ_{kept} w_{y_i} (sparse) or B (dense); ignored rows: 0 and left out of D
     * </pre>
     * and the chain back through the softmax (double-softmax) and the softcap.
     *
     * @param z       [B, C] finite logits
     * @param labels  [B] sparse labels, or null for dense
     * @param t       [B, C] dense targets, used when labels is null
     * @param weights [C] class weights, or null for none
     * @param cap     softcap c, or 0 for none
     */
    static Batch head(double[] z, int rows, int classes, int[] labels, double[] t, double alpha, double[] weights,
            int ignoreIndex, double lambda, double cap, boolean doubleSoftmax, Reduction reduction) {
        BigDecimal[] rowLoss = new BigDecimal[rows];
        BigDecimal[] grad = new BigDecimal[rows * classes];
        BigDecimal a = new BigDecimal(alpha);
        BigDecimal lam = new BigDecimal(lambda);
        BigDecimal c = new BigDecimal(cap);
        BigDecimal kC = BigDecimal.valueOf(classes);
        BigDecimal denominator = BigDecimal.ZERO;
        for (int i = 0; i < rows; i++) {
            int base = i * classes;
            if (labels != null && labels[i] == ignoreIndex) {
                rowLoss[i] = BigDecimal.ZERO;
                for (int j = 0; j < classes; j++) {
                    grad[base + j] = BigDecimal.ZERO;
                }
                continue;
            }
            BigDecimal[] zc = new BigDecimal[classes];
            BigDecimal[] th = new BigDecimal[classes];
            for (int j = 0; j < classes; j++) {
                BigDecimal zj = new BigDecimal(z[base + j]);
                if (cap > 0) {
                    th[j] = tanh(zj.divide(c, MC));
                    zc[j] = c.multiply(th[j], MC);
                } else {
                    zc[j] = zj;
                }
            }
            BigDecimal[] r = doubleSoftmax ? softmax(zc) : zc;
            BigDecimal[] p = softmax(r);
            BigDecimal lse = lse(r);
            BigDecimal[] q = new BigDecimal[classes];
            for (int k = 0; k < classes; k++) {
                BigDecimal wk = weights == null ? BigDecimal.ONE : new BigDecimal(weights[k]);
                if (labels != null) {
                    int y = labels[i];
                    BigDecimal wy = weights == null ? BigDecimal.ONE : new BigDecimal(weights[y]);
                    BigDecimal onY = k == y ? BigDecimal.ONE.subtract(a).multiply(wy, MC) : BigDecimal.ZERO;
                    q[k] = onY.add(a.divide(kC, MC).multiply(wk, MC), MC);
                } else {
                    BigDecimal smoothed = BigDecimal.ONE.subtract(a).multiply(new BigDecimal(t[base + k]), MC)
                            .add(a.divide(kC, MC), MC);
                    q[k] = wk.multiply(smoothed, MC);
                }
            }
            if (labels != null) {
                denominator = denominator.add(weights == null ? BigDecimal.ONE : new BigDecimal(weights[labels[i]]));
            }
            BigDecimal mass = BigDecimal.ZERO;
            BigDecimal loss = lam.multiply(lse, MC).multiply(lse, MC);
            for (int k = 0; k < classes; k++) {
                mass = mass.add(q[k], MC);
                loss = loss.add(q[k].multiply(lse.subtract(r[k], MC), MC), MC);
            }
            rowLoss[i] = loss;
            BigDecimal[] g = new BigDecimal[classes]; // dL/dr
            BigDecimal slope = TWO.multiply(lam, MC).multiply(lse, MC);
            for (int j = 0; j < classes; j++) {
                g[j] = mass.add(slope, MC).multiply(p[j], MC).subtract(q[j], MC);
            }
            if (doubleSoftmax) {
                BigDecimal dot = BigDecimal.ZERO;
                for (int k = 0; k < classes; k++) {
                    dot = dot.add(r[k].multiply(g[k], MC), MC);
                }
                BigDecimal[] gz = new BigDecimal[classes];
                for (int j = 0; j < classes; j++) {
                    gz[j] = r[j].multiply(g[j].subtract(dot, MC), MC);
                }
                g = gz;
            }
            for (int j = 0; j < classes; j++) {
                BigDecimal gj = g[j];
                if (cap > 0) {
                    gj = gj.multiply(BigDecimal.ONE.subtract(th[j].multiply(th[j], MC), MC), MC);
                }
                grad[base + j] = gj;
            }
        }
        if (labels == null) {
            denominator = BigDecimal.valueOf(rows);
        }
        BigDecimal total = BigDecimal.ZERO;
        for (BigDecimal l : rowLoss) {
            total = total.add(l, MC);
        }
        if (reduction == Reduction.MEAN) {
            if (denominator.signum() == 0) {
                return new Batch(null, rowLoss, grad); // 0/0: no number
            }
            total = total.divide(denominator, MC);
            for (int k = 0; k < grad.length; k++) {
                grad[k] = grad[k].divide(denominator, MC);
            }
        }
        return new Batch(total, rowLoss, grad);
    }

    /** log Σ e^{x_j}, through the max. */
    private static BigDecimal lse(BigDecimal[] x) {
        BigDecimal m = x[0];
        for (BigDecimal v : x) {
            m = v.compareTo(m) > 0 ? v : m;
        }
        BigDecimal s = BigDecimal.ZERO;
        for (BigDecimal v : x) {
            s = s.add(exp(v.subtract(m, MC)), MC);
        }
        return m.add(log(s), MC);
    }

    private static BigDecimal[] softmax(BigDecimal[] x) {
        BigDecimal l = lse(x);
        BigDecimal[] p = new BigDecimal[x.length];
        for (int j = 0; j < x.length; j++) {
            p[j] = exp(x[j].subtract(l, MC));
        }
        return p;
    }
}
