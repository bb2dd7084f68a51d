package dev.softmaxlab.experiments.train;

import dev.softmaxlab.experiments.model.Model;
import dev.softmaxlab.experiments.optim.Optimizer;
import java.util.random.RandomGenerator;

/** {@link TrainingParts#standard()}: the config's dataset, model and optimizer from their factories. */
final class StandardParts implements TrainingParts {

    static final StandardParts INSTANCE = new StandardParts();

    private StandardParts() {
    }

    @Override
    public PreparedData prepare(TrainConfig config) {
        throw new UnsupportedOperationException("TODO: wire data.Datasets once the models branch is merged");
    }

    @Override
    public Model createModel(TrainConfig config, int inputSize, int classes, RandomGenerator init) {
        throw new UnsupportedOperationException("TODO: wire model.Models once the models branch is merged");
    }

    @Override
    public Optimizer createOptimizer(TrainConfig config, int parameterCount) {
        throw new UnsupportedOperationException("TODO: wire optim.Optimizers once the models branch is merged");
    }
}
