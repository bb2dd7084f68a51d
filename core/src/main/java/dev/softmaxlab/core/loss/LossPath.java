package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.List;

/**
 * One way of computing softmax cross-entropy and its gradient with respect to the logits.
 * Implementations are stateless and thread-safe; all state is in the {@link LossResult}.
 */
public interface LossPath {

    /** The id used verbatim in the CLI, JSON and README: fused, separate, separate-naive, separate-clipped. */
    String id();

    /**
     * Forward and backward over a batch. The logits are first rounded to the compute precision.
     * {@code out}'s events are reset and then count this evaluation only.
     */
    void evaluate(LossInput input, LossOptions options, PrecisionSpec precision, LossResult out);

    /**
     * The kernels this path can run in this JVM, {@link KernelVariant#REFERENCE} first. A path with no fast kernel
     * has only its reference.
     */
    default List<KernelVariant> variants() {
        return List.of(KernelVariant.REFERENCE);
    }

    /**
     * {@link #evaluate(LossInput, LossOptions, PrecisionSpec, LossResult)} with a chosen kernel and thread count;
     * the same bits and events whatever the choice. A variant the path does not have runs its reference.
     */
    default void evaluate(LossInput input, LossOptions options, PrecisionSpec precision, LossResult out,
            KernelChoice choice) {
        evaluate(input, options, precision, out);
    }

    /**
     * The kernel variant that {@link #evaluate(LossInput, LossOptions, PrecisionSpec, LossResult, KernelChoice)}
     * runs for this batch when {@code requested} is asked for: {@code requested} when the path has a fast kernel
     * for these targets, options and precision (it then runs every clean row, and hands the rows it refuses to the
     * reference), {@link KernelVariant#REFERENCE} when every row goes through the reference. A path with fast
     * kernels answers with the same test its evaluate uses to pick them.
     */
    default KernelVariant kernelFor(LossInput input, LossOptions options, PrecisionSpec precision,
            KernelVariant requested) {
        return KernelVariant.REFERENCE;
    }
}
