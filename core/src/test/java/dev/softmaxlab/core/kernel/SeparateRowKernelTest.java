package dev.softmaxlab.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.softmaxlab.core.precision.Precision;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The separate paths' row kernels: scalar and vector twins agree bit for bit and on which rows they refuse, over
 * seeded rows that reach every branch of the vector kernels (near-ties with the max and logits below 2^-28, where
 * fdlibm's exp returns 1 + x; spreads beyond the vector exp's range, which go to the scalar twin; zero and tiny
 * maxima); clean rows are accepted (so the fast path is taken at all); and hand-computed rows. Bits and events
 * against the instrumented reference are {@code KernelVariantTest}'s.
 */
class SeparateRowKernelTest {

    private static final KernelProvider VECTOR = KernelProvider.vector().orElseThrow(
            () -> new AssertionError("the tests run with --add-modules jdk.incubator.vector (see core/pom.xml)"));
    private static final double LO = 1e-7;
    private static final double HI = 1 - 1e-7;

    private static SeparateSparseRowKernel kernel(KernelProvider provider, boolean fp64, SeparateForm form) {
        return fp64 ? provider.separateFp64(form) : provider.separateFp32(form);
    }

    private static SeparateSparseRowKernel kernel(KernelProvider provider, Precision format, SeparateForm form) {
        return switch (format) {
            case FP64 -> provider.separateFp64(form);
            case FP32 -> provider.separateFp32(form);
            default -> provider.separateNarrow(format, form);
        };
    }

    @ParameterizedTest
    @EnumSource(SeparateForm.class)
    void scalarAndVectorTwinsAgreeBitForBit(SeparateForm form) {
        for (Precision format : Precision.values()) {
            SeparateSparseRowKernel scalar = kernel(KernelProvider.scalar(), format, form);
            SeparateSparseRowKernel vector = kernel(VECTOR, format, form);
            SplittableRandom r = new SplittableRandom(form.ordinal() * 8 + format.ordinal() + 21);
            double[] scratch = new double[LaneSums.SCRATCH];
            int refused = 0;
            int trials = 3000;
            for (int trial = 0; trial < trials; trial++) {
                int classes = r.nextInt(4) == 0 ? 1 + r.nextInt(2000) : 1 + r.nextInt(40);
                double scale = new double[] {1e-12, 0.5, 1, 4, 10, 60, 120, 800}[r.nextInt(8)];
                double[] z = new double[classes + 3];
                int base = r.nextInt(4); // rows need not start at 0 or on a vector boundary
                for (int j = 0; j < classes; j++) {
                    z[base + j] = scale * (2 * r.nextDouble() - 1);
                }
                int twist = r.nextInt(8);
                if (twist == 0) { // near-ties with the max: z_j - m in (-2^-28, 0)
                    double top = z[base];
                    for (int j = 0; j < classes; j++) {
                        z[base + j] = top - 0x1p-30 * r.nextInt(8);
                    }
                } else if (twist == 1) { // naive: logits below 2^-28, and zeros
                    for (int j = 0; j < classes; j++) {
                        z[base + j] = r.nextInt(5) == 0 ? 0.0 : 0x1p-29 * (2 * r.nextDouble() - 1);
                    }
                } else if (twist == 2) { // something the reference would count
                    z[base + r.nextInt(classes)] = new double[] {Double.NaN, 1e-310, Double.NEGATIVE_INFINITY,
                        4e38}[r.nextInt(4)];
                }
                int label = r.nextInt(classes);
                double[] p1 = new double[z.length];
                double[] g1 = new double[z.length];
                double[] p2 = new double[z.length];
                double[] g2 = new double[z.length];
                double a = scalar.sparseRow(z, base, classes, label, LO, HI, p1, g1, scratch);
                double b = vector.sparseRow(z, base, classes, label, LO, HI, p2, g2, scratch);
                String where = form + " " + format + " trial " + trial + " C " + classes;
                same(a, b, "loss, " + where);
                if (a != a) {
                    refused++;
                    continue; // the row goes to the reference; its outputs here are scratch
                }
                for (int j = base; j < base + classes; j++) {
                    same(p1[j], p2[j], "p[" + j + "], " + where);
                    same(g1[j], g2[j], "grad[" + j + "], " + where);
                }
            }
            // fp16's exp and probabilities underflow in most rows of these scales: there only some must be taken
            int most = format == Precision.FP16 ? trials * 9 / 10 : trials / 2;
            assertTrue(refused > trials / 20 && refused < most, form + " " + format + " refused " + refused);
        }
    }

