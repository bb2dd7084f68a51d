package dev.softmaxlab.core.loss;

/**
 * The knobs every path shares. The single home of their defaults is {@link #DEFAULTS}.
 *
 * @param labelSmoothing α in [0, 1): t becomes (1-α)·t + α/C
 * @param reduction      mean, sum or none
 * @param clipEpsilon    ε of {@code separate-clipped}, in (0, 0.5)
 */
public record LossOptions(double labelSmoothing, Reduction reduction, double clipEpsilon) {

    public static final LossOptions DEFAULTS = new LossOptions(0.0, Reduction.MEAN, 1e-7);

    public LossOptions {
        // validation: TODO (core)
    }

    public LossOptions withLabelSmoothing(double alpha) {
        return new LossOptions(alpha, reduction, clipEpsilon);
    }

    public LossOptions withReduction(Reduction r) {
        return new LossOptions(labelSmoothing, r, clipEpsilon);
    }

    public LossOptions withClipEpsilon(double eps) {
        return new LossOptions(labelSmoothing, reduction, eps);
    }
}
