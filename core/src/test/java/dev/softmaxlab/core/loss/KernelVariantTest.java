package dev.softmaxlab.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.softmaxlab.core.numeric.NumericEvent;
import dev.softmaxlab.core.numeric.NumericEvents;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generic variant test: every fast kernel variant of every registered path against that path's reference, on
 * the same seeded batches; the same bits in every output (loss, row losses, probabilities, gradient), the same
 * events and the same firstNonFinite, on one thread and on three. The batches mix clean rows with rows where exp
 * overflows or underflows, logits are NaN, ±∞, subnormal or beyond the largest float, and their shapes include
 * C = 1, odd C, C not a multiple of any vector width (4, 8, 16) and C in the thousands; targets are sparse and
 * dense (one-hot, two-class, arbitrary soft with zeros, and with entries too small to be normal), with and without
 * label smoothing, under every reduction. A result made without probabilities must give the same bits in every
 * other output, on the fast variant and on the reference.
 */
class KernelVariantTest {

    /** The surefire configuration adds jdk.incubator.vector, so the vector variant must be among the fast ones. */
    @Test
    void theFusedAndSeparatePathsOfferEveryVariantWhenTheVectorModuleIsPresent() {
        for (String id : List.of("fused", "separate", "separate-naive", "separate-clipped")) {
            assertEquals(List.of(KernelVariant.REFERENCE, KernelVariant.SCALAR, KernelVariant.VECTOR),
                    LossPaths.byId(id).variants(), id);
        }
        for (LossPath path : LossPaths.all()) {
            assertEquals(KernelVariant.REFERENCE, path.variants().get(0), path.id());
        }
    }

