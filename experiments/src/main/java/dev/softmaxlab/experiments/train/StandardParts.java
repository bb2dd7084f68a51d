package dev.softmaxlab.experiments.train;

import dev.softmaxlab.experiments.config.TrainConfig;
import dev.softmaxlab.experiments.data.Datasets;
import dev.softmaxlab.experiments.data.Split;
import dev.softmaxlab.experiments.model.Model;
import dev.softmaxlab.experiments.model.Models;
import dev.softmaxlab.experiments.optim.Optimizer;
import dev.softmaxlab.experiments.optim.Optimizers;
import java.util.random.RandomGenerator;

/** {@link TrainingParts#standard()}: the config's dataset, model and optimizer from their factories. */
final class StandardParts implements TrainingParts {

    static final StandardParts INSTANCE = new StandardParts();

    private StandardParts() {
    }

    @Override
    public Split prepare(TrainConfig config) {
        return Datasets.prepare(config.data(), config.seed());
    }

    @Override
    public Model createModel(TrainConfig config, int inputSize, int classes, RandomGenerator init) {
        return Models.create(config.model(), inputSize, classes, init);
    }

    @Override
    public Optimizer createOptimizer(TrainConfig config, int parameterCount) {
        return Optimizers.create(config.optimizer(), config.model().precision(), parameterCount);
    }
}
