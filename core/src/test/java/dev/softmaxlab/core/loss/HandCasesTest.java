package dev.softmaxlab.core.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.numeric.FirstNonFinite;
import dev.softmaxlab.core.numeric.NumericEvent;
import dev.softmaxlab.core.numeric.NumericEvents;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Hand-worked cases on every path, including the failure modes core/NUMERICS.md exists to show. */
class HandCasesTest {

    private static final double[] WIDE = {1000, 0, -1000};
    private static final LossOptions SUM = LossOptions.DEFAULTS.withReduction(Reduction.SUM);

    private static LossResult run(String path, double[] z, int label, Precision p) {
        LossResult out = new LossResult();
        LossPaths.byId(path).evaluate(LossInput.ofLabel(z, label), SUM, PrecisionSpec.of(p), out);
        return out;
    }

    private static double[] grad(LossResult r) {
        return Arrays.copyOf(r.gradient(), r.rows() * r.classes());
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void fusedWideLogitsLabelTwo(Precision p) {
        // lse = 1000 + log(1 + e^-1000 + e^-2000) = 1000 exactly in every format; loss = lse - z_2 = 2000
        LossResult r = run("fused", WIDE, 2, p);
        assertEquals(2000.0, r.loss());
        assertArrayEquals(new double[] {1, 0, -1}, grad(r));
        assertEquals(0, r.events().totalNonFinite());
        assertNull(r.events().firstNonFinite());
        assertEquals(2, r.events().count(NumericEvent.EXP_UNDERFLOW)); // e^-1000 and e^-2000
    }

    @ParameterizedTest
    @EnumSource(value = Precision.class, names = {"FP64", "FP32"})
    void separateWideLogitsLabelTwo(Precision p) {
        // p = (1, 0, 0): loss = -log 0 = +∞; g_2 = -1/0 = -∞; Σ p_k g_k = 0·(-∞) = NaN; every grad_j = p_j (g_j - NaN)
        LossResult r = run("separate", WIDE, 2, p);
        assertEquals(Double.POSITIVE_INFINITY, r.loss());
        assertTrue(Arrays.stream(grad(r)).allMatch(Double::isNaN));
        NumericEvents e = r.events();
        assertEquals(1, e.count(NumericEvent.LOG_OF_ZERO));
        assertEquals(1, e.count(NumericEvent.DIV_BY_ZERO));
        assertEquals(1, e.count(NumericEvent.ZERO_TIMES_INF));
        assertEquals(1, e.lossPosInf());
        assertEquals(3, e.gradientNan());
        assertEquals(new FirstNonFinite("log", 0, 2), e.firstNonFinite());
    }

    @Test
    void separateNaiveWideLogits() {
        // e = (∞, 1, 0): expOverflow; s = ∞; p_0 = ∞/∞ = NaN, p_1 = 1/∞ = 0, p_2 = 0
        LossResult r2 = run("separate-naive", WIDE, 2, Precision.FP64);
        assertTrue(Double.isNaN(r2.probabilities()[0]));
        assertEquals(0.0, r2.probabilities()[2]);
        assertEquals(Double.POSITIVE_INFINITY, r2.loss()); // -log p_2 = -log 0
        assertTrue(Arrays.stream(grad(r2)).allMatch(Double::isNaN));
        assertEquals(1, r2.events().count(NumericEvent.EXP_OVERFLOW));
        assertEquals(1, r2.events().count(NumericEvent.INF_OVER_INF));
        assertEquals(new FirstNonFinite("exp", 0, 0), r2.events().firstNonFinite());
        LossResult r0 = run("separate-naive", WIDE, 0, Precision.FP64);
        assertTrue(Double.isNaN(r0.loss())); // -log NaN
        assertEquals(1, r0.events().lossNan());
    }

    @Test
    void separateClippedPlateau() {
        LossResult r = run("separate-clipped", WIDE, 2, Precision.FP64);
        assertEquals(-StrictMath.log(1e-7), r.loss(), 0.0); // 16.11809565095832
        assertEquals(16.11809565095832, r.loss(), 1e-14);
        assertArrayEquals(new double[] {0, 0, 0}, grad(r)); // the clip's backward stops the gradient at the label
        assertEquals(3, r.events().count(NumericEvent.CLIPPED)); // 1 > 1-ε, 0 < ε twice
        assertEquals(0, r.events().totalNonFinite());
        assertNull(r.events().firstNonFinite());
    }

    @Test
    void fusedTinyLossKeepsFullPrecisionWhereSeparateLosesIt() {
        LossResult f = run("fused", new double[] {40, 0, 0}, 0, Precision.FP64);
        assertEquals(8.496708510583178e-18, f.loss(), 2e-33); // log1p(2e^-40), worked out in 60 digits
        assertEquals(-8.496708510583178e-18, f.gradient()[0], 2e-33);
        LossResult s = run("separate", new double[] {40, 0, 0}, 0, Precision.FP64);
        assertEquals(0.0, s.loss()); // p_0 = 1/(1 + 2e^-40) rounds to 1
        assertEquals(0.0, s.gradient()[0]);
    }

    @Test
    void halfPrecisionEventsAtTwelve() {
        // e^12 = 162755 > 65504: the naive softmax overflows in fp16 but not in fp32
        LossResult naive16 = run("separate-naive", new double[] {12, 0}, 0, Precision.FP16);
        assertEquals(1, naive16.events().count(NumericEvent.EXP_OVERFLOW));
        assertTrue(Double.isNaN(naive16.loss()));
        LossResult naive32 = run("separate-naive", new double[] {12, 0}, 0, Precision.FP32);
        assertEquals(0, naive32.events().count(NumericEvent.EXP_OVERFLOW));
        assertTrue(Double.isFinite(naive32.loss()));
        // with the shift, e^-12 = 6.1e-6 is subnormal in fp16 (< 2^-14) and p_0 rounds to 1: loss 0 instead of 6.1e-6
        LossResult sep16 = run("separate", new double[] {12, 0}, 0, Precision.FP16);
        assertTrue(sep16.events().count(NumericEvent.SUBNORMAL) > 0);
        assertEquals(0.0, sep16.loss());
        LossResult sep64 = run("separate", new double[] {12, 0}, 0, Precision.FP64);
        assertTrue(sep64.loss() > 6e-6);
        // fused in fp16 keeps the small loss, to fp16's subnormal spacing
        LossResult fused16 = run("fused", new double[] {12, 0}, 0, Precision.FP16);
        assertEquals(sep64.loss(), fused16.loss(), Math.scalb(1.0, -24));
        assertTrue(fused16.loss() > 0);
    }

    @Test
    void fp16UnderflowsWhereFp64DoesNot() {
        // [20, 0]: e^-20 = 2.06e-9 underflows to 0 in fp16 (below 2^-25), not in fp32/fp64
        LossResult f16 = run("fused", new double[] {20, 0}, 0, Precision.FP16);
        LossResult f64 = run("fused", new double[] {20, 0}, 0, Precision.FP64);
        assertEquals(1, f16.events().count(NumericEvent.EXP_UNDERFLOW));
        assertEquals(0, f64.events().count(NumericEvent.EXP_UNDERFLOW));
        assertEquals(0.0, f16.loss());
        assertTrue(f64.loss() > 2e-9 && f64.loss() < 2.1e-9);
        // bf16 rounds p_1 to 8 bits: the loss is within bf16's relative precision of fp64's, and not equal to it
        LossResult b16 = run("fused", new double[] {20, 0}, 0, Precision.BF16);
        assertTrue(b16.loss() != f64.loss());
        assertEquals(f64.loss(), b16.loss(), f64.loss() * Math.scalb(1.0, -7));
    }

    @Test
    void inputRoundingOverflowIsTheFirstNonFinite() {
        LossResult r = run("fused", new double[] {1e5, 0}, 1, Precision.FP16);
        assertEquals(new FirstNonFinite("roundInput", 0, 0), r.events().firstNonFinite());
        assertTrue(Double.isNaN(r.loss())); // m = +∞: ∞ - ∞ in the shift
        assertEquals(1, r.events().count(NumericEvent.INF_MINUS_INF));
    }

    @Test
    void nonFiniteLogitsAreCountedNotRejected() {
        double inf = Double.POSITIVE_INFINITY;
        LossResult allMinusInf = run("fused", new double[] {-inf, -inf}, 0, Precision.FP64);
        assertTrue(Double.isNaN(allMinusInf.loss()));
        // -∞ - (-∞) in both shifts z_j - m and once more in m - z_y
        assertEquals(3, allMinusInf.events().count(NumericEvent.INF_MINUS_INF));
        assertNull(allMinusInf.events().firstNonFinite(), "the operands were already non-finite");
        LossResult nan = run("separate", new double[] {1, Double.NaN}, 0, Precision.FP32);
        assertEquals(1, nan.events().lossNan());
        assertEquals(2, nan.events().gradientNan());
        // a -∞ logit at a label that is not the max: the loss is +∞ but the gradient is finite and exact
        LossResult minusInfLabel = run("fused", new double[] {0, -inf}, 1, Precision.FP64);
        assertEquals(inf, minusInfLabel.loss());
        assertArrayEquals(new double[] {1, -1}, grad(minusInfLabel));
    }

    @Test
    void denseOneHotOnSeparateGivesNaNOnceAProbabilityUnderflows() {
        LossResult out = new LossResult();
        LossInput dense = LossInput.ofTarget(WIDE, new double[] {1, 0, 0});
        LossPaths.byId("separate").evaluate(dense, SUM, PrecisionSpec.of(Precision.FP64), out);
        assertTrue(Double.isNaN(out.loss())); // 0·log 0
        assertTrue(Arrays.stream(grad(out)).anyMatch(Double::isNaN)); // 0/0
        assertTrue(out.events().count(NumericEvent.ZERO_TIMES_INF) >= 2);
        assertTrue(out.events().count(NumericEvent.DIV_BY_ZERO) >= 2);
        // the same logits with the sparse label 0: no NaN, loss 0
        LossResult sparse = run("separate", WIDE, 0, Precision.FP64);
        assertEquals(0.0, sparse.loss());
        assertEquals(0, sparse.events().totalNonFinite());
        // and fused with the dense one-hot target: exact, no NaN
        LossPaths.byId("fused").evaluate(dense, SUM, PrecisionSpec.of(Precision.FP64), out);
        assertEquals(0.0, out.loss());
        assertArrayEquals(new double[] {0, 0, 0}, grad(out));
    }

    @Test
    void smoothedSparseLabelIsDenseInEffectOnSeparate() {
        LossResult out = new LossResult();
        LossPaths.byId("separate").evaluate(LossInput.ofLabel(WIDE, 0), SUM.withLabelSmoothing(0.1),
                PrecisionSpec.of(Precision.FP64), out);
        assertEquals(Double.POSITIVE_INFINITY, out.loss()); // (0.1/3)·(-log 0)
        LossPaths.byId("fused").evaluate(LossInput.ofLabel(WIDE, 0), SUM.withLabelSmoothing(0.1),
                PrecisionSpec.of(Precision.FP64), out);
        // Σ t_j (m - z_j) = (0.1/3)·1000 + (0.1/3)·2000 = 100
        assertEquals(100.0, out.loss(), 1e-12);
    }

    @Test
    void fp16BatchMeanIsReducedInTheAccumulationFormat() {
        // 10,000 rows of loss log 2 ≈ 0.693: the sum 6931 is finite in fp16, but 10,000 rows of [12, 0] label 1
        // (loss ≈ 12) sum to 120,000 > 65504; the mean (12) is finite because the sum stays in fp32 until divided
        int rows = 10_000;
        double[] z = new double[rows * 2];
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            z[2 * i] = 12;
            labels[i] = 1;
        }
        LossInput in = new LossInput(z, rows, 2, new Targets.Sparse(labels));
        LossResult out = new LossResult();
        LossPaths.byId("fused").evaluate(in, LossOptions.DEFAULTS, PrecisionSpec.of(Precision.FP16), out);
        assertEquals(12.0, out.loss()); // 12 + log1p(6.1e-6) rounds to 12 in fp16
        LossPaths.byId("fused").evaluate(in, SUM, PrecisionSpec.of(Precision.FP16), out);
        assertEquals(Double.POSITIVE_INFINITY, out.loss()); // the sum itself overflows fp16 at its end
        assertEquals(new FirstNonFinite("sum", -1, -1), out.events().firstNonFinite());
        // with fp16 accumulation the partial sum stagnates instead: from 32768 on (ulp 32) adding 12 rounds back,
        // so the mean is fp16(32768 / 10000) = 3.27734375 instead of 12
        LossPaths.byId("fused").evaluate(in, LossOptions.DEFAULTS,
                new PrecisionSpec(Precision.FP16, Precision.FP16), out);
        assertEquals(3.27734375, out.loss());
    }

