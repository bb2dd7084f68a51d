package dev.softmaxlab.core.loss;

import java.util.Objects;

/**
 * How a path evaluates a batch: which of its kernels, on how many threads. Neither changes a bit of the result:
 * rows are split into contiguous ranges, a row's arithmetic never depends on its neighbours, events are counted in
 * row order and the batch reduction runs in row order.
 *
 * @param variant the kernel variant; a path without it runs its reference
 * @param threads threads the rows are split across, at least 1
 */
public record KernelChoice(KernelVariant variant, int threads) {

    public KernelChoice {
        Objects.requireNonNull(variant, "variant");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        }
    }

    /** The fastest variant this JVM has, on one thread: what {@link LossPath#evaluate(LossInput, LossOptions,
     * dev.softmaxlab.core.precision.PrecisionSpec, LossResult)} runs. */
    public static KernelChoice fastest() {
        return Fastest.CHOICE;
    }

    /** Decided once: the provider does not change while the JVM runs (and evaluations must not allocate). */
    private static final class Fastest {
        static final KernelChoice CHOICE = new KernelChoice(KernelVariant.fastest(), 1);
    }

    public static KernelChoice of(KernelVariant variant) {
        return new KernelChoice(variant, 1);
    }
}
