package dev.softmaxlab.experiments.optim;

import dev.softmaxlab.experiments.model.ModelPrecision;

/**
 * Adam (Kingma and Ba, 2015) with bias correction and decoupled weight decay (AdamW, Loshchilov and Hutter, 2019):
 * at step t = 1, 2, ...
 * <pre>
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   m̂ = m / (1 − β1^t),  v̂ = v / (1 − β2^t)
 *   p ← p − lr·(m̂ / (√v̂ + ε) + λ·p)
 * </pre>
 * The decay acts on the parameter directly, not through the moments, so it is not rescaled by √v̂ (this is why it
 * is decoupled here while {@link Sgd} and {@link Momentum} add it to the gradient). λ = 0 skips the decay term.
 * β^t is kept as a running product. In fp32 every operation and the moments are rounded to float.
 */
public final class Adam implements Optimizer {

    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final ModelPrecision precision;
    private final double[] m; // [P]
    private final double[] v; // [P]
    private double beta1Power = 1;
    private double beta2Power = 1;

    public Adam(int parameterCount, double lr, double beta1, double beta2, double eps, double weightDecay,
                ModelPrecision precision) {
        this.lr = precision.round(lr);
        this.beta1 = precision.round(beta1);
        this.beta2 = precision.round(beta2);
        this.eps = precision.round(eps);
        this.weightDecay = precision.round(weightDecay);
        this.precision = precision;
        this.m = new double[parameterCount];
        this.v = new double[parameterCount];
    }

    @Override
    public void step(double[] p, double[] g) {
        ModelPrecision r = precision;
        beta1Power = r.round(beta1Power * beta1);
        beta2Power = r.round(beta2Power * beta2);
        double oneMinusBeta1 = r.round(1 - beta1);
        double oneMinusBeta2 = r.round(1 - beta2);
        double correction1 = r.round(1 - beta1Power);
        double correction2 = r.round(1 - beta2Power);
        for (int i = 0; i < p.length; i++) {
            double gi = r.round(g[i]);
            m[i] = r.round(r.round(beta1 * m[i]) + r.round(oneMinusBeta1 * gi));
            v[i] = r.round(r.round(beta2 * v[i]) + r.round(oneMinusBeta2 * r.round(gi * gi)));
            double mHat = r.round(m[i] / correction1);
            double vHat = r.round(v[i] / correction2);
            double update = r.round(mHat / r.round(r.round(Math.sqrt(vHat)) + eps));
            if (weightDecay != 0) {
                update = r.round(update + r.round(weightDecay * p[i]));
            }
            p[i] = r.round(p[i] - r.round(lr * update));
        }
    }
}
