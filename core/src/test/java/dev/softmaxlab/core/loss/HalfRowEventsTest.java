package dev.softmaxlab.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.softmaxlab.core.kernel.FusedSparseRowKernel;
import dev.softmaxlab.core.kernel.KernelProvider;
import dev.softmaxlab.core.kernel.LaneSums;
import dev.softmaxlab.core.kernel.RowEvents;
import dev.softmaxlab.core.kernel.SeparateForm;
import dev.softmaxlab.core.kernel.SeparateSparseRowKernel;
import dev.softmaxlab.core.numeric.NumericEvent;
import dev.softmaxlab.core.numeric.NumericEvents;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The bf16 and fp16 row kernels keep a row whose only events are finite (subnormal results, exps that round to 0)
 * and count them: rows of a realistic width in fp16, and rows with a long tail in bf16, are accepted (not handed to
 * the reference), and the counts each kernel leaves for the row are the instrumented reference's counts for the same
 * row, as are its bits. Hand-counted rows pin the reference's own counts down. (KernelVariantTest holds the whole
 * evaluation, threads and batch end included, to the reference on batches mixing such rows with others.)
 */
class HalfRowEventsTest {

    private static final KernelProvider VECTOR = KernelProvider.vector().orElseThrow(
            () -> new AssertionError("the tests run with --add-modules jdk.incubator.vector (see core/pom.xml)"));
    private static final List<KernelProvider> PROVIDERS = List.of(KernelProvider.scalar(), VECTOR);

    /** fp16's smallest subnormal, 2^-24. */
    private static final double Q16 = 0x1p-24;

    /**
     * fused, fp16, z = (0, -12, -20), y = 0, one row (nothing to divide). By hand: e^-12 = 6.14e-6 is 103.08 fp16
     * quanta of 2^-24, so e_1 = 103q, a subnormal (fp16's smallest normal is 2^-14 = 6.1e-5); e^-20 = 2.1e-9 is below
     * half a quantum, so e_2 = 0 (expUnderflow). Then s' = 103q (subnormal), s = 1, log1p s' = 103q (subnormal),
     * m - z_y = 0, loss = 0 + 103q (subnormal), p = (1, 103q, 0) (p_1 subnormal), rest_y = s' and
     * grad_y = -(s'/s) = -103q (subnormal): 6 subnormal results, 1 expUnderflow. grad = (-103q, 103q, 0).
     */
    @Test
    void aHandCountedFusedRowInFp16() {
        double[] z = {0, -12, -20};
        LossInput in = new LossInput(z, 1, 3, new Targets.Sparse(new int[] {0}));
        for (KernelVariant v : List.of(KernelVariant.REFERENCE, KernelVariant.SCALAR, KernelVariant.VECTOR)) {
            LossResult out = new LossResult();
            LossPaths.byId("fused").evaluate(in, LossOptions.DEFAULTS, PrecisionSpec.of(Precision.FP16), out,
                    KernelChoice.of(v));
            assertEquals(6, out.events().count(NumericEvent.SUBNORMAL), v + " subnormal");
            assertEquals(1, out.events().count(NumericEvent.EXP_UNDERFLOW), v + " expUnderflow");
            assertEquals(103 * Q16, out.loss(), v + " loss");
            assertEquals(-103 * Q16, out.gradient()[0], v + " grad0");
            assertEquals(103 * Q16, out.gradient()[1], v + " grad1");
            assertEquals(0.0, out.gradient()[2], v + " grad2");
        }
        for (KernelProvider provider : PROVIDERS) {
            double[] scratch = new double[LaneSums.SCRATCH];
            double loss = provider.fusedHalf(Precision.FP16).countingFinishedSparseRow(z, 0, 3, 0, new double[3],
                    new double[3], 1.0, scratch);
            assertEquals(103 * Q16, loss, provider.name() + ": the row is kept, not refused");
            assertEquals(6.0, scratch[RowEvents.SUBNORMAL_SLOT], provider.name());
            assertEquals(1.0, scratch[RowEvents.EXP_UNDERFLOW_SLOT], provider.name());
        }
    }

