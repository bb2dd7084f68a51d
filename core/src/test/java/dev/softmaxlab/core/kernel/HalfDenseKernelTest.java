package dev.softmaxlab.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.precision.Precision;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The dense-target kernels of the half formats (bf16, fp16 accumulated in fp32), {@link ScalarFusedDenseHalf} for
 * {@code fused} and {@link ScalarSeparateDenseNarrow} for the three separate paths, on their own: hand cases against
 * values from mpmath, clean rows accepted (so the fast path is taken at all), and the rows they must hand back. Their
 * bits and events against the instrumented reference are held by KernelVariantTest and HalfDenseKernelsTest (loss).
 */
class HalfDenseKernelTest {

    // z = [1, 2, 3]: log s with s = Σ exp(z_j - 3), and p = softmax(z), by mpmath at 40 digits (mp.dps = 40)
    private static final double LOG_S = 0.407605964444380304482919904545070451473;
    private static final double[] P = {0.09003057317038045799802210148449179786792905,
        0.2447284710547976524729596183407627971992976, 0.6652409557748218895290182801747454049327633};
    /** The clip's bounds as the paths hand them to the kernels: ε = 1e-7 and 1 - ε rounded to the format. */
    private static double lo(Precision f) {
        return f.round(1e-7);
    }

    private static double hi(Precision f) {
        return f.round(1 - 1e-7);
    }

    /** The format's unit roundoff u = 2^-p, p its significand bits (8 for bf16, 11 for fp16). */
    private static double unit(Precision f) {
        return Math.scalb(1.0, -f.significandBits());
    }

    private static SeparateDenseRowKernel separate(Precision f, SeparateForm form) {
        return KernelProvider.scalar().separateDenseNarrow(f, form);
    }

    @ParameterizedTest
    @EnumSource(names = {"BF16", "FP16"})
    void bothProvidersHandOutTheKernelOfTheFormat(Precision f) {
        assertSame(ScalarFusedDenseHalf.of(f), KernelProvider.scalar().fusedDenseHalf(f));
        for (SeparateForm form : SeparateForm.values()) {
            assertSame(ScalarSeparateDenseNarrow.of(f, form), separate(f, form));
        }
        assertThrows(IllegalArgumentException.class, () -> ScalarFusedDenseHalf.of(Precision.FP32));
        assertThrows(IllegalArgumentException.class,
                () -> ScalarSeparateDenseNarrow.of(Precision.FP64, SeparateForm.SHIFTED));
    }

    /**
     * z = [1, 2, 3] with t = [0, 1, 0] and t = [1/2, 0, 1/2] (both exact in the formats): the loss is lse - Σ t_j z_j
     * = 1 + log s for both, and the gradient p - t, divided by D = 4 in the fused kernel (folded in) and not in the
     * separate one. Bounds from the roundings: each p_j is round(e_j / s) with e_j and s each rounded once (s also
     * carries its sum's fp32 error, far smaller), so within 4u of the exact value relatively; the fused loss
     * round(cross + round(mass·logS)) is within 3u·loss; the separate chain rounds a few times more (its log, the
     * product, the sum), so within 6u·loss; a gradient entry is a difference of terms below 1 rounded 4 to 5 times:
     * within 8u absolutely.
     */
    @ParameterizedTest
    @EnumSource(names = {"BF16", "FP16"})
    void aHandComputedRowGivesTheLossAndGradientOfPMinusT(Precision f) {
        double u = unit(f);
        double[] z = {1, 2, 3};
        double loss = 1 + LOG_S;
        for (double[] t : new double[][] {{0, 1, 0}, {0.5, 0, 0.5}}) {
            double[] p = new double[3];
            double[] g = new double[3];
            double fused = ScalarFusedDenseHalf.of(f).finishedDenseRow(z, t, 0, 3, p, g, 4.0,
                    new double[LaneSums.SCRATCH]);
            String where = f + " fused t " + t[0] + "," + t[1] + "," + t[2];
            assertEquals(loss, fused, 3 * u * loss, where + " loss");
            for (int j = 0; j < 3; j++) {
                assertEquals(P[j], p[j], 4 * u * P[j], where + " p" + j);
                assertEquals((P[j] - t[j]) / 4, g[j], 8 * u / 4, where + " grad" + j + " divided by D = 4");
            }
            for (SeparateForm form : SeparateForm.values()) {
                p = new double[3];
                g = new double[3];
                double sep = separate(f, form).denseRow(z, 0, 3, t, lo(f), hi(f), p, g);
                where = f + " " + form + " t " + t[0] + "," + t[1] + "," + t[2];
                assertEquals(loss, sep, 6 * u * loss, where + " loss");
                for (int j = 0; j < 3; j++) {
                    assertEquals(P[j], p[j], 4 * u * P[j], where + " p" + j);
                    assertEquals(P[j] - t[j], g[j], 8 * u, where + " grad" + j);
                }
            }
        }
    }

