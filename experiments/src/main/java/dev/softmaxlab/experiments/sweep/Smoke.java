package dev.softmaxlab.experiments.sweep;

import dev.softmaxlab.experiments.config.TrainConfig;

/**
 * {@code --smoke}: the same grid with fewer steps, for quick CI. The rule: {@code epochs} is dropped and
 * {@code steps} becomes {@code min(steps, 60)} (60 when the config counted epochs); {@code logEvery} and
 * {@code evalEvery} are scaled by the same factor (rounded up, at least 1, at most the new step count), so a run
 * logs and evaluates about as many times as before. A config already within 60 steps is unchanged.
 */
public final class Smoke {

    public static final int MAX_STEPS = 60;

    private Smoke() {
    }

    public static TrainConfig apply(TrainConfig c) {
        int before = c.epochs() == null ? c.steps() : -1;
        int after = before < 0 ? MAX_STEPS : Math.min(before, MAX_STEPS);
        if (before == after) {
            return c;
        }
        double factor = before < 0 ? 1.0 : (double) after / before;
        return new TrainConfig(c.data(), c.model(), c.optimizer(), c.batchSize(), after, null, c.seed(), c.paths(),
                c.precision(), c.accumulate(), c.loss(), c.targets(), c.onNonfinite(),
                scale(c.logEvery(), factor, after), scale(c.evalEvery(), factor, after));
    }

    private static int scale(int every, double factor, int steps) {
        return (int) Math.max(1, Math.min(steps, Math.ceil(every * factor)));
    }
}