    /**
     * The same row twice under mean (D = 2): each row counts its 6 results and 1 underflow as above, plus the batch
     * end's division of its gradient: 103q / 2 = 51.5q rounds (ties to even) to 52q, a subnormal, for grad_1 and for
     * grad_y (1/2 and 0 are not events): 8 per row. The batch loss (206q summed in fp32, halved: 103q) is one more
     * subnormal result: 17 subnormal, 2 expUnderflow.
     */
    @Test
    void theBatchEndsDivisionIsCountedInTheKernelsFinishedRows() {
        double[] z = {0, -12, -20, 0, -12, -20};
        LossInput in = new LossInput(z, 2, 3, new Targets.Sparse(new int[] {0, 0}));
        for (KernelVariant v : List.of(KernelVariant.REFERENCE, KernelVariant.SCALAR, KernelVariant.VECTOR)) {
            for (int threads : new int[] {1, 2}) {
                LossResult out = LossResult.withoutProbabilities();
                LossPaths.byId("fused").evaluate(in, LossOptions.DEFAULTS, PrecisionSpec.of(Precision.FP16), out,
                        new KernelChoice(v, threads));
                assertEquals(17, out.events().count(NumericEvent.SUBNORMAL), v + " threads " + threads);
                assertEquals(2, out.events().count(NumericEvent.EXP_UNDERFLOW), v + " threads " + threads);
                assertEquals(-52 * Q16, out.gradient()[3], v + " grad_y of row 1");
                assertEquals(52 * Q16, out.gradient()[4], v + " grad_1 of row 1");
            }
        }
    }

    /**
     * separate, fp16, z = (0, -12, -20), y = 0. By hand: z - m = (0, -12, -20) (normal), e = (1, 103q, 0): one
     * subnormal, one expUnderflow; s = 1 + 103q in fp32, 1 in fp16; p = (1, 103q, 0): one subnormal; log p_y = 0,
     * g_y = -1, dot = -1, g_y - dot = 0, grad_y = 0; grad_1 = p_1·1 = 103q: one subnormal. 3 subnormal, 1 expUnderflow;
     * loss +0.
     */
    @Test
    void aHandCountedSeparateRowInFp16() {
        double[] z = {0, -12, -20};
        LossInput in = new LossInput(z, 1, 3, new Targets.Sparse(new int[] {0}));
        for (KernelVariant v : List.of(KernelVariant.REFERENCE, KernelVariant.SCALAR, KernelVariant.VECTOR)) {
            LossResult out = new LossResult();
            LossPaths.byId("separate").evaluate(in, LossOptions.DEFAULTS, PrecisionSpec.of(Precision.FP16), out,
                    KernelChoice.of(v));
            assertEquals(3, out.events().count(NumericEvent.SUBNORMAL), v + " subnormal");
            assertEquals(1, out.events().count(NumericEvent.EXP_UNDERFLOW), v + " expUnderflow");
            assertEquals(0L, Double.doubleToRawLongBits(out.loss()), v + " loss +0");
            assertEquals(103 * Q16, out.gradient()[1], v + " grad1");
        }
        for (KernelProvider provider : PROVIDERS) {
            double[] scratch = new double[LaneSums.SCRATCH];
            double loss = provider.separateNarrow(Precision.FP16, SeparateForm.SHIFTED).countingSparseRow(z, 0, 3, 0,
                    1e-7, 1.0, new double[3], new double[3], scratch);
            assertEquals(0.0, loss, provider.name() + ": the row is kept, not refused");
            assertEquals(3.0, scratch[RowEvents.SUBNORMAL_SLOT], provider.name());
            assertEquals(1.0, scratch[RowEvents.EXP_UNDERFLOW_SLOT], provider.name());
        }
    }

    /**
     * A row whose exps reach below the format's normals: logits spread over [-spread, 0] with the spread chosen so
     * that a good part of the row's probabilities are subnormal or zero in the format (fp16: e^-9.7 is its smallest
     * normal, e^-17.3 half its smallest subnormal; bf16: e^-87.3 and e^-92.1), in rows from 1 class to thousands, half
 * of them with a logit below the format's smallest normal.
     */
    static double[] tailRow(SplittableRandom r, Precision f, int classes) {
        double spread = f == Precision.FP16 ? 4 + 18 * r.nextDouble() : 90 + 30 * r.nextDouble();
        double[] z = new double[classes];
        for (int j = 0; j < classes; j++) {
            z[j] = -spread * r.nextDouble();
        }
        if (r.nextBoolean()) { // a logit subnormal in the format (or one that rounds to ±0), counted on input
            z[r.nextInt(classes)] = f.minNormal() * (r.nextDouble() - 0.5);
        }
        return z;
    }