    /**
     * The half formats' counting entry point, scalar twin against vector twin, on seeded rows of which many reach
     * below the format's normals (exps, probabilities and gradient entries subnormal or zero: a tail of logits 9 to 21
     * below the max in fp16, 88 to 100 in bf16), beside plain rows and rows with something the reference would see go
     * non-finite: the same refusals, bits and counts (subnormal, expUnderflow, and the clipped form's clip count).
     * Rows with events are kept in numbers; the plain entry point refuses them. (The reference's own counts for such
     * rows are HalfRowEventsTest's.)
     */
    @ParameterizedTest
    @EnumSource(SeparateForm.class)
    void halfTwinsKeepAndCountTheSameRows(SeparateForm form) {
        for (Precision format : new Precision[] {Precision.BF16, Precision.FP16}) {
            SeparateSparseRowKernel scalar = KernelProvider.scalar().separateNarrow(format, form);
            SeparateSparseRowKernel vector = VECTOR.separateNarrow(format, form);
            SplittableRandom r = new SplittableRandom(form.ordinal() * 8 + format.ordinal() + 61);
            double tail = format == Precision.BF16 ? 88 : 9;
            double[] ss = new double[LaneSums.SCRATCH];
            double[] sv = new double[LaneSums.SCRATCH];
            double lo = format.round(LO);
            double hi = format.round(HI);
            int keptWithEvents = 0;
            int refused = 0;
            int trials = 2000;
            for (int trial = 0; trial < trials; trial++) {
                int classes = r.nextInt(3) == 0 ? 1 + r.nextInt(40) : 1000 + r.nextInt(2000);
                double[] z = new double[classes + 3];
                int base = r.nextInt(4);
                int kind = r.nextInt(4);
                double top = form.shift() ? 4 * r.nextDouble() - 2 : 1 + r.nextDouble(); // naive: no overflow
                for (int j = 0; j < classes; j++) {
                    z[base + j] = switch (kind) {
                        case 0 -> top - 3 * r.nextDouble(); // plain
                        case 1 -> top - (tail + 12) * r.nextDouble(); // the whole row down to the tail's depth
                        default -> r.nextInt(4) == 0 ? top - tail - 12 * r.nextDouble() : top - r.nextDouble();
                    };
                }
                if (kind == 3 && r.nextBoolean()) { // something the reference would count as non-finite, or refuse
                    z[base + r.nextInt(classes)] = new double[] {Double.NaN, 1e-310, Double.NEGATIVE_INFINITY,
                        4e38}[r.nextInt(4)];
                }
                int label = r.nextInt(classes);
                double[] p1 = new double[z.length];
                double[] g1 = new double[z.length];
                double[] p2 = new double[z.length];
                double[] g2 = new double[z.length];
                double a = scalar.countingSparseRow(z, base, classes, label, lo, hi, p1, g1, ss);
                double b = vector.countingSparseRow(z, base, classes, label, lo, hi, p2, g2, sv);
                String where = form + " " + format + " trial " + trial + " C " + classes + " kind " + kind;
                same(a, b, "loss, " + where);
                if (a != a) {
                    refused++;
                    continue;
                }
                for (int j = base; j < base + classes; j++) {
                    same(p1[j], p2[j], "p[" + j + "], " + where);
                    same(g1[j], g2[j], "grad[" + j + "], " + where);
                }
                assertEquals(ss[RowEvents.SUBNORMAL_SLOT], sv[RowEvents.SUBNORMAL_SLOT], where + " subnormal");
                assertEquals(ss[RowEvents.EXP_UNDERFLOW_SLOT], sv[RowEvents.EXP_UNDERFLOW_SLOT],
                        where + " expUnderflow");
                if (form.clip()) {
                    assertEquals(ss[ClipCount.SCRATCH_SLOT], sv[ClipCount.SCRATCH_SLOT], where + " clipped");
                }
                if (!RowEvents.none(sv)) {
                    keptWithEvents++;
                    double plain = vector.sparseRow(z, base, classes, label, lo, hi, p2, g2, sv);
                    assertTrue(plain != plain, where + ": the plain entry point keeps only rows without events");
                }
            }
            assertTrue(keptWithEvents > trials / 4, form + " " + format + " kept with events " + keptWithEvents);
            assertTrue(refused > trials / 50, form + " " + format + " refused " + refused);
        }
    }

