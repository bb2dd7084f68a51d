package dev.softmaxlab.experiments.sweep;

/** Hears a sweep as it goes (for a progress line). Called from the thread that started the sweep. */
public interface SweepListener {

    SweepListener NONE = new SweepListener() {
    };

    /** {@code toRun} runs are about to start; {@code resumed} were found valid and skipped. */
    default void started(int toRun, int resumed) {
    }

    /** A run finished (ok or failed); {@code done} of {@code toRun} are finished, after {@code elapsedNanos}. */
    default void runFinished(RunOutcome outcome, int done, int toRun, long elapsedNanos) {
    }
}
