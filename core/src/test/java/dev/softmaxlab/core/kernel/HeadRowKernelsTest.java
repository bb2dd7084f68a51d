package dev.softmaxlab.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.loss.DoubleSoftmaxCrossEntropy;
import dev.softmaxlab.core.loss.FusedChunkedSoftmaxCrossEntropy;
import dev.softmaxlab.core.loss.FusedLowpGradSoftmaxCrossEntropy;
import dev.softmaxlab.core.loss.KernelChoice;
import dev.softmaxlab.core.loss.KernelVariant;
import dev.softmaxlab.core.loss.LossInput;
import dev.softmaxlab.core.loss.LossOptions;
import dev.softmaxlab.core.loss.LossPaths;
import dev.softmaxlab.core.loss.LossResult;
import dev.softmaxlab.core.loss.Reduction;
import dev.softmaxlab.core.loss.Targets;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The row kernels of fused-lowp-grad, double-softmax and fused-chunked accept clean rows (so their fast variants
 * are fast, not the reference in disguise: KernelVariantTest alone would pass with a kernel that refuses every row)
 * and give the reference's bits on them. Clean rows: logits in [-5, 5], C of 1, odd, not a multiple of the vector
 * width, and a few thousand; chunk sizes of 1, 7 and 64 (several chunks per row) and 4096 (one).
 */
class HeadRowKernelsTest {

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        List<KernelProvider> providers = new ArrayList<>(List.of(KernelProvider.scalar()));
        KernelProvider.vector().ifPresent(providers::add);
        for (KernelProvider provider : providers) {
            for (Precision p : List.of(Precision.FP64, Precision.FP32)) {
                for (String path : List.of(FusedLowpGradSoftmaxCrossEntropy.ID, DoubleSoftmaxCrossEntropy.ID,
                        FusedChunkedSoftmaxCrossEntropy.ID)) {
                    for (int chunk : path.equals(FusedChunkedSoftmaxCrossEntropy.ID) ? new int[] {1, 7, 64, 4096}
                            : new int[] {4096}) {
                        out.add(Arguments.of(provider.name(), p, path, chunk));
                    }
                }
            }
        }
        return out.stream();
    }

    private static FusedSparseRowKernel kernel(String provider, Precision p, String path, int chunk) {
        KernelProvider k = provider.equals("scalar") ? KernelProvider.scalar() : KernelProvider.vector().orElseThrow();
        boolean fp32 = p == Precision.FP32;
        FusedSparseRowKernel fused = fp32 ? k.fusedFp32() : k.fusedFp64();
        return switch (path) {
            case FusedLowpGradSoftmaxCrossEntropy.ID -> new LowpGradRowKernel(fused, fp32);
            case DoubleSoftmaxCrossEntropy.ID -> new DoubleSoftmaxRowKernel(k, fused, fp32);
            default -> new FusedChunkedRowKernel(k, fused, chunk, fp32);
        };
    }

    @ParameterizedTest(name = "{0} {1} {2} chunk {3}")
    @MethodSource("cases")
    void cleanRowsAreAcceptedWithTheReferenceBits(String provider, Precision precision, String pathId, int chunk) {
        FusedSparseRowKernel kernel = kernel(provider, precision, pathId, chunk);
        SplittableRandom r = new SplittableRandom(31 * chunk + pathId.length() + precision.ordinal());
        LossResult ref = new LossResult();
        double[] scratch = new double[LaneSums.SCRATCH];
        for (int c : new int[] {1, 2, 3, 17, 29, 100, 2500}) {
            double[] z = new double[c];
            for (int j = 0; j < c; j++) {
                z[j] = precision == Precision.FP32 ? (float) r.nextDouble(-5, 5) : r.nextDouble(-5, 5);
            }
            int y = r.nextInt(c);
            double[] p = new double[c];
            double[] g = new double[c];
            double loss = kernel.sparseRow(z, 0, c, y, p, g, scratch);
            assertTrue(loss == loss, pathId + " refused a clean row of " + c + " classes");
            LossOptions o = LossOptions.DEFAULTS.withReduction(Reduction.NONE);
            if (pathId.equals(FusedChunkedSoftmaxCrossEntropy.ID)) {
                o = o.withChunkSize(chunk);
            }
            LossPaths.byId(pathId).evaluate(new LossInput(z, 1, c, new Targets.Sparse(new int[] {y})), o,
                    PrecisionSpec.of(precision), ref, KernelChoice.of(KernelVariant.REFERENCE));
            assertEquals(0, ref.events().totalNonFinite());
            assertEquals(Double.doubleToRawLongBits(ref.rowLosses()[0]), Double.doubleToRawLongBits(loss),
                    pathId + " C " + c + " loss");
            for (int j = 0; j < c; j++) {
                assertEquals(Double.doubleToRawLongBits(ref.gradient()[j]), Double.doubleToRawLongBits(g[j]),
                        pathId + " C " + c + " grad " + j);
                assertEquals(Double.doubleToRawLongBits(ref.probabilities()[j]), Double.doubleToRawLongBits(p[j]),
                        pathId + " C " + c + " p " + j);
            }
        }
    }
}