    /**
     * Rows the reference counts something in, or (fused) takes a gradient entry from the exact reference: each kernel
     * must answer NaN so that the path re-runs them.
     */
    @ParameterizedTest
    @EnumSource(names = {"BF16", "FP16"})
    void rowsWithSomethingToCountGoBack(Precision f) {
        double[] sc = new double[LaneSums.SCRATCH];
        double tiny = f.minNormal() / 4; // subnormal in the format
        double[] z = {1, 2, 3};
        double[][] badTargets = {{tiny, 1 - tiny, 0}, {0, 1, 0}};
        double[][] badLogits = {z, {1, Double.NaN, 3}};
        double[][] more = {{1, tiny, 3}, {1, Double.POSITIVE_INFINITY, 3}, {1, 2, f.maxFinite() * 1.01}};
        FusedDenseRowKernel fused = ScalarFusedDenseHalf.of(f);
        for (int k = 0; k < 2; k++) {
            assertTrue(Double.isNaN(fused.finishedDenseRow(badLogits[k], badTargets[k], 0, 3, null, new double[3],
                    1.0, sc)), f + " fused case " + k);
            for (SeparateForm form : SeparateForm.values()) {
                assertTrue(Double.isNaN(separate(f, form).denseRow(badLogits[k], 0, 3, badTargets[k], lo(f), hi(f),
                        new double[3], new double[3])), f + " " + form + " case " + k);
            }
        }
        for (double[] row : more) {
            double[] t = {0, 0, 1};
            assertTrue(Double.isNaN(fused.finishedDenseRow(row, t, 0, 3, null, new double[3], 1.0, sc)),
                    f + " fused " + row[1] + " " + row[2]);
            for (SeparateForm form : SeparateForm.values()) {
                assertTrue(Double.isNaN(separate(f, form).denseRow(row, 0, 3, t, lo(f), hi(f), new double[3],
                        new double[3])), f + " " + form + " " + row[1] + " " + row[2]);
            }
        }
        // the target equal to the row's softmax: p_j - t_j cancels, the fused reference asks the exact reference
        double[] pTarget = {f.round(P[0]), f.round(P[1]), 0};
        pTarget[2] = 1 - pTarget[0] - pTarget[1];
        assertTrue(Double.isNaN(fused.finishedDenseRow(z, pTarget, 0, 3, null, new double[3], 1.0, sc)),
                f + " fused cancellation");
        // a divisor below 1 is not what the batch end divides by: refused rather than trusted
        assertTrue(Double.isNaN(fused.finishedDenseRow(z, new double[] {0, 1, 0}, 0, 3, null, new double[3], 0.5,
                sc)), f + " fused D < 1");
        // fp16's normals end at e^-9.7: a spread of 30 leaves p_j below them, so every kernel hands the row back
        if (f == Precision.FP16) {
            double[] wide = {-15, 0, 15};
            double[] t = {0, 0, 1};
            assertTrue(Double.isNaN(fused.finishedDenseRow(wide, t, 0, 3, null, new double[3], 1.0, sc)));
            for (SeparateForm form : SeparateForm.values()) {
                assertTrue(Double.isNaN(separate(f, form).denseRow(wide, 0, 3, t, lo(f), hi(f), new double[3],
                        new double[3])), form + " wide fp16 row");
            }
        }
    }

    /**
     * Seeded clean rows (one-hot, two-class and soft targets, C from 1 to the thousands in bf16, up to 40 in fp16
     * whose normals end at e^-9.7) are accepted by every kernel, at an offset in the batch, with and without the
     * probabilities kept: otherwise the kernels would only cost time, and the variant test would pass on refusals.
     * The fused kernel refuses the rows whose p_j ≈ t_j cancels; those are not counted here.
     */
    @ParameterizedTest
    @EnumSource(names = {"BF16", "FP16"})
    void cleanRowsAreAccepted(Precision f) {
        SplittableRandom r = new SplittableRandom(f == Precision.BF16 ? 71 : 72);
        double[] sc = new double[LaneSums.SCRATCH];
        int fusedAccepted = 0;
        int trials = 300;
        for (int trial = 0; trial < trials; trial++) {
            int classes = f == Precision.BF16 ? (r.nextBoolean() ? 1 + r.nextInt(40) : 1000 + r.nextInt(3000))
                    : 1 + r.nextInt(40);
            double scale = f == Precision.BF16 ? 8 : 2; // bf16: p_j ≥ e^-16/C; fp16: ≥ e^-4/40, both normal
            int base = r.nextInt(3);
            double[] z = new double[base + classes];
            double[] t = new double[base + classes];
            for (int j = 0; j < classes; j++) {
                double v = scale * (2 * r.nextDouble() - 1);
                z[base + j] = Math.abs(v) < 0x1p-13 ? 0.0 : v; // not subnormal in the format (fp16's end at 2^-14)
            }
            int label = r.nextInt(classes);
            switch (r.nextInt(3)) {
                case 0 -> t[base + label] = 1.0;
                case 1 -> {
                    t[base + label] = 0.75;
                    t[base + r.nextInt(classes)] += 0.25;
                }
                default -> { // soft, with zeros; powers of two so that the mass is exactly 1 in the formats
                    t[base + label] = 0.5;
                    for (int k = 0; k < 4; k++) {
                        t[base + r.nextInt(classes)] += 0.125;
                    }
                }
            }
            boolean keep = r.nextBoolean();
            double loss = ScalarFusedDenseHalf.of(f).finishedDenseRow(z, t, base, classes,
                    keep ? new double[z.length] : null, new double[z.length], 1 + r.nextInt(8), sc);
            fusedAccepted += loss == loss ? 1 : 0;
            double[] q = new double[classes];
            System.arraycopy(t, base, q, 0, classes);
            for (SeparateForm form : SeparateForm.values()) {
                double sep = separate(f, form).denseRow(z, base, classes, q, lo(f), hi(f), new double[z.length],
                        new double[z.length]);
                assertTrue(sep == sep, f + " " + form + " refused a clean row of C " + classes + ", trial " + trial);
            }
        }
        assertTrue(fusedAccepted > trials * 3 / 4, f + " fused accepted only " + fusedAccepted + " of " + trials);
    }
}
