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

    /**
     * The fewest logits (B·C) of one evaluation for which {@link #fastest(LossInput)} takes the vector kernels. The
     * Vector API's code is fast only once C2 has compiled it, and until then (seconds into a run, longer while C2
     * works through a queue of other hot code) every vector operation is a call that allocates. A program that
     * evaluates many small batches (probe's cases of 1,000 classes) spends more CPU on that than the vector kernels
     * save: measured on 10,000 probe cases of 1,000 classes at fp64 and fp32 (80 million logits), Temurin 25 used
     * about 4 s more CPU with the vector kernels than with the scalar ones, for the same bytes. A batch of at least
     * this many logits (a row of a large vocabulary, 64 rows of 1,000 classes) keeps the kernel busy long enough
     * for C2 to compile it early, and the vector kernels then win.
     */
    public static final long VECTOR_MIN_LOGITS = 1L << 16;

    public KernelChoice {
        Objects.requireNonNull(variant, "variant");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        }
    }

    /**
     * What {@link LossPath#evaluate(LossInput, LossOptions, dev.softmaxlab.core.precision.PrecisionSpec,
     * LossResult)} runs: on one thread, the fastest variant this JVM has ({@link KernelVariant#fastest()}) for a batch of at least {@link #VECTOR_MIN_LOGITS}
     * logits, the scalar kernels for a smaller one (the same bits either way).
     */
    public static KernelChoice fastest(LossInput input) {
        return (long) input.rows() * input.classes() >= VECTOR_MIN_LOGITS ? Fastest.CHOICE : Fastest.SMALL;
    }

    /** The rule of {@link #fastest(LossInput)} in one line, for {@code --verbose}. */
    public static String rule() {
        return Fastest.CHOICE.variant() == KernelVariant.VECTOR
                ? "batches of fewer than " + VECTOR_MIN_LOGITS + " logits run the scalar kernels (the same bits)"
                : "every batch runs the " + Fastest.CHOICE.variant() + " kernels";
    }

    /** Decided once: the provider does not change while the JVM runs (and evaluations must not allocate). */
    private static final class Fastest {
        static final KernelChoice CHOICE = new KernelChoice(KernelVariant.fastest(), 1);
        static final KernelChoice SMALL = CHOICE.variant() == KernelVariant.VECTOR
                ? new KernelChoice(KernelVariant.SCALAR, 1) : CHOICE;
    }

    public static KernelChoice of(KernelVariant variant) {
        return new KernelChoice(variant, 1);
    }
}
