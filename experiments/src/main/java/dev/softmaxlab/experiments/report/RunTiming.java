package dev.softmaxlab.experiments.report;

/**
 * Wall-clock figures of one run: kept out of {@code runs} so that they never break reproducibility.
 *
 * @param wallSeconds    from the run's first step to its summary, evaluations included
 * @param stepsPerSecond optimizer steps per wall second
 */
public record RunTiming(double wallSeconds, double stepsPerSecond) {
}