    /** bf16 and fp16 cases of the fused path's vector variant run the vector half kernel, not the scalar twin. */
    @Test
    void theFusedVectorVariantRunsTheVectorHalfKernel() {
        for (Precision half : List.of(Precision.BF16, Precision.FP16)) {
            assertEquals("PanamaFusedHalf", KernelVariant.VECTOR.provider().fusedHalf(half).getClass().getSimpleName());
            assertEquals("ScalarFusedHalf", KernelVariant.SCALAR.provider().fusedHalf(half).getClass().getSimpleName());
        }
    }

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        List<PrecisionSpec> specs = List.of(PrecisionSpec.of(Precision.FP64), PrecisionSpec.of(Precision.FP32),
                new PrecisionSpec(Precision.FP32, Precision.FP64), PrecisionSpec.of(Precision.BF16),
                PrecisionSpec.of(Precision.FP16));
        long seed = 1;
        for (LossPath path : LossPaths.all()) {
            for (KernelVariant variant : path.variants()) {
                if (variant == KernelVariant.REFERENCE) {
                    continue;
                }
                for (PrecisionSpec spec : specs) {
                    int repeats = spec.compute() == spec.accumulate() ? 4 : 1;
                    for (int k = 0; k < repeats; k++) {
                        b.add(Arguments.of(path.id(), variant, spec, seed++));
                    }
                }
            }
        }
        // bf16 and fp16 at their default (fp32) accumulation, which fast kernels cover: three more seeds each, from a
        // range of their own so that the cases above keep their seeds
        long halfSeed = 10_001;
        for (LossPath path : LossPaths.all()) {
            for (KernelVariant variant : path.variants()) {
                if (variant == KernelVariant.REFERENCE) {
                    continue;
                }
                for (Precision half : List.of(Precision.BF16, Precision.FP16)) {
                    for (int k = 0; k < 3; k++) {
                        b.add(Arguments.of(path.id(), variant, PrecisionSpec.of(half), halfSeed++));
                    }
                }
            }
        }
        return b.build();
    }

    private static double special(SplittableRandom r) {
        return switch (r.nextInt(15)) {
            case 0 -> Double.NaN;
            case 1 -> Double.POSITIVE_INFINITY;
            case 2 -> Double.NEGATIVE_INFINITY;
            case 3 -> Double.MIN_VALUE * r.nextInt(1, 1000); // subnormal logit
            case 4 -> 1e308 * (r.nextBoolean() ? 1 : -1); // z - m overflows
            case 5 -> 800 * r.nextDouble(); // exp(z - m) underflows or goes subnormal
            case 6 -> 0.0;
            case 7 -> -740 + r.nextDouble(); // exp(z - m) near the subnormal range
            case 8 -> 1e-40 * r.nextDouble(); // a float subnormal
            case 9 -> 3.5e38 * (r.nextBoolean() ? 1 : -1); // beyond the largest float
            case 10 -> -100 * r.nextDouble() - 3; // exp(z - m) underflows or goes subnormal in float
            case 11 -> 103.97 + r.nextDouble(); // near float's exp underflow edge after the shift
            case 12 -> (r.nextBoolean() ? 1 : -1) * Float.MIN_NORMAL;
            case 13 -> (r.nextBoolean() ? 1 : -1) * 0x1p-14 * r.nextDouble(); // fp16 subnormal (or 0) logit
            default -> Double.MIN_NORMAL;
        };
    }

    /**
     * How far below the max a tail row's logits reach: a little beyond the depth where exp rounds to 0 in the format
     * (fp16: e^-17.3, half its smallest subnormal; bf16 and fp32: e^-103.3 and e^-104; fp64: e^-745.1), so that the
     * smallest normal (e^-9.7, e^-87.3, e^-708.4) lies well inside.
     */
    private static double tailDepth(Precision p) {
        return switch (p) {
            case FP16 -> 20;
            case BF16, FP32 -> 110;
            case FP64 -> 750;
        };
    }

    private static int classes(SplittableRandom r) {
        return switch (r.nextInt(8)) {
            case 0 -> 1;
            case 1 -> 2 * r.nextInt(1, 20) + 1; // odd
            case 2 -> 16 * r.nextInt(1, 8) + r.nextInt(1, 16); // not a multiple of 4, 8 or 16
            case 3 -> 16 * r.nextInt(1, 8); // a whole number of lane blocks
            case 4 -> 1000 + r.nextInt(3000); // many blocks: the interleaved sum's order matters
            default -> 1 + r.nextInt(70);
        };
    }

    /**
     * Dense targets [rows, C], row by row one of: one-hot on the label; two classes 0.75 and 0.25 (or 1 on one);
     * an arbitrary soft distribution with some zeros, now and then with an entry below the smallest normal double
     * or float (the reference counts its rounding, so the fast kernel must hand the row back).
     */
    private static double[] denseTargets(SplittableRandom r, int rows, int classes, int[] labels) {
        double[] t = new double[rows * classes];
        for (int i = 0; i < rows; i++) {
            int base = i * classes;
            switch (r.nextInt(3)) {
                case 0 -> t[base + labels[i]] = 1.0;
                case 1 -> {
                    t[base + labels[i]] = 0.75;
                    t[base + r.nextInt(classes)] += 0.25;
                }
                default -> {
                    double sum = 0.0;
                    for (int j = 0; j < classes; j++) {
                        double v = r.nextInt(3) == 0 ? 0.0 : r.nextDouble();
                        t[base + j] = v;
                        sum += v;
                    }
                    if (sum == 0.0) {
                        t[base + labels[i]] = sum = 1.0;
                    }
                    for (int j = 0; j < classes; j++) {
                        t[base + j] /= sum;
                    }
                    if (r.nextInt(6) == 0) {
                        t[base + r.nextInt(classes)] += r.nextBoolean() ? 1e-310 : 1e-40; // fp64 / fp32 subnormal
                    }
                }
            }
        }
        return t;
    }

    @ParameterizedTest(name = "{0} {1} {2} seed {3}")
    @MethodSource("cases")
    void everyFastVariantGivesTheReferenceBitsAndEvents(String pathId, KernelVariant variant, PrecisionSpec spec,
            long seed) {
        LossPath path = LossPaths.byId(pathId);
        SplittableRandom r = new SplittableRandom(seed);
        LossResult fast = new LossResult();
        LossResult reference = new LossResult();
        LossResult lean = LossResult.withoutProbabilities();
        int uncleanRows = 0;
        int totalRows = 0;
        for (int trial = 0; trial < 40; trial++) {
            int rows = 1 + r.nextInt(6);
            int classes = classes(r);
            double[] z = new double[rows * classes];
            int[] labels = new int[rows];
            double scale = r.nextInt(4) == 0 ? 50 : 10; // at 50, float's exp underflows now and then
            for (int i = 0; i < rows; i++) {
                labels[i] = r.nextInt(classes);
                boolean odd = r.nextInt(3) == 0;
                uncleanRows += odd ? 1 : 0;
                // a row with a long tail: many exps, probabilities and gradient entries below the format's normals
                // or zero, which the half formats' kernels keep and count (finite events only, when the label is
                // not deep in the tail)
                boolean tail = !odd && r.nextInt(4) == 0;
                double depth = tailDepth(spec.compute()) * (0.8 + 0.4 * r.nextDouble());
                for (int j = 0; j < classes; j++) {
                    z[i * classes + j] = odd && r.nextInt(Math.max(3, classes / 4)) == 0
                            ? special(r) : tail ? -depth * r.nextDouble() : scale * (2 * r.nextDouble() - 1);
                }
            }
            totalRows += rows;
            Targets targets;
            if (r.nextBoolean()) {
                targets = new Targets.Dense(denseTargets(r, rows, classes, labels));
            } else {
                targets = new Targets.Sparse(labels);
            }
            LossInput in = new LossInput(z, rows, classes, targets);
            LossOptions options = LossOptions.DEFAULTS
                    .withReduction(Reduction.values()[r.nextInt(Reduction.values().length)])
                    .withLabelSmoothing(r.nextInt(8) == 0 ? 0.1 : 0.0)
                    .withClipEpsilon(r.nextInt(3) == 0 ? 1e-3 : LossOptions.DEFAULTS.clipEpsilon()); // separate-clipped
            if (pathId.equals(FusedChunkedSoftmaxCrossEntropy.ID)) {
                // rows of many chunks as well as one, and the carry the format itself, fp64, or the default
                options = options.withChunkSize(new int[] {1, 2, 3, 7, 16, 50, 4096}[r.nextInt(7)]);
                switch (r.nextInt(3)) {
                    case 0 -> options = options.withChunkCarry(spec.compute());
                    case 1 -> options = options.withChunkCarry(Precision.FP64); // wider than any format
                    default -> { } // the default carry: the accumulation precision
                }
            }
            path.evaluate(in, options, spec, reference, KernelChoice.of(KernelVariant.REFERENCE));
            for (int threads : new int[] {1, 3}) {
                path.evaluate(in, options, spec, fast, new KernelChoice(variant, threads));
                String where = pathId + " " + variant + " " + spec + " trial " + trial + " [" + rows + "x" + classes
                        + "] threads " + threads;
                assertSameBits(reference.loss(), fast.loss(), where + " loss");
                for (int i = 0; i < rows; i++) {
                    assertSameBits(reference.rowLosses()[i], fast.rowLosses()[i], where + " row loss " + i);
                }
                for (int k = 0; k < rows * classes; k++) {
                    assertSameBits(reference.probabilities()[k], fast.probabilities()[k], where + " p[" + k + "]");
                    assertSameBits(reference.gradient()[k], fast.gradient()[k], where + " grad[" + k + "]");
                }
                assertSameEvents(reference.events(), fast.events(), where);
            }
            for (KernelVariant v : List.of(variant, KernelVariant.REFERENCE)) {
                path.evaluate(in, options, spec, lean, new KernelChoice(v, 1 + trial % 2));
                String where = pathId + " " + v + " " + spec + " trial " + trial + " [" + rows + "x" + classes
                        + "] without probabilities";
                assertSameBits(reference.loss(), lean.loss(), where + " loss");
                for (int i = 0; i < rows; i++) {
                    assertSameBits(reference.rowLosses()[i], lean.rowLosses()[i], where + " row loss " + i);
                }
                for (int k = 0; k < rows * classes; k++) {
                    assertSameBits(reference.gradient()[k], lean.gradient()[k], where + " grad[" + k + "]");
                }
                assertSameEvents(reference.events(), lean.events(), where);
            }
        }
        assertTrue(uncleanRows > totalRows / 5, "the batches must include rows that need the reference");
    }

    /**
     * A NaN logit with any payload, the all-ones ones included: kernels that round on the bits (the half formats) add
     * to a NaN's bits, and a payload of all ones would carry into the sign and come out as a zero. Every fast variant
     * must still give the reference's NaN loss and events.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("nanPayloadCases")
    void aNanLogitOfAnyPayloadGivesTheReferenceResult(String pathId) {
        LossPath path = LossPaths.byId(pathId);
        long[] payloads = {0x7ff8000000000000L, 0x7fffffffffffffffL, 0xffffffffffffffffL, 0x7ff0000000000001L,
            0xfff0000000000001L, 0x7ff00fffffffffffL};
        SplittableRandom r = new SplittableRandom(77);
        LossResult fast = new LossResult();
        LossResult reference = new LossResult();
        for (int classes : new int[] {1, 7, 37, 1003}) {
            for (long bits : payloads) {
                for (Precision p : Precision.values()) {
                    PrecisionSpec spec = PrecisionSpec.of(p);
                    int rows = 3;
                    double[] z = new double[rows * classes];
                    int[] labels = new int[rows];
                    for (int k = 0; k < z.length; k++) {
                        z[k] = 4 * r.nextDouble() - 2;
                    }
                    for (int i = 0; i < rows; i++) {
                        labels[i] = r.nextInt(classes);
                    }
                    z[classes + r.nextInt(classes)] = Double.longBitsToDouble(bits); // row 1 only
                    for (Targets targets : List.of(new Targets.Sparse(labels),
                            new Targets.Dense(denseTargets(r, rows, classes, labels)))) {
                        LossInput in = new LossInput(z, rows, classes, targets);
                        path.evaluate(in, LossOptions.DEFAULTS, spec, reference,
                                KernelChoice.of(KernelVariant.REFERENCE));
                        assertTrue(Double.isNaN(reference.rowLosses()[1]), "the reference's row with the NaN");
                        for (KernelVariant v : path.variants()) {
                            path.evaluate(in, LossOptions.DEFAULTS, spec, fast, new KernelChoice(v, 1));
                            String where = pathId + " " + v + " " + p.id() + " C=" + classes + " NaN bits "
                                    + Long.toHexString(bits) + " " + targets.getClass().getSimpleName();
                            assertSameBits(reference.loss(), fast.loss(), where + " loss");
                            for (int i = 0; i < rows; i++) {
                                assertSameBits(reference.rowLosses()[i], fast.rowLosses()[i], where + " row " + i);
                            }
                            for (int k = 0; k < rows * classes; k++) {
                                assertSameBits(reference.gradient()[k], fast.gradient()[k], where + " grad " + k);
                            }
                            assertSameEvents(reference.events(), fast.events(), where);
                        }
                    }
                }
            }
        }
    }

    static Stream<String> nanPayloadCases() {
        return LossPaths.ids().stream();
    }

    private static void assertSameBits(double expected, double actual, String what) {
        if (expected != expected && actual != actual) {
            // a NaN's sign and payload are not defined by Java: where two NaNs meet in one + or ·, which one
            // survives depends on the operand order C2 picks, so even the reference against itself can differ
            // there (as Reductions says of the batch loss). Every output writes a NaN as "NaN"; its count is
            // compared below, as an event.
            return;
        }
        if (Double.doubleToRawLongBits(expected) != Double.doubleToRawLongBits(actual)) {
            fail(what + ": reference " + expected + " (" + Double.toHexString(expected) + "), fast " + actual + " ("
                    + Double.toHexString(actual) + ")");
        }
    }

    private static void assertSameEvents(NumericEvents expected, NumericEvents actual, String where) {
        for (NumericEvent e : NumericEvent.values()) {
            assertEquals(expected.count(e), actual.count(e), where + " " + e.id());
        }
        assertEquals(expected.lossNan(), actual.lossNan(), where);
        assertEquals(expected.lossPosInf(), actual.lossPosInf(), where);
        assertEquals(expected.lossNegInf(), actual.lossNegInf(), where);
        assertEquals(expected.gradientNan(), actual.gradientNan(), where);
        assertEquals(expected.gradientPosInf(), actual.gradientPosInf(), where);
        assertEquals(expected.gradientNegInf(), actual.gradientNegInf(), where);
        assertEquals(expected.firstNonFinite(), actual.firstNonFinite(), where);
    }
}
