package dev.softmaxlab.core.kernel;

/**
 * The fast twin of the separate paths' reference chain ({@code SeparateChain}) for fp64 with sparse labels: the
 * operations of {@link SeparateSparseRowKernel}'s chain in the reference's order (so the same bits), with no
 * per-operation event accounting. One cheap check per row tells whether the instrumented chain would have counted
 * anything; if so the row is refused (NaN) and the caller re-runs it instrumented. {@code KernelVariantTest} holds
 * the twins to identical bits and identical events.
 *
 * <p>A row is clean when every logit is zero or a finite normal number, every z_j - m is zero or normal, every e_j,
 * p_j and the sum s are finite normal numbers, and log clip(p_y), g_y, dot, g_y - dot and every gradient entry are
 * zero or finite normal numbers: then none of the reference's operations counts an event. With a dense target
 * ({@link SeparateDenseRowKernel}) the same holds for every t_j, every term t_j log clip(p_j), their sum, every g_j,
 * every p_k g_k, their sum dot, and every g_j - dot and grad_j.
 */
public final class ScalarSeparateFp64 implements SeparateSparseRowKernel, SeparateDenseRowKernel {

    private static final ScalarSeparateFp64 SHIFTED = new ScalarSeparateFp64(SeparateForm.SHIFTED);
    private static final ScalarSeparateFp64 NAIVE = new ScalarSeparateFp64(SeparateForm.NAIVE);
    private static final ScalarSeparateFp64 CLIPPED = new ScalarSeparateFp64(SeparateForm.CLIPPED);

    private final boolean shift;
    private final boolean clip;

    private ScalarSeparateFp64(SeparateForm form) {
        this.shift = form.shift();
        this.clip = form.clip();
    }

    /** The kernel of one form (stateless, thread-safe). */
    public static ScalarSeparateFp64 of(SeparateForm form) {
        return switch (form) {
            case SHIFTED -> SHIFTED;
            case NAIVE -> NAIVE;
            case CLIPPED -> CLIPPED;
        };
    }

    @Override
    public double sparseRow(double[] logits, int base, int classes, int label, double lo, double hi, double[] p,
            double[] grad, double[] scratch) {
        int end = base + classes;
        double s = exponentials(logits, base, end, p);
        if (s != s) {
            return Double.NaN;
        }
        // cross-entropy forward and backward on p_y, then the softmax's dot product, which only p_y g_y feeds
        double py = p[base + label] / s;
        double cpy = clip ? (py < lo ? lo : (py > hi ? hi : py)) : py;
        double logPy = StrictMath.log(cpy);
        double gy = !clip || (py >= lo && py <= hi) ? 0.0 - 1.0 / cpy : 0.0;
        double dot = py * gy;
        double nd = 0.0 - dot;
        double gradY = py * (gy - dot);
        boolean clean = zeroOrNormal(logPy) && zeroOrNormal(gy) && zeroOrNormal(dot) && zeroOrNormal(gy - dot)
                && zeroOrNormal(gradY);
        // p_j = e_j / s; grad_j = p_j (0 - dot) for j ≠ y
        double minP = Double.POSITIVE_INFINITY;
        for (int j = base; j < end; j++) {
            double pj = p[j] / s;
            p[j] = pj;
            minP = Math.min(minP, pj);
        }
        // a loop of its own: JDK 17's C2 crashes (TypeVect::xmeet) when it vectorises this product in the loop above
        for (int j = base; j < end; j++) {
            grad[j] = p[j] * nd;
        }
        grad[base + label] = gradY;
        if (!clean || !cleanGradient(minP, nd)) {
            return Double.NaN;
        }
        if (clip) {
            scratch[ClipCount.SCRATCH_SLOT] = ClipCount.outside(p, base, classes, lo, hi);
        }
        return 0.0 - logPy; // 0.0 - x: a loss of log 1 is +0, not -0
    }