    @Test
    void clipPassesTheGradientOnItsBoundaryAndStopsItJustOutside() {
        // four equal logits: p = 1/4 exactly. Dense target (1, 0, 0, 0), sum reduction.
        LossInput in = LossInput.ofTarget(new double[] {0, 0, 0, 0}, new double[] {1, 0, 0, 0});
        LossResult out = new LossResult();
        // ε = 1/4: every p_j = ε lies on the clip's boundary, which is inside [ε, 1-ε]: nothing clipped, g passes.
        // loss = -log(1/4) = log 4; g = -t/p = (-4, 0, 0, 0); Σ p g = -1; grad = p (g + 1) = (-3/4, 1/4, 1/4, 1/4)
        LossPaths.byId("separate-clipped").evaluate(in, SUM.withClipEpsilon(0.25), PrecisionSpec.of(Precision.FP64),
                out);
        assertEquals(Math.log(4), out.loss(), 1e-15);
        assertArrayEquals(new double[] {-0.75, 0.25, 0.25, 0.25}, grad(out));
        assertEquals(0, out.events().count(NumericEvent.CLIPPED));
        // ε = 1/4 + 2^-40: every p_j is below ε, so all four are clipped, the loss is -log ε and the gradient stops
        double eps = 0.25 + 0x1p-40;
        LossPaths.byId("separate-clipped").evaluate(in, SUM.withClipEpsilon(eps), PrecisionSpec.of(Precision.FP64),
                out);
        assertEquals(-Math.log(eps), out.loss(), 1e-15);
        assertArrayEquals(new double[] {0, 0, 0, 0}, grad(out));
        assertEquals(4, out.events().count(NumericEvent.CLIPPED));
    }

