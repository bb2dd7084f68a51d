package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.InvalidInputException;
import java.util.Objects;

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
        Objects.requireNonNull(reduction, "reduction");
        if (!(labelSmoothing >= 0.0 && labelSmoothing < 1.0)) {
            throw new InvalidInputException("label smoothing " + labelSmoothing
                    + " is out of range: give a value in [0, 1), e.g. 0.1 (0 turns smoothing off)");
        }
        if (!(clipEpsilon > 0.0 && clipEpsilon < 0.5)) {
            throw new InvalidInputException("clip epsilon " + clipEpsilon
                    + " is out of range: give a value in (0, 0.5), e.g. 1e-7");
        }
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
