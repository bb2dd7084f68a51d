package dev.softmaxlab.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.softmaxlab.core.kernel.KernelProvider;
import dev.softmaxlab.core.kernel.SeparateForm;
import dev.softmaxlab.core.numeric.NumericEvent;
import dev.softmaxlab.core.numeric.NumericEvents;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dense-target kernels of bf16 and fp16 (fp32 accumulation) inside their paths: on seeded batches that are
 * mostly clean (so that the kernels, not the reference, compute most rows: the test checks that they do), with a few
 * rows the reference must recompute (a NaN or subnormal logit, a target below the format's normals), dense targets
 * and, for the separate paths, smoothed sparse labels, under every reduction; every fast variant gives the reference's
 * bits in every output and its events, on one thread and on two. KernelVariantTest runs these kernels too, on rows
 * that are mostly refused in fp16; this test makes sure accepted rows are compared in both formats.
 */
class HalfDenseKernelsTest {

    private static final List<String> PATHS = List.of("fused", "separate", "separate-naive", "separate-clipped");

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        long seed = 500;
        for (String id : PATHS) {
            for (KernelVariant v : LossPaths.byId(id).variants()) {
                if (v != KernelVariant.REFERENCE) {
                    for (Precision f : List.of(Precision.BF16, Precision.FP16)) {
                        b.add(Arguments.of(id, v, f, seed++));
                    }
                }
            }
        }
        return b.build();
    }

    private static SeparateForm form(String id) {
        return switch (id) {
            case "separate" -> SeparateForm.SHIFTED;
            case "separate-naive" -> SeparateForm.NAIVE;
            default -> SeparateForm.CLIPPED;
        };
    }

    @ParameterizedTest(name = "{0} {1} {2} seed {3}")
    @MethodSource("cases")
    void cleanRowsRunTheKernelAndGiveTheReferenceBitsAndEvents(String id, KernelVariant variant, Precision f,
            long seed) {
        LossPath path = LossPaths.byId(id);
        boolean fused = id.equals("fused");
        PrecisionSpec spec = PrecisionSpec.of(f);
        SplittableRandom r = new SplittableRandom(seed);
        LossResult reference = new LossResult();
        LossResult fast = new LossResult();
        int rowsTotal = 0;
        int accepted = 0;
        for (int trial = 0; trial < 30; trial++) {
            int rows = 1 + r.nextInt(8);
            int classes = switch (r.nextInt(4)) {
                case 0 -> 1;
                case 1 -> 2 * r.nextInt(1, 12) + 1;
                case 2 -> f == Precision.BF16 ? 1000 + r.nextInt(2000) : 16 * r.nextInt(1, 3);
                default -> 1 + r.nextInt(40);
            };
            // bf16: p_j ≥ e^-16/C, normal; fp16 (normals end at e^-9.7): p_j ≥ e^-4/40
            double scale = f == Precision.BF16 ? 8 : 2;
            double[] z = new double[rows * classes];
            int[] labels = new int[rows];
            double[] t = new double[rows * classes];
            for (int i = 0; i < rows; i++) {
                labels[i] = r.nextInt(classes);
                for (int j = 0; j < classes; j++) {
                    double v = scale * (2 * r.nextDouble() - 1);
                    z[i * classes + j] = Math.abs(v) < 0x1p-13 ? 0.0 : v; // not subnormal (fp16's end at 2^-14)
                }
                t[i * classes + labels[i]] = r.nextBoolean() ? 1.0 : 0.5;
                t[i * classes + r.nextInt(classes)] += 1 - t[i * classes + labels[i]];
                if (r.nextInt(8) == 0) { // a row the reference must count: NaN or subnormal logit, subnormal target
                    int k = i * classes + r.nextInt(classes);
                    switch (r.nextInt(3)) {
                        case 0 -> z[k] = Double.NaN;
                        case 1 -> z[k] = f.minNormal() / 3;
                        default -> t[k] += Math.min(f.minNormal() / 3, 5e-7); // within the mass's 1e-6
                    }
                }
            }
            boolean smoothed = !fused && r.nextInt(3) == 0;
            Targets targets = smoothed ? new Targets.Sparse(labels) : new Targets.Dense(t);
            LossInput in = new LossInput(z, rows, classes, targets);
            LossOptions options = LossOptions.DEFAULTS
                    .withReduction(Reduction.values()[r.nextInt(Reduction.values().length)])
                    .withLabelSmoothing(smoothed ? 0.1 : 0.0)
                    .withClipEpsilon(r.nextBoolean() ? 1e-3 : LossOptions.DEFAULTS.clipEpsilon());
            assertEquals(variant, path.kernelFor(in, options, spec, variant), "the kernel is chosen");
            path.evaluate(in, options, spec, reference, KernelChoice.of(KernelVariant.REFERENCE));
            for (int threads : new int[] {1, 2}) {
                path.evaluate(in, options, spec, fast, new KernelChoice(variant, threads));
                String where = id + " " + variant + " " + f + " trial " + trial + " [" + rows + "x" + classes
                        + "] threads " + threads;
                same(reference.loss(), fast.loss(), where + " loss");
                for (int i = 0; i < rows; i++) {
                    same(reference.rowLosses()[i], fast.rowLosses()[i], where + " row loss " + i);
                }
                for (int k = 0; k < rows * classes; k++) {
                    same(reference.probabilities()[k], fast.probabilities()[k], where + " p[" + k + "]");
                    same(reference.gradient()[k], fast.gradient()[k], where + " grad[" + k + "]");
                }
                sameEvents(reference.events(), fast.events(), where);
            }
            rowsTotal += rows;
            accepted += fused ? finishedRows(fast, rows) : acceptedSeparateRows(in, options, f, form(id), variant);
        }
        assertTrue(accepted > rowsTotal * 2 / 3, id + " " + f + ": the kernel took only " + accepted + " of "
                + rowsTotal + " rows");
    }

    private static int finishedRows(LossResult out, int rows) {
        int n = 0;
        for (int i = 0; i < rows; i++) {
            n += out.finishedRows()[i] ? 1 : 0;
        }
        return n;
    }

    /** How many rows the separate path's dense kernel accepts, asked directly with the targets the path gives it. */
    private static int acceptedSeparateRows(LossInput in, LossOptions options, Precision f, SeparateForm form,
            KernelVariant variant) {
        KernelProvider provider = variant.provider();
        int classes = in.classes();
        double lo = f.round(options.clipEpsilon());
        double hi = f.round(1 - options.clipEpsilon());
        double[] q = new double[classes];
        double[] p = new double[in.rows() * classes];
        double[] g = new double[in.rows() * classes];
        int n = 0;
        for (int i = 0; i < in.rows(); i++) {
            RowTargets.denseTarget(in, options, i, q);
            double loss = provider.separateDenseNarrow(f, form).denseRow(in.logits(), i * classes, classes, q, lo, hi,
                    p, g);
            n += loss == loss ? 1 : 0;
        }
        return n;
    }

    private static void same(double expected, double actual, String what) {
        // two NaNs are equal whatever their sign bit, which Java leaves undefined (as KernelVariantTest says)
        if (Double.doubleToRawLongBits(expected) != Double.doubleToRawLongBits(actual)
                && !(expected != expected && actual != actual)) {
            fail(what + ": reference " + Double.toHexString(expected) + ", fast " + Double.toHexString(actual));
        }
    }

    private static void sameEvents(NumericEvents expected, NumericEvents actual, String where) {
        for (NumericEvent e : NumericEvent.values()) {
            assertEquals(expected.count(e), actual.count(e), where + " " + e.id());
        }
        assertEquals(expected.lossNan(), actual.lossNan(), where);
        assertEquals(expected.gradientNan(), actual.gradientNan(), where);
        assertEquals(expected.gradientPosInf(), actual.gradientPosInf(), where);
        assertEquals(expected.gradientNegInf(), actual.gradientNegInf(), where);
        assertEquals(expected.firstNonFinite(), actual.firstNonFinite(), where);
    }
}
