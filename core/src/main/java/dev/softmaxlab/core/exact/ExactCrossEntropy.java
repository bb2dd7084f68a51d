package dev.softmaxlab.core.exact;

/**
 * The exact reference of one row: softmax cross-entropy and its gradient for the given values (the tensor's own
 * values, before any rounding to a path's precision), evaluated in {@link DoubleDouble} and rounded once at the end.
 *
 * <p>Per row (z finite; m = max_j z_j, a its first argmax):
 * <pre>
 *   e_j  = exp(z_j - m)        z_j - m exact as a double-double (TwoSum), e_a = 1
 *   s'   = Σ_{j≠a} e_j,  s = 1 + s'
 *   loss = (m - z_y) + log1p(s')                      sparse label y
 *   loss = Σ_j t_j·((m - z_j) + log1p(s'))            dense t (terms with t_j = 0 skipped)
 *   g_j  = e_j/s (j ≠ y),  g_y = -(s - e_y)/s          sparse
 *   g_j  = e_j/s - t_j                                  dense
 * </pre>
 * Every quantity carries about 106 bits, so rounding it once to fp64 (or narrower) gives the correctly rounded
 * value except in cases closer to a rounding tie than 2^-100 relative. A row with a non-finite logit has no
 * reference: {@link #evaluate} returns false and leaves the outputs undefined.
 *
 * <p>Not thread-safe: one instance per worker; its scratch grows with C and is then reused (no allocation per row
 * beyond what escape analysis removes).
 */
public final class ExactCrossEntropy {

    private double[] eHi = new double[0];
    private double[] eLo = new double[0];
    private double[] gradient = new double[0];
    private double[] probabilities = new double[0];
    private DoubleDouble loss = DoubleDouble.ZERO;
    private DoubleDouble logSumExp = DoubleDouble.ZERO;
    private DoubleDouble labelGradient = DoubleDouble.ZERO;
    private double entropy;
    private int classes;