    /**
     * The softmax forward up to its sum: e_j = exp(z_j - m) (m = max z by Math.max, as the reference; no m when
     * naive) written into p, and s = Σ e_j left to right (the reference's plain sum).
     *
     * @return s; or NaN when the reference would count an event on the way (a logit, z_j - m or e_j that is not
     *         zero or normal, an infinite s)
     */
    private double exponentials(double[] logits, int base, int end, double[] p) {
        boolean clean = true;
        double m = Double.NEGATIVE_INFINITY;
        for (int j = base; j < end; j++) {
            double z = logits[j];
            clean &= zeroOrNormal(z);
            m = Math.max(m, z);
        }
        double minE = Double.POSITIVE_INFINITY;
        for (int j = base; j < end; j++) {
            double d = shift ? logits[j] - m : logits[j];
            clean &= zeroOrNormal(d);
            double e = StrictMath.exp(d);
            p[j] = e;
            minE = Math.min(minE, e);
        }
        if (!clean || !(minE >= Double.MIN_NORMAL)) {
            return Double.NaN;
        }
        // an infinite e_j makes s infinite
        double s = 0.0;
        for (int j = base; j < end; j++) {
            s += p[j];
        }
        return s <= Double.MAX_VALUE ? s : Double.NaN;
    }

    @Override
    public double denseRow(double[] logits, int base, int classes, double[] q, double lo, double hi, double[] p,
            double[] grad) {
        int end = base + classes;
        double s = exponentials(logits, base, end, p);
        if (s != s) {
            return Double.NaN;
        }
        double minP = Double.POSITIVE_INFINITY;
        for (int j = base; j < end; j++) {
            double pj = p[j] / s;
            p[j] = pj;
            minP = Math.min(minP, pj);
        }
        if (!(minP >= Double.MIN_NORMAL)) {
            return Double.NaN;
        }
        // cross-entropy forward and backward, g_j kept in grad, and the softmax's dot product, all left to right
        boolean clean = true;
        double sum = 0.0;
        double dot = 0.0;
        for (int j = 0; j < classes; j++) {
            double t = q[j];
            clean &= zeroOrNormal(t);
            double pj = p[base + j];
            double cpj = clip ? (pj < lo ? lo : (pj > hi ? hi : pj)) : pj;
            if (t != 0.0) {
                // where t_j = 0 the reference adds 0·log p_j = ±0, which leaves the sum's bits (class comment)
                double term = t * StrictMath.log(cpj);
                clean &= zeroOrNormal(term);
                sum += term;
            }
            double g = 0.0;
            if (!clip || (pj >= lo && pj <= hi)) {
                double ratio = t / cpj; // the reference divides only where the clip passes g on
                clean &= zeroOrNormal(ratio);
                g = 0.0 - ratio;
            }
            grad[base + j] = g;
            double pg = pj * g;
            clean &= zeroOrNormal(pg);
            dot += pg;
        }
        clean &= zeroOrNormal(sum) && zeroOrNormal(dot);
        // softmax backward: grad_j = p_j (g_j - dot)
        for (int j = base; j < end; j++) {
            double d = grad[j] - dot;
            double gj = p[j] * d;
            clean &= zeroOrNormal(d) && zeroOrNormal(gj);
            grad[j] = gj;
        }
        if (!clean) {
            return Double.NaN;
        }
        return 0.0 - sum; // 0.0 - x: a loss of log 1 is +0, not -0
    }

    /**
     * Whether every p_j ≥ minP is normal and every p_j·nd (j ≠ y) is zero or normal: rounding is monotonic, so
     * |p_j·nd| ≥ round(minP·|nd|), and p_j ≤ 1 keeps it finite. (p_y is in minP too, which can only refuse more.)
     */
    public static boolean cleanGradient(double minP, double nd) {
        return minP >= Double.MIN_NORMAL && (nd == 0.0 || minP * Math.abs(nd) >= Double.MIN_NORMAL);
    }

    public static boolean zeroOrNormal(double x) {
        double a = Math.abs(x);
        return a == 0.0 || (a >= Double.MIN_NORMAL && a <= Double.MAX_VALUE);
    }
}
