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
import dev.softmaxlab.core.numeric.NumericEvent;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The row kernels of fused-lowp-grad, double-softmax and fused-chunked accept clean rows (so their fast variants
 * are fast, not the reference in disguise: KernelVariantTest alone would pass with a kernel that refuses every row)
 * and give the reference's bits on them, with sparse labels in fp64, fp32, bf16 and fp16 (the last two accumulated
 * in fp32) and with dense one-hot targets in fp64 and fp32. Clean rows: logits in [-5, 5] (in fp16 [-1, 1], where
 * every probability of up to 1000 classes is a normal fp16 number), C of 1, odd, not a multiple of the vector width,
 * and a few thousand; chunk sizes of 1, 7 and 64 (several chunks per row) and 4096 (one), the carry the default
 * one (the accumulation precision) and, in fp32, fp64.
 */
class HeadRowKernelsTest {

    private static final List<Precision> FORMATS = List.of(Precision.FP64, Precision.FP32, Precision.BF16,
            Precision.FP16);

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        List<KernelProvider> providers = new ArrayList<>(List.of(KernelProvider.scalar()));
        KernelProvider.vector().ifPresent(providers::add);
        for (KernelProvider provider : providers) {
            for (Precision p : FORMATS) {
                for (boolean dense : p == Precision.FP64 || p == Precision.FP32 ? new boolean[] {false, true}
                        : new boolean[] {false}) {
                    for (String path : List.of(FusedLowpGradSoftmaxCrossEntropy.ID, DoubleSoftmaxCrossEntropy.ID,
                            FusedChunkedSoftmaxCrossEntropy.ID)) {
                        boolean chunked = path.equals(FusedChunkedSoftmaxCrossEntropy.ID);
                        for (int chunk : chunked ? new int[] {1, 7, 64, 4096} : new int[] {4096}) {
                            out.add(Arguments.of(provider.name(), p, dense, path, chunk, null));
                        }
                        if (chunked && p == Precision.FP32) {
                            out.add(Arguments.of(provider.name(), p, dense, path, 7, Precision.FP64));
                        }
                    }
                }
            }
        }
        return out.stream();
    }

    private static HeadRowKernel kernel(String provider, PrecisionSpec spec, String path, LossOptions options) {
        KernelProvider k = provider.equals("scalar") ? KernelProvider.scalar() : KernelProvider.vector().orElseThrow();
        Precision p = spec.compute();
        FusedSparseRowKernel fused = switch (p) {
            case FP64 -> k.fusedFp64();
            case FP32 -> k.fusedFp32();
            default -> k.fusedHalf(p);
        };
        FusedDenseRowKernel dense = p == Precision.FP64 ? k.fusedDenseFp64()
                : p == Precision.FP32 ? k.fusedDenseFp32() : null;
        return switch (path) {
            case FusedLowpGradSoftmaxCrossEntropy.ID -> new LowpGradRowKernel(fused, dense, p);
            case DoubleSoftmaxCrossEntropy.ID -> new DoubleSoftmaxRowKernel(k, fused, dense, p);
            default -> new FusedChunkedRowKernel(k, fused, dense, options.chunkSize(), p,
                    options.chunkCarryFor(spec));
        };
    }

    @ParameterizedTest(name = "{0} {1} dense {2} {3} chunk {4} carry {5}")
    @MethodSource("cases")
    void cleanRowsAreAcceptedWithTheReferenceBits(String provider, Precision precision, boolean dense, String pathId,
            int chunk, Precision carry) {
        PrecisionSpec spec = PrecisionSpec.of(precision);
        LossOptions o = LossOptions.DEFAULTS.withReduction(Reduction.NONE);
        if (pathId.equals(FusedChunkedSoftmaxCrossEntropy.ID)) {
            o = o.withChunkSize(chunk);
            if (carry != null) {
                o = o.withChunkCarry(carry);
            }
        }
        HeadRowKernel kernel = kernel(provider, spec, pathId, o);
        SplittableRandom r = new SplittableRandom(31 * chunk + pathId.length() + precision.ordinal());
        LossResult ref = new LossResult();
        double[] scratch = new double[LaneSums.SCRATCH];
        double spread = precision == Precision.FP16 ? 1 : 5;
        int[] widths = precision == Precision.FP16 ? new int[] {1, 2, 3, 17, 29, 100, 1000}
                : new int[] {1, 2, 3, 17, 29, 100, 2500};
        int clean = 0;
        for (int c : widths) {
            double[] z = new double[c];
            for (int j = 0; j < c; j++) {
                z[j] = precision.round(r.nextDouble(-spread, spread));
            }
            int y = r.nextInt(c);
            double[] t = new double[c];
            t[y] = 1.0;
            String where = pathId + " " + precision.id() + (dense ? " dense" : " sparse") + " C " + c;
            LossInput in = new LossInput(z, 1, c, dense ? new Targets.Dense(t) : new Targets.Sparse(new int[] {y}));
            LossPaths.byId(pathId).evaluate(in, o, spec, ref, KernelChoice.of(KernelVariant.REFERENCE));
            if (ref.events().totalOperationEvents() + ref.events().totalNonFinite() != 0) {
                // not a clean row after all (double-softmax's fp16 gradient of 100 classes is below fp16's smallest
                // normal): the kernel must refuse it
                double refused = dense ? kernel.denseRow(z, t, 0, c, new double[c], new double[c], 1.0, scratch)
                        : kernel.sparseRow(z, 0, c, y, new double[c], new double[c], scratch);
                assertTrue(Double.isNaN(refused), where + ": a row with events was accepted");
                continue;
            }
            clean++;
            double[] p = new double[c];
            double[] g = new double[c];
            double loss = dense ? kernel.denseRow(z, t, 0, c, p, g, 1.0, scratch)
                    : kernel.sparseRow(z, 0, c, y, p, g, scratch);
            assertTrue(loss == loss, where + ": a clean row was refused");
            // the batch end folded in: the row three times under mean is each row's gradient divided by 3
            double[] g3 = new double[c];
            double loss3 = dense ? kernel.denseRow(z, t, 0, c, new double[c], g3, 3.0, scratch)
                    : kernel.finishedSparseRow(z, 0, c, y, new double[c], g3, 3.0, scratch);
            LossResult mean = new LossResult();
            double[] z3 = new double[3 * c];
            double[] t3 = new double[3 * c];
            for (int k = 0; k < 3; k++) {
                System.arraycopy(z, 0, z3, k * c, c);
                System.arraycopy(t, 0, t3, k * c, c);
            }
            LossPaths.byId(pathId).evaluate(new LossInput(z3, 3, c, dense ? new Targets.Dense(t3)
                    : new Targets.Sparse(new int[] {y, y, y})), o.withReduction(Reduction.MEAN), spec, mean,
                    KernelChoice.of(KernelVariant.REFERENCE));
            if (mean.events().totalOperationEvents() == 0) {
                assertTrue(loss3 == loss3, where + ": a clean row was refused under mean");
                for (int j = 0; j < c; j++) {
                    assertEquals(Double.doubleToRawLongBits(mean.gradient()[j]), Double.doubleToRawLongBits(g3[j]),
                            where + " grad / 3 " + j);
                }
            } else {
                assertTrue(loss3 != loss3, where + ": a row whose division the batch end counts was accepted");
            }
            assertEquals(Double.doubleToRawLongBits(ref.rowLosses()[0]), Double.doubleToRawLongBits(loss),
                    where + " loss");
            for (int j = 0; j < c; j++) {
                assertEquals(Double.doubleToRawLongBits(ref.gradient()[j]), Double.doubleToRawLongBits(g[j]),
                        where + " grad " + j);
                assertEquals(Double.doubleToRawLongBits(ref.probabilities()[j]), Double.doubleToRawLongBits(p[j]),
                        where + " p " + j);
            }
        }
        assertTrue(clean >= 5, "only " + clean + " of the rows were clean: the test must reach the kernel");
    }

    static Stream<Arguments> twins() {
        List<Arguments> out = new ArrayList<>();
        for (Precision p : FORMATS) {
            for (boolean dense : p == Precision.FP64 || p == Precision.FP32 ? new boolean[] {false, true}
                    : new boolean[] {false}) {
                for (String path : List.of(FusedLowpGradSoftmaxCrossEntropy.ID, DoubleSoftmaxCrossEntropy.ID,
                        FusedChunkedSoftmaxCrossEntropy.ID)) {
                    out.add(Arguments.of(p, dense, path));
                }
            }
        }
        return out.stream();
    }

    /**
     * The scalar and the vector provider's kernels (twins) on the same seeded rows, clean or not (one row in five
     * has a logit far below the rest, so that an exp underflows): every row both accept gives the same bits, and
     * both accept most of them (spread 2 in bf16 and fp16 rows below 200 classes, 5 otherwise).
     */
    @ParameterizedTest(name = "{0} dense {1} {2}")
    @MethodSource("twins")
    void scalarAndVectorKernelsGiveTheSameBits(Precision precision, boolean dense, String pathId) {
        Assumptions.assumeTrue(KernelProvider.vector().isPresent(), "no vector module");
        PrecisionSpec spec = PrecisionSpec.of(precision);
        LossOptions o = LossOptions.DEFAULTS.withChunkSize(24);
        HeadRowKernel scalar = kernel("scalar", spec, pathId, o);
        HeadRowKernel vector = kernel("vector", spec, pathId, o);
        SplittableRandom r = new SplittableRandom(7 * precision.ordinal() + pathId.length() + (dense ? 100 : 0));
        double[] scratch = new double[LaneSums.SCRATCH];
        int both = 0;
        int rows = 200;
        for (int row = 0; row < rows; row++) {
            int c = 1 + r.nextInt(precision == Precision.FP16 ? 60 : 150);
            double spread = precision == Precision.FP16 ? 1 : precision == Precision.BF16 ? 2 : 5;
            double[] z = new double[c];
            double[] t = new double[c];
            for (int j = 0; j < c; j++) {
                z[j] = r.nextDouble(-spread, spread);
            }
            boolean underflow = c > 1 && r.nextInt(5) == 0;
            if (underflow) {
                z[r.nextInt(c)] = -1e4; // its exp underflows: both twins must refuse the row
            }
            int y = r.nextInt(c);
            // dense: one-hot, or 0.75 on the label and 0.25 on another class (a soft target whose p_j ≈ t_j would
            // be refused for its cancellation, which this test is not about)
            t[y] = 1.0;
            if (r.nextBoolean()) {
                t[y] = 0.75;
                t[r.nextInt(c)] += 0.25;
            }
            double[][] ps = new double[2][c];
            double[][] gs = new double[2][c];
            double[] losses = new double[2];
            HeadRowKernel[] kernels = {scalar, vector};
            for (int k = 0; k < 2; k++) {
                losses[k] = dense ? kernels[k].denseRow(z, t, 0, c, ps[k], gs[k], 1.0, scratch)
                        : kernels[k].sparseRow(z, 0, c, y, ps[k], gs[k], scratch);
            }
            if (underflow) {
                assertTrue(losses[0] != losses[0] && losses[1] != losses[1], "a row with an underflow was accepted");
                continue;
            }
            if (losses[0] != losses[0] || losses[1] != losses[1]) {
                continue;
            }
            both++;
            String where = pathId + " " + precision.id() + " row " + row + " C " + c;
            assertEquals(Double.doubleToRawLongBits(losses[0]), Double.doubleToRawLongBits(losses[1]), where);
            for (int j = 0; j < c; j++) {
                assertEquals(Double.doubleToRawLongBits(ps[0][j]), Double.doubleToRawLongBits(ps[1][j]),
                        where + " p " + j);
                assertEquals(Double.doubleToRawLongBits(gs[0][j]), Double.doubleToRawLongBits(gs[1][j]),
                        where + " grad " + j);
            }
        }
        assertTrue(both >= rows / 2, pathId + " " + precision.id() + ": only " + both + " of " + rows
                + " rows accepted by both twins");
    }
}
