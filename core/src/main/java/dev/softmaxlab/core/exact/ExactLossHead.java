package dev.softmaxlab.core.exact;

import java.util.Arrays;

/**
 * The exact reference of one row of a loss head (core/NUMERICS.md, "Loss-head options" and "Exact reference"):
 * softcap, cross-entropy with class weights and label smoothing, and z-loss, with their gradient, in double-double,
 * rounded once at the end. The row's loss is its {@code sum} (a batch of one row, not divided by anything): a
 * reduction's denominator is the caller's, through {@link #evaluate(double[], int, int, int, double[], int, double)}.
 *
 * <p>Per row (z finite, c the cap, w the class weights (all 1 without), α the smoothing, λ the z-loss weight):
 * <pre>
 *   z'_j  = c·tanh(z_j/c)                 double-double tanh; z' = z without a cap
 *   lse   = log Σ_j e^{z'_j},  p_j = e^{z'_j - lse}
 *   q_k   = sparse y:  (1-α)·w_y·[k = y] + (α/C)·w_k      dense t:  w_k·((1-α)·t_k + α/C)
 *   loss  = Σ_k q_k·(lse - z'_k) + λ·lse²     (sparse, α = 0: w_y·(lse - z'_y) + λ·lse²)
 *   dL/dz'_j = (Q + 2λ·lse)·p_j - q_j,   Q = Σ_k q_k
 *   dL/dz_j  = dL/dz'_j·(1 - tanh²(z_j/c))   sech² formed directly, so a saturated tanh loses nothing to 1 - t²
 * </pre>
 * The cross-entropy itself is {@link ExactCrossEntropy}'s, through its public API, which takes doubles: z' is handed
 * over as its high parts z'hi and the low parts z'lo (|z'lo| ≤ 2^-53·|z'|) are put back to first order, L(z'hi +
 * z'lo) = L(z'hi) + Σ_j g_j·z'lo_j and g(z'hi + z'lo) = g(z'hi) + H·z'lo (H the Hessian of the loss in z'), which
 * leaves an error of order 2^-106·|z'|² relative: far below the rounding to double. A target of mass Q ≠ 1 is handed
 * over normalised, t~ = q/Q rounded to double, and the rounding δ = q/Q - t~ is put back in double-double:
 * loss = Q·(CE(t~) + Σ_k δ_k·(lse - z'_k)). The gradient is formed from p_j = e^{z'_j - lse} in double-double (one
 * double-double exp per class beyond the cross-entropy's), so that its products and differences round once; only
 * a sparse unsmoothed label keeps the cross-entropy's -(s - e_y)/s, which has no cancellation to lose digits to.
 *
 * <p>Without any option the row is {@link ExactCrossEntropy}'s, bit for bit (nothing is added to it). A row with a
 * non-finite logit has no reference. Not thread-safe: one instance per worker; its scratch grows with C.
 */
public final class ExactLossHead {

    private final ExactCrossEntropy ce = new ExactCrossEntropy();
    private final double labelSmoothing;
    private final double[] classWeights;
    private final double zLoss;
    private final double softcap;
    private final boolean plain;

    private double[] capped = new double[0];   // [C] z'hi
    private double[] cappedLo = new double[0]; // [C] z'lo
    private double[] sech2Hi = new double[0];  // [C] 1 - tanh²(z/c), double-double
    private double[] sech2Lo = new double[0];
    private double[] target = new double[0];   // [C] t~ = q/Q rounded to double
    private double[] deltaHi = new double[0];  // [C] δ = q/Q - t~, double-double
    private double[] deltaLo = new double[0];
    private double[] qHi = new double[0];      // [C] q, double-double
    private double[] qLo = new double[0];
    private double[] pHi = new double[0];      // [C] softmax(z'hi), double-double
    private double[] pLo = new double[0];
    private double[] gradHi = new double[0];   // [C] dL/dz', then dL/dz, double-double
    private double[] gradLo = new double[0];
    private double[] gradient = new double[0];
    private DoubleDouble loss = DoubleDouble.ZERO;
    private DoubleDouble logSumExp = DoubleDouble.ZERO;
    private DoubleDouble labelGradient = DoubleDouble.ZERO;

