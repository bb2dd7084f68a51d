package dev.softmaxlab.experiments.optim;

import dev.softmaxlab.experiments.model.ModelPrecision;

/**
 * Heavy-ball momentum, the form PyTorch's SGD uses (no dampening, no Nesterov): g' = g + λ·p (L2 weight decay added
 * to the gradient, skipped when λ = 0), v ← μ·v + g', p ← p − lr·v, with v starting at 0. In fp32 every operation
 * and the velocity are rounded to float.
 */
public final class Momentum implements Optimizer {

    private final double lr;
    private final double mu;
    private final double weightDecay;
    private final ModelPrecision precision;
    private final double[] velocity; // [P]

    public Momentum(int parameterCount, double lr, double mu, double weightDecay, ModelPrecision precision) {
        this.lr = precision.round(lr);
        this.mu = precision.round(mu);
        this.weightDecay = precision.round(weightDecay);
        this.precision = precision;
        this.velocity = new double[parameterCount];
    }

    @Override
    public void step(double[] p, double[] g) {
        ModelPrecision r = precision;
        double[] v = velocity;
        for (int i = 0; i < p.length; i++) {
            double grad = weightDecay == 0 ? r.round(g[i]) : r.round(g[i] + r.round(weightDecay * p[i]));
            v[i] = r.round(r.round(mu * v[i]) + grad);
            p[i] = r.round(p[i] - r.round(lr * v[i]));
        }
    }
}
