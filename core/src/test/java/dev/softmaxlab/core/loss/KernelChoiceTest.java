package dev.softmaxlab.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/**
 * The default kernel choice by batch size ({@link KernelChoice#fastest(LossInput)}): the vector kernels, when this
 * JVM runs them, only from {@link KernelChoice#VECTOR_MIN_LOGITS} logits; below, the scalar kernels; one thread.
 */
class KernelChoiceTest {

    private static LossInput batch(int rows, int classes) {
        return new LossInput(new double[rows * classes], rows, classes, new Targets.Sparse(new int[rows]));
    }

    @Test
    void aSmallBatchRunsTheScalarKernels() {
        assertEquals(KernelVariant.SCALAR, KernelChoice.fastest(batch(1, 1000)).variant());
        int classes = 1000;
        int rows = (int) (KernelChoice.VECTOR_MIN_LOGITS / classes); // 65 rows of 1,000: 65,000 logits, just under
        assertEquals(KernelVariant.SCALAR, KernelChoice.fastest(batch(rows, classes)).variant());
        assertEquals(1, KernelChoice.fastest(batch(rows, classes)).threads());
    }

    @Test
    void aLargeBatchRunsTheFastestKernels() {
        KernelChoice large = KernelChoice.fastest(batch(1, (int) KernelChoice.VECTOR_MIN_LOGITS));
        assertEquals(KernelVariant.fastest(), large.variant());
        assertSame(large, KernelChoice.fastest(batch(66, 1000)));
        assertEquals(1, large.threads());
    }

    @Test
    void theRuleSaysWhatRuns() {
        String expected = KernelVariant.fastest() == KernelVariant.VECTOR
                ? "batches of fewer than 65536 logits run the scalar kernels (the same bits)"
                : "every batch runs the scalar kernels";
        assertEquals(expected, KernelChoice.rule());
    }
}