    /**
     * @param labelSmoothing α in [0, 1)
     * @param classWeights   w_k &gt; 0 per class, or null for none (every class weighs 1); not copied, not modified
     * @param zLoss          λ ≥ 0 (0: no z-loss)
     * @param softcap        c &gt; 0, or NaN for no cap
     */
    public ExactLossHead(double labelSmoothing, double[] classWeights, double zLoss, double softcap) {
        if (!(labelSmoothing >= 0 && labelSmoothing < 1) || !(zLoss >= 0 && zLoss <= Double.MAX_VALUE)
                || !(softcap != softcap || softcap > 0 && softcap <= Double.MAX_VALUE)) {
            throw new IllegalArgumentException("out of range: labelSmoothing " + labelSmoothing + ", zLoss " + zLoss
                    + ", softcap " + softcap);
        }
        this.labelSmoothing = labelSmoothing;
        this.classWeights = classWeights;
        this.zLoss = zLoss;
        this.softcap = softcap;
        this.plain = labelSmoothing == 0 && classWeights == null && zLoss == 0 && softcap != softcap;
    }

    /** The row's loss head, not divided: {@link #evaluate(double[], int, int, int, double[], int, double)} by 1. */
    public boolean evaluate(double[] z, int offset, int classes, int label, double[] t, int tOffset) {
        return evaluate(z, offset, classes, label, t, tOffset, 1.0);
    }

    /**
     * Evaluates one row; the loss and gradient are divided by {@code divisor} before they are rounded (a batch of one
     * row under {@code mean}: the row's w_y for a weighted sparse label, else 1).
     *
     * @param z       logits, the row at [offset, offset + classes), not modified
     * @param label   the sparse label in [0, C), or -1 for the dense target t
     * @param t       dense target, the row at [tOffset, tOffset + classes); read only when label &lt; 0
     * @param divisor &gt; 0
     * @return false when a logit is NaN or ±∞ (no reference exists for the row)
     */
    public boolean evaluate(double[] z, int offset, int classes, int label, double[] t, int tOffset, double divisor) {
        if (classWeights != null && classWeights.length != classes) {
            throw new IllegalArgumentException(classWeights.length + " class weights for " + classes + " classes");
        }
        if (plain && divisor == 1.0) {
            if (!ce.evaluate(z, offset, classes, label, t, tOffset)) {
                return false;
            }
            loss = ce.loss();
            logSumExp = ce.logSumExp();
            labelGradient = ce.labelGradient();
            gradient = ce.gradient();
            return true;
        }
        ensure(classes);
        for (int j = 0; j < classes; j++) {
            if (!Double.isFinite(z[offset + j])) {
                return false;
            }
        }
        boolean correct = cap(z, offset, classes);
        double[] zc = correct ? capped : z;
        int zOff = correct ? 0 : offset;
        // the target: sparse and unsmoothed stays sparse (weight w_y); otherwise q in double-double, handed over as q/Q
        boolean sparse = label >= 0 && labelSmoothing == 0;
        DoubleDouble mass;
        if (sparse) {
            mass = DoubleDouble.of(weight(label));
            ce.evaluate(zc, zOff, classes, label, null, 0);
        } else {
            mass = target(classes, label, t, tOffset);
            ce.evaluate(zc, zOff, classes, -1, target, 0);
        }
        double[] p = ce.probabilities();
        DoubleDouble lse = ce.logSumExp();
        // p_j = e^{z'_j - lse} in double-double: the gradient's products and differences then round once, at the end
        for (int j = 0; j < classes; j++) {
            DoubleDouble x = DoubleDouble.of(zc[zOff + j]).sub(lse);
            DoubleDouble.exp(x.hi(), x.lo(), pHi, j, pLo, j); // into the arrays: no allocation per class
        }
        // dL/dz' in double-double, and the loss
        DoubleDouble l;
        if (sparse) {
            l = ce.loss().mul(mass);
            for (int j = 0; j < classes; j++) {
                // the label entry is -(s - e_y)/s from the cross-entropy: p_y - 1 without its cancellation
                set(j, (j == label ? ce.labelGradient() : DoubleDouble.of(pHi[j], pLo[j])).mul(mass));
            }
        } else {
            DoubleDouble corr = DoubleDouble.ZERO;
            for (int j = 0; j < classes; j++) {
                DoubleDouble d = DoubleDouble.of(deltaHi[j], deltaLo[j]);
                if (d.signum() != 0) {
                    corr = corr.add(d.mul(lse.sub(DoubleDouble.of(zc[zOff + j]))));
                }
                set(j, DoubleDouble.of(pHi[j], pLo[j]).mul(mass).sub(DoubleDouble.of(qHi[j], qLo[j])));
            }
            l = ce.loss().add(corr).mul(mass);
        }
        double slopeZ = 0.0; // 2λ·lse in double, for the first-order correction
        if (zLoss != 0) {
            l = l.add(lse.mul(lse).mul(zLoss));
            DoubleDouble slope = lse.mul(2 * zLoss);
            slopeZ = slope.hi();
            for (int j = 0; j < classes; j++) {
                add(j, slope.mul(DoubleDouble.of(pHi[j], pLo[j])));
            }
        }
        if (correct) {
            // first order in z'lo: L += Σ g_j z'lo_j, lse += S, g_j += (Q + 2λ·lse)·p_j·(z'lo_j - S) + 2λ·p_j·S
            double s = 0.0;
            double dl = 0.0;
            for (int j = 0; j < classes; j++) {
                s += p[j] * cappedLo[j];
                dl += gradHi[j] * cappedLo[j];
            }
            l = l.add(dl);
            lse = lse.add(s);
            double curvature = mass.hi() + slopeZ;
            for (int j = 0; j < classes; j++) {
                double spread = cappedLo[j] - s;
                if (j == label) {
                    // Σ_k p_k·(z'lo_y - z'lo_k): small when p_y is near 1, and formed without cancelling
                    spread = 0.0;
                    for (int k = 0; k < classes; k++) {
                        spread += p[k] * (cappedLo[j] - cappedLo[k]);
                    }
                }
                add(j, DoubleDouble.of(curvature * p[j] * spread + 2 * zLoss * p[j] * s));
            }
            // the cap's backward: dL/dz = dL/dz'·sech²(z/c)
            for (int j = 0; j < classes; j++) {
                set(j, DoubleDouble.of(gradHi[j], gradLo[j]).mul(DoubleDouble.of(sech2Hi[j], sech2Lo[j])));
            }
        }
        if (divisor != 1.0) {
            l = l.div(divisor);
            for (int j = 0; j < classes; j++) {
                set(j, DoubleDouble.of(gradHi[j], gradLo[j]).div(divisor));
            }
        }
        loss = l;
        logSumExp = lse;
        labelGradient = label >= 0 ? DoubleDouble.of(gradHi[label], gradLo[label]) : DoubleDouble.of(Double.NaN);
        gradient = gradHi;
        return true;
    }

