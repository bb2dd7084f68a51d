package dev.softmaxlab.experiments.sweep;

import java.util.List;

/** The {@link RunExecutor} that trains for real. */
public final class TrainerRuns {

    private TrainerRuns() {
    }

    /**
     * Runs each config with the standard trainer on {@code threads} threads, recording {@code commandLine} in each
     * report's provenance.
     */
    public static RunExecutor standard(int threads, List<String> commandLine) {
        // TODO(train): replace with Trainer.standard().withThreads(threads).run(...) once the train branch lands in main.
        return config -> {
            throw new UnsupportedOperationException("training is not available in this build yet");
        };
    }
}