    @Test
    void reducedLossThatOverflowsIsCountedAsANonFiniteLoss() {
        // two rows [0, -40000] label 1 in fp16: each row loss is 40000 + log1p(e^-40000) = 40000 exactly in fp16
        // (a multiple of its spacing 32 there); the sum 80000 > 65504 overflows at the end of the reduction. The
        // reported loss is then +∞ and must be counted as one, even though no row loss is non-finite.
        LossInput in = new LossInput(new double[] {0, -40000, 0, -40000}, 2, 2, new Targets.Sparse(new int[] {1, 1}));
        LossResult out = new LossResult();
        LossPaths.byId("fused").evaluate(in, SUM, PrecisionSpec.of(Precision.FP16), out);
        assertArrayEquals(new double[] {40000, 40000}, Arrays.copyOf(out.rowLosses(), 2));
        assertEquals(Double.POSITIVE_INFINITY, out.loss());
        assertEquals(1, out.events().lossPosInf());
        assertEquals(1, out.events().totalNonFinite());
        // the mean (40000) is finite: nothing to count
        LossPaths.byId("fused").evaluate(in, LossOptions.DEFAULTS, PrecisionSpec.of(Precision.FP16), out);
        assertEquals(40000.0, out.loss());
        assertEquals(0, out.events().totalNonFinite());
        // a NaN row makes the sum NaN: that one NaN is counted once, not again for the sum
        LossInput withNaN = new LossInput(new double[] {Double.NaN, 0, 0, -40000}, 2, 2,
                new Targets.Sparse(new int[] {1, 1}));
        LossPaths.byId("fused").evaluate(withNaN, SUM, PrecisionSpec.of(Precision.FP16), out);
        assertTrue(Double.isNaN(out.loss()));
        assertEquals(1, out.events().lossNan());
        assertEquals(0, out.events().lossPosInf());
    }

