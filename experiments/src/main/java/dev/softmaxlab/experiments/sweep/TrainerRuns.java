package dev.softmaxlab.experiments.sweep;

import dev.softmaxlab.experiments.report.Json;
import dev.softmaxlab.experiments.train.TrainListener;
import dev.softmaxlab.experiments.train.Trainer;
import java.util.List;

/** The {@link RunExecutor} that trains for real, with the standard {@link Trainer}. */
public final class TrainerRuns {

    private TrainerRuns() {
    }

    /**
     * Runs each config with the standard trainer on {@code threads} threads (results do not depend on it), recording
     * {@code commandLine} in each report's provenance.
     */
    public static RunExecutor standard(int threads, List<String> commandLine) {
        Trainer trainer = Trainer.standard().withThreads(threads);
        return config -> Json.mapper().valueToTree(trainer.run(config, commandLine, TrainListener.NONE));
    }
}
