package dev.softmaxlab.experiments.train;

import dev.softmaxlab.experiments.config.TrainConfig;
import dev.softmaxlab.experiments.data.Split;
import dev.softmaxlab.experiments.model.Model;
import dev.softmaxlab.experiments.optim.Optimizer;
import java.util.random.RandomGenerator;

/**
 * Where the training loop gets its data, model and optimizers from. {@link #standard()} builds them from the
 * {@code data}, {@code model} and {@code optim} packages per config; tests may pass small hand-made parts.
 */
public interface TrainingParts {

    /** Loads the configured dataset and splits (and standardizes) it; user errors are InvalidInputException. */
    Split prepare(TrainConfig config);

    /** A freshly initialised model drawing its initial weights from {@code init}. */
    Model createModel(TrainConfig config, int inputSize, int classes, RandomGenerator init);

    /** A fresh optimizer (its own state) for one run. */
    Optimizer createOptimizer(TrainConfig config, int parameterCount);

    /** The parts built from the config by the data, model and optim packages. */
    static TrainingParts standard() {
        return StandardParts.INSTANCE;
    }
}
