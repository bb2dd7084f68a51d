package dev.softmaxlab.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link LossPath#kernelFor}: which combinations of precision and targets each path has a fast kernel for, as the
 * kernels' documentation states it (written out here by hand, not derived from the code), so that {@code bench}
 * and {@code --verbose} say which kernel ran.
 */
class KernelForTest {

    private static final Set<Precision> ALL = Set.of(Precision.FP64, Precision.FP32, Precision.BF16, Precision.FP16);
    private static final Set<Precision> WIDE = Set.of(Precision.FP64, Precision.FP32);

    /** Per path: the compute formats (default accumulation) with a fast kernel for sparse labels, and for dense. */
    private static final Map<String, Set<Precision>[]> COVERED = Map.of(
            "fused", cover(ALL, ALL),
            "separate", cover(ALL, ALL),
            "separate-naive", cover(ALL, ALL),
            "separate-clipped", cover(ALL, ALL),
            "fused-chunked", cover(ALL, WIDE),
            "double-softmax", cover(ALL, WIDE),
            "fused-lowp-grad", cover(ALL, WIDE));

    @SafeVarargs
    private static Set<Precision>[] cover(Set<Precision>... sparseThenDense) {
        return sparseThenDense;
    }

    private static final LossInput SPARSE = new LossInput(new double[] {1, 2, 3, 4, 5, 6}, 2, 3,
            new Targets.Sparse(new int[] {0, 2}));
    private static final LossInput DENSE = new LossInput(new double[] {1, 2, 3, 4, 5, 6}, 2, 3,
            new Targets.Dense(new double[] {1, 0, 0, 0, 0.5, 0.5}));

    @Test
    void everyPathNamesTheFastKernelOnlyWhereItHasOne() {
        assertEquals(COVERED.keySet(), Set.copyOf(LossPaths.ids()), "a path was added: say what it covers");
        for (LossPath path : LossPaths.all()) {
            for (Precision c : Precision.values()) {
                PrecisionSpec spec = PrecisionSpec.of(c);
                String where = path.id() + " " + c.id();
                assertEquals(COVERED.get(path.id())[0].contains(c) ? KernelVariant.SCALAR : KernelVariant.REFERENCE,
                        path.kernelFor(SPARSE, LossOptions.DEFAULTS, spec, KernelVariant.SCALAR), where + " sparse");
                assertEquals(COVERED.get(path.id())[1].contains(c) ? KernelVariant.SCALAR : KernelVariant.REFERENCE,
                        path.kernelFor(DENSE, LossOptions.DEFAULTS, spec, KernelVariant.SCALAR), where + " dense");
                // the reference asked for is the reference run
                assertEquals(KernelVariant.REFERENCE,
                        path.kernelFor(SPARSE, LossOptions.DEFAULTS, spec, KernelVariant.REFERENCE), where);
                // an option that changes a row (here the z-loss) sends every row to the reference
                assertEquals(KernelVariant.REFERENCE,
                        path.kernelFor(SPARSE, LossOptions.DEFAULTS.withZLoss(1e-4), spec, KernelVariant.SCALAR),
                        where + " z-loss");
            }
        }
    }

    @Test
    void labelSmoothingTakesTheDenseKernelsOfTheSeparatePathsOnly() {
        LossOptions smoothed = LossOptions.DEFAULTS.withLabelSmoothing(0.1);
        for (LossPath path : LossPaths.all()) {
            boolean separate = path.id().startsWith("separate");
            assertEquals(separate ? KernelVariant.SCALAR : KernelVariant.REFERENCE,
                    path.kernelFor(SPARSE, smoothed, PrecisionSpec.of(Precision.FP32), KernelVariant.SCALAR),
                    path.id());
            assertEquals(separate ? KernelVariant.SCALAR : KernelVariant.REFERENCE,
                    path.kernelFor(SPARSE, smoothed, PrecisionSpec.of(Precision.BF16), KernelVariant.SCALAR),
                    path.id());
            // a half format accumulated in itself has no kernel, smoothed or not
            assertEquals(KernelVariant.REFERENCE, path.kernelFor(SPARSE, smoothed,
                    new PrecisionSpec(Precision.BF16, Precision.BF16), KernelVariant.SCALAR), path.id());
            assertEquals(KernelVariant.REFERENCE, path.kernelFor(DENSE, LossOptions.DEFAULTS,
                    new PrecisionSpec(Precision.FP16, Precision.FP64), KernelVariant.SCALAR), path.id());
        }
    }

    @Test
    void everyChunkCarryRunsTheChunkedKernel() {
        LossPath chunked = LossPaths.byId("fused-chunked");
        // the carry wider than the format (fp64 over fp32), the format itself, and bf16's default (fp32)
        assertEquals(KernelVariant.SCALAR, chunked.kernelFor(SPARSE,
                LossOptions.DEFAULTS.withChunkCarry(Precision.FP64), PrecisionSpec.of(Precision.FP32),
                KernelVariant.SCALAR));
        assertEquals(KernelVariant.SCALAR, chunked.kernelFor(SPARSE,
                LossOptions.DEFAULTS.withChunkCarry(Precision.FP32), PrecisionSpec.of(Precision.FP32),
                KernelVariant.SCALAR));
        assertEquals(KernelVariant.SCALAR, chunked.kernelFor(SPARSE,
                LossOptions.DEFAULTS.withChunkCarry(Precision.BF16), PrecisionSpec.of(Precision.BF16),
                KernelVariant.SCALAR));
        assertEquals(KernelVariant.SCALAR, chunked.kernelFor(DENSE,
                LossOptions.DEFAULTS.withChunkCarry(Precision.FP64), PrecisionSpec.of(Precision.FP32),
                KernelVariant.SCALAR));
    }

    @Test
    void theHeadPathsRunTheReferenceInHalfFormatsAccumulatedElsewhereThanFp32() {
        for (String id : new String[] {"fused-chunked", "double-softmax", "fused-lowp-grad"}) {
            for (Precision acc : new Precision[] {Precision.FP64, Precision.BF16}) {
                assertEquals(KernelVariant.REFERENCE, LossPaths.byId(id).kernelFor(SPARSE, LossOptions.DEFAULTS,
                        new PrecisionSpec(Precision.BF16, acc), KernelVariant.SCALAR), id + " bf16 acc " + acc.id());
            }
        }
    }
}
