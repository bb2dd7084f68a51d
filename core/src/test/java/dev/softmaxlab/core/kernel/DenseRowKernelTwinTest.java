package dev.softmaxlab.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The dense-target row kernels, scalar twin against vector twin: the fused path's ({@link FusedDenseRowKernel}, fp64
 * and fp32) and the separate paths' ({@link SeparateDenseRowKernel}, fp64 and fp32, every form). Over seeded rows
 * (C = 1, odd C, C not a multiple of the vector width, rows that start off a vector boundary; one-hot, two-class,
 * soft and smoothed targets, targets with a subnormal entry or equal to the softmax, where the gradient cancels;
 * logits that overflow, underflow, are NaN or subnormal, near-ties with the max, spreads beyond the vector exp's
 * range) both give the same bits in every output and refuse the same rows; clean rows are accepted, so the fast
 * path is taken at all. Their bits and events against the instrumented reference are {@code KernelVariantTest}'s.
 */
class DenseRowKernelTwinTest {

    private static final KernelProvider VECTOR = KernelProvider.vector().orElseThrow(
            () -> new AssertionError("the tests run with --add-modules jdk.incubator.vector (see core/pom.xml)"));
    private static final int TRIALS = 3000;

    /** The vector provider hands out kernels of its own for dense rows, not the scalar twins. */
    @Test
    void theVectorProviderHasDenseKernelsOfItsOwn() {
        assertEquals("PanamaFusedDenseFp64", VECTOR.fusedDenseFp64().getClass().getSimpleName());
        assertEquals("PanamaFusedDenseFp32", VECTOR.fusedDenseFp32().getClass().getSimpleName());
        for (SeparateForm form : SeparateForm.values()) {
            assertEquals("PanamaSeparateFp64", VECTOR.separateDenseFp64(form).getClass().getSimpleName());
            assertEquals("PanamaSeparateFp32", VECTOR.separateDenseFp32(form).getClass().getSimpleName());
        }
    }

    /** One seeded row: logits at base in a longer array, and its target (at base, or at 0 when compact). */
    private record Row(double[] z, double[] t, int base, int classes) {
    }

