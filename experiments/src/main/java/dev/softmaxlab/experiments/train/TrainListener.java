package dev.softmaxlab.experiments.train;

import dev.softmaxlab.experiments.report.EvalRecord;
import dev.softmaxlab.experiments.report.RunSummary;
import dev.softmaxlab.experiments.report.StepRecord;

/**
 * Hears a training run as it goes: for progress bars and for streaming JSON Lines. Called from the thread that trains
 * the run; when runs train in parallel, calls for different runs may come concurrently, so implementations that share
 * state across runs must synchronise. Implementations must not change the run. {@link #NONE} ignores everything.
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

    /** A logged step's record, as it will appear in the report (called before {@link #stepFinished}). */
    default void stepLogged(String runId, StepRecord step) {
    }

    /** A test-set evaluation, as it will appear in the report. */
    default void evaluated(String runId, EvalRecord eval) {
    }

    /** The run ended (completed or stopped) with this summary. */
    default void runFinished(String runId, RunSummary summary) {
    }

    /** This listener, then {@code next}, for every call. */
    default TrainListener andThen(TrainListener next) {
        TrainListener first = this;
        return new TrainListener() {
            @Override
            public void runStarted(String runId, String path, String precision, int totalSteps) {
                first.runStarted(runId, path, precision, totalSteps);
                next.runStarted(runId, path, precision, totalSteps);
            }

            @Override
            public void stepFinished(String runId, int step) {
                first.stepFinished(runId, step);
                next.stepFinished(runId, step);
            }

            @Override
            public void stepLogged(String runId, StepRecord step) {
                first.stepLogged(runId, step);
                next.stepLogged(runId, step);
            }

            @Override
            public void evaluated(String runId, EvalRecord eval) {
                first.evaluated(runId, eval);
                next.evaluated(runId, eval);
            }

            @Override
            public void runFinished(String runId, RunSummary summary) {
                first.runFinished(runId, summary);
                next.runFinished(runId, summary);
            }
        };
    }
}
