package dev.softmaxlab.experiments.optim;

import dev.softmaxlab.core.InvalidInputException;
import dev.softmaxlab.experiments.model.ModelPrecision;
import dev.softmaxlab.experiments.train.TrainConfig;
import java.util.List;

/**
 * Builds the optimizer a {@link TrainConfig} names ({@code optimizer}: sgd | momentum | adam) with its settings
 * ({@code lr}, {@code weightDecay}, {@code momentum}, {@code beta1}, {@code beta2}, {@code adamEps}) taken from the
 * config only; it runs in the model's arithmetic ({@code modelPrecision}), so in fp32 parameters stay floats.
 * Only the settings the chosen optimizer uses are checked.
 */
public final class Optimizers {

    public static final List<String> NAMES = List.of("sgd", "momentum", "adam");

    private Optimizers() {
    }

    /**
     * A fresh optimizer (zero state) for a parameter vector of {@code parameterCount} values.
     *
     * @throws InvalidInputException naming the key, the value and the fix for a bad setting
     */
    public static Optimizer create(TrainConfig config, int parameterCount) {
        String name = config.optimizer();
        if (!NAMES.contains(name)) {
            throw new InvalidInputException("optimizer '" + name + "' is unknown; give sgd, momentum or adam");
        }
        ModelPrecision precision = ModelPrecision.fromId(config.modelPrecision());
        double lr = config.lr();
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new InvalidInputException("lr " + lr + " must be a finite number > 0, e.g. 0.1 for sgd or 0.001"
                    + " for adam");
        }
        double weightDecay = config.weightDecay();
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new InvalidInputException("weightDecay " + weightDecay + " must be a finite number ≥ 0 (0 turns"
                    + " it off)");
        }
        switch (name) {
            case "sgd":
                return new Sgd(lr, weightDecay, precision);
            case "momentum":
                unitInterval("momentum", config.momentum(), "0.9");
                return new Momentum(parameterCount, lr, config.momentum(), weightDecay, precision);
            default:
                unitInterval("beta1", config.beta1(), "0.9");
                unitInterval("beta2", config.beta2(), "0.999");
                double eps = config.adamEps();
                if (!(eps > 0) || Double.isInfinite(eps)) {
                    throw new InvalidInputException("adamEps " + eps + " must be a finite number > 0, e.g. 1e-8");
                }
                return new Adam(parameterCount, lr, config.beta1(), config.beta2(), eps, weightDecay, precision);
        }
    }

    private static void unitInterval(String key, double value, String example) {
        if (!(value >= 0 && value < 1)) {
            throw new InvalidInputException(key + " " + value + " must be in [0, 1), e.g. " + example);
        }
    }
}