    private static Row row(SplittableRandom r, boolean compactTarget) {
        int classes = switch (r.nextInt(5)) {
            case 0 -> 1 + r.nextInt(8);
            case 1 -> 2 * r.nextInt(1, 30) + 1;
            case 2 -> 1000 + r.nextInt(1200);
            default -> 1 + r.nextInt(70);
        };
        int base = r.nextInt(5); // rows need not start at 0 or on a vector boundary
        double[] z = new double[base + classes + 3];
        double scale = new double[] {1e-12, 0.5, 1, 4, 10, 30, 60, 120, 800}[r.nextInt(9)];
        for (int j = 0; j < classes; j++) {
            z[base + j] = scale * (2 * r.nextDouble() - 1);
        }
        switch (r.nextInt(10)) {
            case 0 -> { // near-ties with the max: z_j - m in (-2^-28, 0)
                double top = z[base];
                for (int j = 0; j < classes; j++) {
                    z[base + j] = top - 0x1p-30 * r.nextInt(8);
                }
            }
            case 1 -> { // logits below 2^-28 (naive exp's 1 + x), and zeros
                for (int j = 0; j < classes; j++) {
                    z[base + j] = r.nextInt(5) == 0 ? 0.0 : 0x1p-29 * (2 * r.nextDouble() - 1);
                }
            }
            case 2 -> z[base + r.nextInt(classes)] = new double[] {Double.NaN, 1e-310, Double.NEGATIVE_INFINITY, 4e38,
                1e-40, -1e300}[r.nextInt(6)]; // something the reference counts
            case 3 -> z[base + r.nextInt(classes)] = -750; // beyond the vector exp's range below the max
            default -> {
            }
        }
        double[] t = new double[compactTarget ? classes : z.length];
        int tBase = compactTarget ? 0 : base;
        int label = r.nextInt(classes);
        switch (r.nextInt(5)) {
            case 0 -> t[tBase + label] = 1.0;
            case 1 -> {
                t[tBase + label] = 0.75;
                t[tBase + r.nextInt(classes)] += 0.25;
            }
            case 2 -> { // label smoothing: every class weighs
                double alpha = 0.1;
                for (int j = 0; j < classes; j++) {
                    t[tBase + j] = (j == label ? 1 - alpha : 0.0) + alpha / classes;
                }
            }
            case 3 -> { // the target is the softmax itself (rounded): numerators cancel
                double m = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < classes; j++) {
                    m = Math.max(m, z[base + j]);
                }
                double sum = 0;
                for (int j = 0; j < classes; j++) {
                    t[tBase + j] = Math.exp(z[base + j] - m);
                    sum += t[tBase + j];
                }
                for (int j = 0; j < classes; j++) {
                    t[tBase + j] = t[tBase + j] / sum;
                    if (!(t[tBase + j] == t[tBase + j])) {
                        t[tBase + j] = 0;
                    }
                }
            }
            default -> { // soft with zeros
                double sum = 0;
                for (int j = 0; j < classes; j++) {
                    double v = r.nextInt(3) == 0 ? 0.0 : r.nextDouble();
                    t[tBase + j] = v;
                    sum += v;
                }
                if (sum == 0) {
                    t[tBase + label] = sum = 1;
                }
                for (int j = 0; j < classes; j++) {
                    t[tBase + j] /= sum;
                }
                if (r.nextInt(5) == 0) {
                    t[tBase + r.nextInt(classes)] += r.nextBoolean() ? 1e-310 : 1e-40; // fp64 / fp32 subnormal
                }
            }
        }
        return new Row(z, t, base, classes);
    }

    @ParameterizedTest
    @EnumSource(SeparateForm.class)
    void separateTwinsAgreeBitForBit(SeparateForm form) {
        for (boolean fp64 : new boolean[] {true, false}) {
            SeparateDenseRowKernel scalar = fp64 ? KernelProvider.scalar().separateDenseFp64(form)
                    : KernelProvider.scalar().separateDenseFp32(form);
            SeparateDenseRowKernel vector = fp64 ? VECTOR.separateDenseFp64(form) : VECTOR.separateDenseFp32(form);
            SplittableRandom r = new SplittableRandom(40 + form.ordinal() * 2 + (fp64 ? 0 : 1));
            int refused = 0;
            for (int trial = 0; trial < TRIALS; trial++) {
                Row row = row(r, true);
                double lo = r.nextBoolean() ? 1e-3 : 1e-7;
                double hi = 1 - lo;
                if (!fp64) {
                    lo = (float) lo;
                    hi = (float) hi;
                }
                int n = row.z.length;
                double[] p1 = new double[n];
                double[] g1 = new double[n];
                double[] p2 = new double[n];
                double[] g2 = new double[n];
                double a = scalar.denseRow(row.z, row.base, row.classes, row.t, lo, hi, p1, g1);
                double b = vector.denseRow(row.z, row.base, row.classes, row.t, lo, hi, p2, g2);
                String where = form + (fp64 ? " fp64" : " fp32") + " trial " + trial + " C " + row.classes;
                same(a, b, "loss, " + where);
                if (a != a) {
                    refused++;
                    continue; // the row goes to the reference; its outputs here are scratch
                }
                for (int j = row.base; j < row.base + row.classes; j++) {
                    same(p1[j], p2[j], "p[" + j + "], " + where);
                    same(g1[j], g2[j], "grad[" + j + "], " + where);
                }
            }
            assertTrue(refused > TRIALS / 20 && refused < TRIALS / 2, form + " refused " + refused);
        }
    }

    @Test
    void fusedTwinsAgreeBitForBit() {
        for (boolean fp64 : new boolean[] {true, false}) {
            FusedDenseRowKernel scalar = fp64 ? KernelProvider.scalar().fusedDenseFp64()
                    : KernelProvider.scalar().fusedDenseFp32();
            FusedDenseRowKernel vector = fp64 ? VECTOR.fusedDenseFp64() : VECTOR.fusedDenseFp32();
            SplittableRandom r = new SplittableRandom(fp64 ? 51 : 52);
            double[] scratch = new double[LaneSums.SCRATCH];
            int refused = 0;
            for (int trial = 0; trial < TRIALS; trial++) {
                Row row = row(r, false);
                double divisor = new double[] {1, 4, 3, 1024, 7}[r.nextInt(5)];
                boolean keep = r.nextInt(3) != 0;
                int n = row.z.length;
                double[] p1 = keep ? new double[n] : null;
                double[] g1 = new double[n];
                double[] p2 = keep ? new double[n] : null;
                double[] g2 = new double[n];
                double a = scalar.finishedDenseRow(row.z, row.t, row.base, row.classes, p1, g1, divisor, scratch);
                double b = vector.finishedDenseRow(row.z, row.t, row.base, row.classes, p2, g2, divisor, scratch);
                String where = (fp64 ? "fp64" : "fp32") + " trial " + trial + " C " + row.classes + " D " + divisor
                        + (keep ? "" : " without p");
                same(a, b, "loss, " + where);
                if (a != a) {
                    refused++;
                    continue;
                }
                for (int j = row.base; j < row.base + row.classes; j++) {
                    if (keep) {
                        same(p1[j], p2[j], "p[" + j + "], " + where);
                    }
                    same(g1[j], g2[j], "grad[" + j + "], " + where);
                }
            }
            // fp32 refuses more: exp underflows in float beyond a spread of 87, and a gradient divided by 1024 can
            // fall below float's smallest normal; a third of the rows must still be taken
            assertTrue(refused > TRIALS / 20 && refused < TRIALS * 2 / 3, (fp64 ? "fp64" : "fp32") + " refused "
                    + refused);
        }
    }

    /** Rows where nothing countable happens must take the fast path (one-hot and soft targets alike). */
    @Test
    void cleanRowsAreAccepted() {
        SplittableRandom r = new SplittableRandom(61);
        double[] scratch = new double[LaneSums.SCRATCH];
        for (KernelProvider provider : new KernelProvider[] {KernelProvider.scalar(), VECTOR}) {
            for (boolean fp64 : new boolean[] {true, false}) {
                for (int trial = 0; trial < 200; trial++) {
                    int classes = 1 + r.nextInt(3000);
                    double[] z = new double[classes];
                    for (int j = 0; j < classes; j++) {
                        z[j] = 8 * (2 * r.nextDouble() - 1); // p_j ≥ e^-16/C: normal in fp32, no overflow
                    }
                    double[] t = new double[classes];
                    int label = r.nextInt(classes);
                    if (trial % 2 == 0) {
                        t[label] = 1.0;
                    } else { // label smoothing with α = 0.25: every class weighs, far from p_j
                        for (int j = 0; j < classes; j++) {
                            t[j] = (j == label ? 0.75 : 0.0) + 0.25 / classes;
                        }
                    }
                    String where = provider.name() + (fp64 ? " fp64" : " fp32") + " C " + classes;
                    FusedDenseRowKernel fused = fp64 ? provider.fusedDenseFp64() : provider.fusedDenseFp32();
                    if (trial % 2 == 0) { // the soft target above can cancel where t_j ≈ p_j, which is a refusal
                        assertTrue(fused.finishedDenseRow(z, t, 0, classes, new double[classes], new double[classes],
                                4.0, scratch) == fused.finishedDenseRow(z, t, 0, classes, null, new double[classes],
                                4.0, scratch), "fused refused a clean row, " + where);
                    }
                    for (SeparateForm form : SeparateForm.values()) {
                        SeparateDenseRowKernel k = fp64 ? provider.separateDenseFp64(form)
                                : provider.separateDenseFp32(form);
                        double loss = k.denseRow(z, 0, classes, t, 1e-7, 1 - 1e-7, new double[classes],
                                new double[classes]);
                        assertTrue(loss == loss, form + " refused a clean row, " + where);
                    }
                }
            }
        }
    }

    private static void same(double x, double y, String what) {
        if (Double.doubleToRawLongBits(x) != Double.doubleToRawLongBits(y) && !(x != x && y != y)) {
            fail(what + ": scalar " + Double.toHexString(x) + ", vector " + Double.toHexString(y));
        }
    }
}