    /** Applies the softcap into capped/cappedLo/sech2; false (nothing written) without a cap. */
    private boolean cap(double[] z, int offset, int classes) {
        if (softcap != softcap) {
            return false;
        }
        for (int j = 0; j < classes; j++) {
            DoubleDouble u = DoubleDouble.of(z[offset + j]).div(softcap);
            DoubleDouble[] ts = tanhSech2(u);
            DoubleDouble zc = ts[0].mul(softcap);
            capped[j] = zc.hi();
            cappedLo[j] = zc.lo();
            sech2Hi[j] = ts[1].hi();
            sech2Lo[j] = ts[1].lo();
        }
        return true;
    }

    /** -1/3 as a double-double: the first correction of tanh's series. */
    private static final DoubleDouble MINUS_THIRD = DoubleDouble.ONE.div(-3.0);

    /**
     * tanh u and sech² u = 1 - tanh² u in double-double, for a = |u|:
     * <pre>
     *   a &lt; 2^-8:  tanh a = a - a³/3 + a⁵·Q(a²)   Q = 2/15 - 17a²/315 + ... (to a^13) in double: below 2^-85 of tanh
     *              sech² a = 1 - tanh² a          nothing cancels: tanh² &lt; 2^-16
     *   a ≥ 2^-8:  e = e^{-2a} ∈ (0, 1):  tanh a = (1 - e)/(1 + e),  sech² a = 4e/(1 + e)²
     * </pre>
     * 1 - e loses at most 7 of exp's 100 bits at a = 2^-8; sech² never subtracts, so it keeps its relative precision
     * however close tanh is to 1 (down to where e underflows: a ≳ 372, where both are exactly what double can say).
     */
    static DoubleDouble[] tanhSech2(DoubleDouble u) {
        double sign = u.hi() < 0 ? -1.0 : 1.0;
        DoubleDouble a = sign < 0 ? u.negate() : u;
        if (a.hi() == 0.0) {
            return new DoubleDouble[] {u, DoubleDouble.ONE};
        }
        DoubleDouble tanh;
        DoubleDouble sech2;
        if (a.hi() < 0x1p-8) {
            double x = a.hi() * a.hi();
            // 2/15, -17/315, 62/2835, -1382/155925, 21844/6081075, -929569/638512875: tanh's Taylor coefficients
            double q = 2.0 / 15 + x * (-17.0 / 315 + x * (62.0 / 2835 + x * (-1382.0 / 155925
                    + x * (21844.0 / 6081075 + x * (-929569.0 / 638512875)))));
            DoubleDouble a2 = a.mul(a);
            DoubleDouble a3 = a2.mul(a);
            tanh = a.add(a3.mul(MINUS_THIRD)).add(a3.hi() * x * q);
            sech2 = DoubleDouble.ONE.sub(tanh.mul(tanh));
        } else {
            DoubleDouble e = a.mul(-2.0).exp();
            DoubleDouble inv = DoubleDouble.ONE.div(e.add(1.0)); // one division for both
            tanh = DoubleDouble.ONE.sub(e).mul(inv);
            sech2 = e.mul(4.0).mul(inv).mul(inv);
        }
        return new DoubleDouble[] {sign < 0 ? tanh.negate() : tanh, sech2};
    }