    private static int classes(SplittableRandom r) {
        return switch (r.nextInt(4)) {
            case 0 -> 1 + r.nextInt(8);
            case 1 -> 4 * r.nextInt(1, 40) + r.nextInt(4); // any remainder after the lanes
            default -> 1000 + r.nextInt(3000);
        };
    }

    /**
     * Row by row against the reference (one row under sum: no batch-end division; and two under mean for the fused
     * kernels, which fold the division in): every kernel keeps the row, with the reference's bits and counts.
     */
    @ParameterizedTest
    @EnumSource(names = {"BF16", "FP16"})
    void rowsWithSubnormalResultsAreKeptAndCountedAsTheReferenceCounts(Precision f) {
        SplittableRandom r = new SplittableRandom(f == Precision.BF16 ? 71 : 72);
        PrecisionSpec spec = PrecisionSpec.of(f);
        LossResult reference = new LossResult();
        double[] scratch = new double[LaneSums.SCRATCH];
        long withEvents = 0;
        long fusedKept = 0;
        long separateKeptWithEvents = 0;
        for (int trial = 0; trial < 120; trial++) {
            int classes = classes(r);
            double[] z = tailRow(r, f, classes);
            int label = r.nextInt(classes);
            LossInput in = new LossInput(z, 1, classes, new Targets.Sparse(new int[] {label}));
            LossOptions sum = LossOptions.DEFAULTS.withReduction(Reduction.SUM);
            // fused
            LossPaths.byId("fused").evaluate(in, sum, spec, reference, KernelChoice.of(KernelVariant.REFERENCE));
            withEvents += reference.events().totalOperationEvents() > 0 ? 1 : 0;
            for (KernelProvider provider : PROVIDERS) {
                FusedSparseRowKernel k = provider.fusedHalf(f);
                double[] p = new double[classes];
                double[] g = new double[classes];
                double loss = k.countingFinishedSparseRow(z, 0, classes, label, p, g, 1.0, scratch);
                String where = f + " fused " + provider.name() + " trial " + trial + " C " + classes;
                fusedKept += kept(reference, loss, p, g, scratch, where) ? 1 : 0;
            }
            // separate, all three forms
            for (SeparateForm form : SeparateForm.values()) {
                String id = switch (form) {
                    case SHIFTED -> "separate";
                    case NAIVE -> "separate-naive";
                    case CLIPPED -> "separate-clipped";
                };
                LossPaths.byId(id).evaluate(in, sum, spec, reference, KernelChoice.of(KernelVariant.REFERENCE));
                double lo = f.round(LossOptions.DEFAULTS.clipEpsilon());
                double hi = f.round(1 - LossOptions.DEFAULTS.clipEpsilon());
                for (KernelProvider provider : PROVIDERS) {
                    SeparateSparseRowKernel k = provider.separateNarrow(f, form);
                    double[] p = new double[classes];
                    double[] g = new double[classes];
                    double loss = k.countingSparseRow(z, 0, classes, label, lo, hi, p, g, scratch);
                    String where = f + " " + id + " " + provider.name() + " trial " + trial + " C " + classes;
                    boolean events = reference.events().totalOperationEvents() > reference.events().count(
                            NumericEvent.CLIPPED);
                    separateKeptWithEvents += kept(reference, loss, p, g, scratch, where) && events ? 1 : 0;
                }
            }
        }
        assertTrue(withEvents > 60, f + ": most of these rows must have finite events, " + withEvents);
        // every fused row here is finite, so every one is kept (by 2 kernels); the separate paths refuse the rows
        // whose 1/p_y overflows the format (a label far below the max), which the reference sees go non-finite
        assertEquals(2 * 120, fusedKept, f + ": the fused kernels keep every row");
        assertTrue(separateKeptWithEvents > 3 * 2 * 40, f + ": rows with events the separate kernels kept, "
                + separateKeptWithEvents);
    }