    /**
     * Evaluates one row.
     *
     * @param z      logits, the row at [offset, offset + classes), not modified
     * @param label  the sparse label in [0, C), or -1 for the dense target t
     * @param t      dense target, the row at [tOffset, tOffset + classes); read only when label &lt; 0
     * @return false when a logit is NaN or ±∞ (no reference exists for the row)
     */
    public boolean evaluate(double[] z, int offset, int classes, int label, double[] t, int tOffset) {
        ensure(classes);
        this.classes = classes;
        double m = Double.NEGATIVE_INFINITY;
        int a = -1;
        for (int j = 0; j < classes; j++) {
            double v = z[offset + j];
            if (!Double.isFinite(v)) {
                return false;
            }
            if (v > m) {
                m = v;
                a = j;
            }
        }
        // e_j = exp(z_j - m), the difference exact as a double-double (TwoSum); e_a = 1 exactly, set after the sum
        // (0 while summing, so that s' = Σ_{j≠a} e_j needs no branch)
        for (int j = 0; j < classes; j++) {
            double zj = z[offset + j];
            double d = zj - m;
            double bb = d - zj;
            double dl = (zj - (d - bb)) + (-m - bb);
            DoubleDouble.exp(d, dl, eHi, j, eLo, j);
        }
        eHi[a] = 0.0;
        eLo[a] = 0.0;
        // s' in four interleaved double-double sums (j mod 4), combined in lane order: all terms are ≥ 0, so the
        // plain double-double sum loses nothing to cancellation, and four lanes cut the chain of dependent
        // additions each element would otherwise wait for. The order is fixed, so the result is too.
        double h0 = 0, l0 = 0, h1 = 0, l1 = 0, h2 = 0, l2 = 0, h3 = 0, l3 = 0;
        int full = classes & ~3;
        for (int j = 0; j < full; j += 4) {
            double x0 = h0 + eHi[j];
            double x1 = h1 + eHi[j + 1];
            double x2 = h2 + eHi[j + 2];
            double x3 = h3 + eHi[j + 3];
            double y0 = twoSumError(h0, eHi[j], x0) + l0 + eLo[j];
            double y1 = twoSumError(h1, eHi[j + 1], x1) + l1 + eLo[j + 1];
            double y2 = twoSumError(h2, eHi[j + 2], x2) + l2 + eLo[j + 2];
            double y3 = twoSumError(h3, eHi[j + 3], x3) + l3 + eLo[j + 3];
            h0 = x0 + y0;
            l0 = y0 - (h0 - x0);
            h1 = x1 + y1;
            l1 = y1 - (h1 - x1);
            h2 = x2 + y2;
            l2 = y2 - (h2 - x2);
            h3 = x3 + y3;
            l3 = y3 - (h3 - x3);
        }
        DoubleDouble total = DoubleDouble.of(h0, l0).add(DoubleDouble.of(h1, l1))
                .add(DoubleDouble.of(h2, l2)).add(DoubleDouble.of(h3, l3));
        for (int j = full; j < classes; j++) {
            total = total.add(DoubleDouble.of(eHi[j], eLo[j]));
        }
        eHi[a] = 1.0;
        DoubleDouble sPrime = total;
        DoubleDouble s = sPrime.add(1.0);
        DoubleDouble logS = sPrime.log1p();
        logSumExp = logS.add(m);
        // p_j = e_j · (1/s): one double-double reciprocal per row, then a double-double product per element
        DoubleDouble inv = DoubleDouble.ONE.div(s);
        double ih = inv.hi();
        double il = inv.lo();
        double entropySum = 0.0; // Σ p_j (m - z_j), in double: a statistic, not a reference
        for (int j = 0; j < classes; j++) {
            double eh = eHi[j];
            double ph = eh * ih;
            double pl = Math.fma(eh, ih, -ph) + (eh * il + eLo[j] * ih);
            double p = ph + pl;
            pl = pl - (p - ph);
            ph = p;
            probabilities[j] = ph;
            if (ph != 0.0) {
                entropySum += ph * (m - z[offset + j]);
            }
            if (label >= 0) {
                gradient[j] = ph;
            } else {
                DoubleDouble g = DoubleDouble.of(ph, pl).add(-t[tOffset + j]);
                gradient[j] = g.hi();
                eLo[j] = g.lo(); // the low part of g_j from here on (e_j is no longer needed)
            }
        }
        entropy = entropySum + logS.hi();
        if (label >= 0) {
            DoubleDouble restY = label == a ? sPrime : s.sub(DoubleDouble.of(eHi[label], eLo[label]));
            labelGradient = DoubleDouble.ZERO.sub(restY.div(s)); // 0 - x: no negative zero (C = 1)
            gradient[label] = labelGradient.hi();
            loss = DoubleDouble.twoSum(m, -z[offset + label]).add(logS);
        } else {
            DoubleDouble sum = DoubleDouble.ZERO;
            for (int j = 0; j < classes; j++) {
                double tj = t[tOffset + j];
                if (tj != 0.0) {
                    sum = sum.add(DoubleDouble.twoSum(m, -z[offset + j]).add(logS).mul(tj));
                }
            }
            loss = sum;
            labelGradient = DoubleDouble.of(Double.NaN);
        }
        return true;
    }

    /** The rounding error of the sum x = a + b (Knuth's TwoSum, no branch): a + b = x + error exactly. */
    private static double twoSumError(double a, double b, double x) {
        double w = x - a;
        return (a - (x - w)) + (b - w);
    }

    /** The loss as a double-double. */
    public DoubleDouble loss() {
        return loss;
    }

    /** log Σ_j e^{z_j} as a double-double (m + log s). */
    public DoubleDouble logSumExp() {
        return logSumExp;
    }

    /** The gradient rounded once to double, [C] (first {@link #classes()} entries valid). */
    public double[] gradient() {
        return gradient;
    }

    /** The probabilities rounded once to double, [C]. */
    public double[] probabilities() {
        return probabilities;
    }

    /** The label entry of the gradient, p_y - 1, as a double-double; NaN for a dense target. */
    public DoubleDouble labelGradient() {
        return labelGradient;
    }

    /** The softmax's entropy -Σ p_j log p_j in nats (evaluated in double: a statistic of the input). */
    public double entropy() {
        return entropy;
    }

    public int classes() {
        return classes;
    }

    private void ensure(int c) {
        if (eHi.length < c) {
            eHi = new double[c];
            eLo = new double[c];
            gradient = new double[c];
            probabilities = new double[c];
        }
    }
}