    /** Fills target with q/Q rounded to double and delta with the rest; returns Q. */
    private DoubleDouble target(int classes, int label, double[] t, int tOffset) {
        DoubleDouble keep = DoubleDouble.ONE.sub(DoubleDouble.of(labelSmoothing));
        DoubleDouble spread = DoubleDouble.of(labelSmoothing).div(classes);
        DoubleDouble[] q = new DoubleDouble[classes];
        DoubleDouble mass = DoubleDouble.ZERO;
        for (int k = 0; k < classes; k++) {
            DoubleDouble qk;
            if (label >= 0) {
                qk = spread.mul(weight(k));
                if (k == label) {
                    qk = qk.add(keep.mul(weight(label)));
                }
            } else {
                qk = keep.mul(t[tOffset + k]).add(spread).mul(weight(k));
            }
            q[k] = qk;
            qHi[k] = qk.hi();
            qLo[k] = qk.lo();
            mass = mass.add(qk);
        }
        for (int k = 0; k < classes; k++) {
            DoubleDouble share = q[k].div(mass);
            target[k] = share.hi();
            DoubleDouble d = share.sub(DoubleDouble.of(share.hi()));
            deltaHi[k] = d.hi();
            deltaLo[k] = d.lo();
        }
        return mass;
    }

    private double weight(int k) {
        return classWeights == null ? 1.0 : classWeights[k];
    }

    private void set(int j, DoubleDouble v) {
        gradHi[j] = v.hi();
        gradLo[j] = v.lo();
    }

    private void add(int j, DoubleDouble v) {
        set(j, DoubleDouble.of(gradHi[j], gradLo[j]).add(v));
    }

    /** The loss as a double-double (divided by the divisor). */
    public DoubleDouble loss() {
        return loss;
    }

    /** log Σ_j e^{z'_j} of the capped logits as a double-double. */
    public DoubleDouble logSumExp() {
        return logSumExp;
    }

    /** The gradient dL/dz rounded once to double, [C] (first C entries valid; reused by the next row). */
    public double[] gradient() {
        return gradient;
    }

    /** softmax(z') rounded once to double, [C]. */
    public double[] probabilities() {
        return ce.probabilities();
    }

    /** The label entry of the gradient as a double-double; NaN for a dense target. */
    public DoubleDouble labelGradient() {
        return labelGradient;
    }

    /** The entropy of softmax(z') in nats (a statistic of the input, in double). */
    public double entropy() {
        return ce.entropy();
    }

    private void ensure(int c) {
        if (capped.length < c) {
            capped = new double[c];
            cappedLo = new double[c];
            sech2Hi = new double[c];
            sech2Lo = new double[c];
            target = new double[c];
            deltaHi = new double[c];
            deltaLo = new double[c];
            gradHi = new double[c];
            gradLo = new double[c];
            qHi = new double[c];
            qLo = new double[c];
            pHi = new double[c];
            pLo = new double[c];
        }
        Arrays.fill(deltaHi, 0, c, 0.0);
        Arrays.fill(deltaLo, 0, c, 0.0);
    }
}