    /**
     * Whether the kernel kept the row: it must when the reference's row is finite, with the reference's bits and
     * counts, and must not (return NaN) when the reference went non-finite in it.
     */
    private static boolean kept(LossResult reference, double loss, double[] p, double[] g, double[] scratch,
            String where) {
        if (reference.events().totalNonFinite() > 0 || reference.events().firstNonFinite() != null) {
            assertTrue(loss != loss, where + ": a row the reference sees go non-finite must be refused");
            return false;
        }
        same(reference.loss(), loss, where + " loss (a NaN: the row was refused)");
        for (int j = 0; j < p.length; j++) {
            same(reference.probabilities()[j], p[j], where + " p" + j);
            same(reference.gradient()[j], g[j], where + " grad" + j);
        }
        assertCounts(reference.events(), scratch, where);
        return true;
    }

    /**
     * The fused kernels fold the batch end's division by D in: a row of a batch under mean is counted with it. Each
     * row here is evaluated as row 0 of a batch of two whose row 1 is plain, so that D = 2 or (odd) 3.
     */
    @ParameterizedTest
    @EnumSource(names = {"BF16", "FP16"})
    void theFusedKernelsCountTheBatchEndsDivision(Precision f) {
        SplittableRandom r = new SplittableRandom(f == Precision.BF16 ? 73 : 74);
        PrecisionSpec spec = PrecisionSpec.of(f);
        double[] scratch = new double[LaneSums.SCRATCH];
        for (int trial = 0; trial < 60; trial++) {
            int classes = classes(r);
            int rows = 2 + r.nextInt(2);
            double[] z = new double[rows * classes];
            System.arraycopy(tailRow(r, f, classes), 0, z, 0, classes);
            int[] labels = new int[rows];
            labels[0] = r.nextInt(classes);
            // rows 1.. are all zeros and count nothing (p_j = 1/C and (1/C)/D are normal for C ≤ 4000, D ≤ 3), and
            // the batch loss is normal or zero (a row of zeros has loss log C), so every event is row 0's
            LossInput in = new LossInput(z, rows, classes, new Targets.Sparse(labels));
            LossResult reference = new LossResult();
            LossPaths.byId("fused").evaluate(in, LossOptions.DEFAULTS, spec, reference,
                    KernelChoice.of(KernelVariant.REFERENCE));
            for (KernelProvider provider : PROVIDERS) {
                double[] g = new double[classes];
                double loss = provider.fusedHalf(f).countingFinishedSparseRow(z, 0, classes, labels[0], null, g,
                        rows, scratch);
                String where = f + " " + provider.name() + " trial " + trial + " C " + classes + " D " + rows;
                same(reference.rowLosses()[0], loss, where + " loss (a NaN: the row was refused)");
                for (int j = 0; j < classes; j++) {
                    same(reference.gradient()[j], g[j], where + " grad" + j);
                }
                assertCounts(reference.events(), scratch, where);
            }
        }
    }

    private static void assertCounts(NumericEvents reference, double[] scratch, String where) {
        assertEquals(reference.count(NumericEvent.SUBNORMAL), (long) scratch[RowEvents.SUBNORMAL_SLOT],
                where + " subnormal");
        assertEquals(reference.count(NumericEvent.EXP_UNDERFLOW), (long) scratch[RowEvents.EXP_UNDERFLOW_SLOT],
                where + " expUnderflow");
        for (NumericEvent e : NumericEvent.values()) {
            if (e != NumericEvent.SUBNORMAL && e != NumericEvent.EXP_UNDERFLOW && e != NumericEvent.CLIPPED) {
                assertEquals(0, reference.count(e), where + ": the reference counts no other event, " + e.id());
            }
        }
        assertEquals(0, reference.totalNonFinite(), where);
    }

    private static void same(double expected, double actual, String what) {
        if (Double.doubleToRawLongBits(expected) != Double.doubleToRawLongBits(actual)) {
            fail(what + ": reference " + expected + " (" + Double.toHexString(expected) + "), kernel " + actual + " ("
                    + Double.toHexString(actual) + ")");
        }
    }
}
