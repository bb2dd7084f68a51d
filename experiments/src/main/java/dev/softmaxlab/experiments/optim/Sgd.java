package dev.softmaxlab.experiments.optim;

import dev.softmaxlab.experiments.model.ModelPrecision;

/**
 * Plain gradient descent with L2 weight decay added to the gradient: g' = g + λ·p, then p ← p − lr·g'.
 * (With λ = 0 the decay term is skipped altogether, so an infinite parameter does not turn into NaN through 0·∞.)
 * In fp32 every operation is rounded to float.
 */
public final class Sgd implements Optimizer {

    private final double lr;
    private final double weightDecay;
    private final ModelPrecision precision;

    public Sgd(double lr, double weightDecay, ModelPrecision precision) {
        this.lr = precision.round(lr);
        this.weightDecay = precision.round(weightDecay);
        this.precision = precision;
    }

    @Override
    public void step(double[] p, double[] g) {
        // p and g are [P]
        ModelPrecision r = precision;
        for (int i = 0; i < p.length; i++) {
            double grad = weightDecay == 0 ? r.round(g[i]) : r.round(g[i] + r.round(weightDecay * p[i]));
            p[i] = r.round(p[i] - r.round(lr * grad));
        }
    }
}
