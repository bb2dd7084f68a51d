package dev.softmaxlab.experiments.train;

/**
 * Hears a training run as it goes: for progress bars and for streaming JSON Lines. Called from the training thread;
 * implementations must not change the run. {@link #NONE} ignores everything.
 */
public interface TrainListener {

    TrainListener NONE = new TrainListener() {
    };

    /** A path's run of {@code totalSteps} starts. */
    default void runStarted(String runId, String path, String precision, int totalSteps) {
    }

    /** One optimizer step of one run finished (called every step, logged or not). */
    default void stepFinished(String runId, int step) {
    }
}