    @Test
    void aOneRowBatchCountsOnlyItsRowsOperations() {
        // [0, -10] label 0 in fp16: the row loss log1p(e^-10) ≈ 4.54e-5 is subnormal there (below 2^-14 ≈ 6.1e-5).
        // Two such rows sum to ≈ 9.08e-5, a normal number, so under none the batch adds no event of its own and the
        // events of two identical rows must be exactly twice those of one. A one-row batch has nothing to reduce:
        // counting its loss again as the result of a sum would break this.
        LossOptions none = LossOptions.DEFAULTS.withReduction(Reduction.NONE);
        for (LossPath path : LossPaths.all()) {
            LossResult one = new LossResult();
            path.evaluate(new LossInput(new double[] {0, -10}, 1, 2, new Targets.Sparse(new int[] {0})), none,
                    PrecisionSpec.of(Precision.FP16), one);
            LossResult two = new LossResult();
            path.evaluate(new LossInput(new double[] {0, -10, 0, -10}, 2, 2, new Targets.Sparse(new int[] {0, 0})),
                    none, PrecisionSpec.of(Precision.FP16), two);
            for (NumericEvent e : NumericEvent.values()) {
                assertEquals(2 * one.events().count(e), two.events().count(e), path.id() + " " + e.id());
            }
            if (path.id().equals("fused")) {
                assertTrue(one.events().count(NumericEvent.SUBNORMAL) > 0, "the case must exercise subnormals");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void singleClassRowHasZeroLossAndGradientWithoutNegativeZero(Precision p) {
        for (LossPath path : LossPaths.all()) {
            LossResult r = run(path.id(), new double[] {3.5}, 0, p);
            if (path.id().equals("separate-clipped")) {
                // p = 1 is clipped to 1-ε: loss -log(1-ε) (0 in bf16/fp16, where 1-ε rounds to 1), gradient stopped
                assertEquals(p.round(0.0 - StrictMath.log(p.round(1 - 1e-7))), r.loss(), path.id());
            } else {
                assertEquals(0L, Double.doubleToRawLongBits(r.loss()), path.id() + " loss " + r.loss());
            }
            assertEquals(0L, Double.doubleToRawLongBits(r.gradient()[0]), path.id() + " grad " + r.gradient()[0]);
            assertEquals(1.0, r.probabilities()[0]);
        }
    }

    @Test
    void registryOrderAndIds() {
        assertEquals(java.util.List.of("fused", "separate", "separate-naive", "separate-clipped", "fused-chunked",
                "double-softmax", "fused-lowp-grad"), LossPaths.ids());
        // a run that names no path keeps the four it always ran; the new ones are asked for by name
        assertEquals(java.util.List.of("fused", "separate", "separate-naive", "separate-clipped"),
                LossPaths.defaults().stream().map(LossPath::id).toList());
    }
}
