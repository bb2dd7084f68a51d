package dev.softmaxlab.experiments.sweep;

import dev.softmaxlab.core.InvalidInputException;

/**
 * How to run a sweep.
 *
 * @param jobs   runs at once (threads), at least 1
 * @param shard  the part of the grid to run
 * @param resume skip runs whose result file is already valid
 * @param smoke  reduced steps ({@link Smoke})
 */
public record SweepOptions(int jobs, Shard shard, boolean resume, boolean smoke) {

    public SweepOptions {
        if (jobs < 1) {
            throw new InvalidInputException("bad --jobs " + jobs + ": give at least 1");
        }
    }

    public static SweepOptions defaults() {
        return new SweepOptions(Runtime.getRuntime().availableProcessors(), Shard.ALL, false, false);
    }
}