    /** Rows where nothing countable happens must take the fast path, or the kernels would only cost time. */
    @ParameterizedTest
    @EnumSource(SeparateForm.class)
    void cleanRowsAreAccepted(SeparateForm form) {
        SplittableRandom r = new SplittableRandom(31 + form.ordinal());
        double[] scratch = new double[LaneSums.SCRATCH];
        for (KernelProvider provider : new KernelProvider[] {KernelProvider.scalar(), VECTOR}) {
            for (boolean fp64 : new boolean[] {true, false}) {
                SeparateSparseRowKernel k = kernel(provider, fp64, form);
                for (int trial = 0; trial < 200; trial++) {
                    int classes = 1 + r.nextInt(3000);
                    double[] z = new double[classes];
                    for (int j = 0; j < classes; j++) {
                        z[j] = 8 * (2 * r.nextDouble() - 1); // p_j ≥ e^-16/C: normal in fp32, no overflow
                    }
                    double loss = k.sparseRow(z, 0, classes, r.nextInt(classes), LO, HI, new double[classes],
                            new double[classes], scratch);
                    assertTrue(loss == loss, provider.name() + " " + form + " refused a clean row of C " + classes);
                }
            }
        }
    }

    /**
     * z = (0, ln 2, ln 4), y = 1: p = (1/7, 2/7, 4/7), loss = ln 3.5, and the chain's gradient p_j (g_j - p_y g_y) with
     * g_y = -1/p_y is p - onehot(y) = (1/7, -5/7, 4/7). Each within a few ulps of the exact value (the chain rounds
     * several times), in every form (the clip bounds are far away) and both twins.
     */
    @Test
    void aHandComputedRow() {
        double[] z = {0.0, Math.log(2), Math.log(4)};
        double[] expectedP = {1.0 / 7, 2.0 / 7, 4.0 / 7};
        double[] expectedGrad = {1.0 / 7, -5.0 / 7, 4.0 / 7};
        for (KernelProvider provider : new KernelProvider[] {KernelProvider.scalar(), VECTOR}) {
            for (SeparateForm form : SeparateForm.values()) {
                for (boolean fp64 : new boolean[] {true, false}) {
                    double ulp = fp64 ? 0x1p-52 : 0x1p-23;
                    double[] p = new double[3];
                    double[] grad = new double[3];
                    double loss = kernel(provider, fp64, form).sparseRow(z, 0, 3, 1, LO, HI, p, grad,
                            new double[LaneSums.SCRATCH]);
                    String where = provider.name() + " " + form + (fp64 ? " fp64" : " fp32");
                    assertEquals(Math.log(3.5), loss, 4 * ulp * Math.log(3.5), where + " loss");
                    for (int j = 0; j < 3; j++) {
                        assertEquals(expectedP[j], p[j], 4 * ulp, where + " p" + j);
                        assertEquals(expectedGrad[j], grad[j], 8 * ulp, where + " grad" + j);
                    }
                }
            }
        }
    }

    /**
     * Clipped, z = (0, 20), y = 0, ε = 1e-3: p_0 = 1/(1 + e^20) ≈ 2.1e-9 &lt; ε, so the loss is -log ε and the
     * clip's backward passes nothing: the gradient is exactly +0 everywhere (Keras's vanished gradient).
     */
    @Test
    void aClippedLabelGetsTheLossOfEpsilonAndNoGradient() {
        double[] z = {0.0, 20.0};
        for (KernelProvider provider : new KernelProvider[] {KernelProvider.scalar(), VECTOR}) {
            double[] p = new double[2];
            double[] grad = {Double.NaN, Double.NaN};
            double loss = provider.separateFp64(SeparateForm.CLIPPED).sparseRow(z, 0, 2, 0, 1e-3, 1 - 1e-3, p, grad,
                    new double[LaneSums.SCRATCH]);
            assertEquals(-Math.log(1e-3), loss, 2 * Math.ulp(6.9), provider.name());
            assertEquals(1 / (1 + Math.exp(20)), p[0], 4 * Math.ulp(p[0]), provider.name());
            assertEquals(0L, Double.doubleToRawLongBits(grad[0]), provider.name() + " grad0 is +0");
            assertEquals(0L, Double.doubleToRawLongBits(grad[1]), provider.name() + " grad1 is +0");
        }
    }

    /** exp(800) overflows in the naive softmax, which the reference counts: the row is refused, in both twins. */
    @Test
    void aNaiveOverflowIsRefused() {
        double[] z = {800.0, 0.0, 1.0, 2.0, 3.0};
        for (KernelProvider provider : new KernelProvider[] {KernelProvider.scalar(), VECTOR}) {
            for (boolean fp64 : new boolean[] {true, false}) {
                double loss = kernel(provider, fp64, SeparateForm.NAIVE).sparseRow(z, 0, 5, 1, LO, HI,
                        new double[5], new double[5], new double[LaneSums.SCRATCH]);
                assertTrue(loss != loss, provider.name() + (fp64 ? " fp64" : " fp32"));
            }
        }
    }

    private static void same(double x, double y, String what) {
        if (Double.doubleToRawLongBits(x) != Double.doubleToRawLongBits(y) && !(x != x && y != y)) {
            fail(what + ": scalar " + Double.toHexString(x) + ", vector " + Double.toHexString(y));
        }
    }
}
