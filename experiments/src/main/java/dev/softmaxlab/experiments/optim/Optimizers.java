package dev.softmaxlab.experiments.optim;

import dev.softmaxlab.experiments.model.ModelPrecision;

/**
 * Builds the optimizer {@link OptimizerSettings} name (sgd | momentum | adam) with their settings (checked there); it
 * runs in the model's arithmetic, so in fp32 parameters stay floats.
 */
public final class Optimizers {

    private Optimizers() {
    }

    /** A fresh optimizer (zero state) for a parameter vector of {@code parameterCount} values. */
    public static Optimizer create(OptimizerSettings config, ModelPrecision precision, int parameterCount) {
        double lr = config.lr();
        double weightDecay = config.weightDecay();
        return switch (config.name()) {
            case "sgd" -> new Sgd(lr, weightDecay, precision);
            case "momentum" -> new Momentum(parameterCount, lr, config.momentum(), weightDecay, precision);
            case "adam" -> new Adam(parameterCount, lr, config.beta1(), config.beta2(), config.adamEps(), weightDecay,
                    precision);
            default -> throw new IllegalStateException("optimizer " + config.name());
        };
    }
}
