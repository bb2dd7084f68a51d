package dev.softmaxlab.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.numeric.NumericEvent;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Hand-worked cases of each loss-head option and of the paths fused-chunked, double-softmax and fused-lowp-grad. */
class LossHeadHandCasesTest {

    private static final LossOptions SUM = LossOptions.DEFAULTS.withReduction(Reduction.SUM);
    private static final double LN2 = Math.log(2);

    static java.util.List<String> softmaxCrossEntropyPaths() {
        return LossPaths.ids().stream().filter(id -> !id.equals(DoubleSoftmaxCrossEntropy.ID)).toList();
    }

    private static LossResult run(String path, double[] z, int label, LossOptions o, Precision p) {
        LossResult out = new LossResult();
        LossPaths.byId(path).evaluate(LossInput.ofLabel(z, label), o, PrecisionSpec.of(p), out);
        return out;
    }

    @ParameterizedTest
    @MethodSource("softmaxCrossEntropyPaths")
    void zLossAddsLambdaLseSquaredAndItsGradient(String path) {
        // z = (0, 0), y = 0: lse = ln 2, p = (1/2, 1/2)
        //   loss = ln 2 + λ ln²2,  grad = p - e_0 + 2λ ln2 · p = (-1/2 + λ ln 2, 1/2 + λ ln 2)
        double lambda = 0.1;
        LossResult r = run(path, new double[] {0, 0}, 0, SUM.withZLoss(lambda), Precision.FP64);
        assertEquals(LN2 + lambda * LN2 * LN2, r.loss(), 1e-15, path);
        assertEquals(-0.5 + lambda * LN2, r.gradient()[0], 1e-15, path);
        assertEquals(0.5 + lambda * LN2, r.gradient()[1], 1e-15, path);
        // λ = 0 is no z-loss at all: the same bits as the options without it
        LossResult off = run(path, new double[] {0.3, -1.2, 2}, 1, SUM.withZLoss(0.0), Precision.BF16);
        LossResult plain = run(path, new double[] {0.3, -1.2, 2}, 1, SUM, Precision.BF16);
        assertEquals(plain.loss(), off.loss(), path);
        assertEquals(plain.events().toString(), off.events().toString(), path);
    }

    @ParameterizedTest
    @MethodSource("softmaxCrossEntropyPaths")
    void zLossOnLargeLogitsIsLambdaTimesTheLseSquared(String path) {
        // z = (50, 50), y = 1: lse = 50 + ln 2, cross-entropy ln 2; λ = 1e-4 adds 1e-4·(50 + ln 2)² ≈ 0.2570
        double lse = 50 + LN2;
        LossResult r = run(path, new double[] {50, 50}, 1, SUM.withZLoss(1e-4), Precision.FP64);
        assertEquals(LN2 + 1e-4 * lse * lse, r.loss(), 1e-14, path);
        assertEquals(0.5 + 2e-4 * lse * 0.5, r.gradient()[0], 1e-15, path);
    }

    @ParameterizedTest
    @MethodSource("softmaxCrossEntropyPaths")
    void softcapSaturatesHugeLogitsAndStopsTheirGradient(String path) {
        // c = 30: tanh(±1000/30) rounds to ±1, so z' = (30, 0, -30), both extremes counted as saturated, and their
        // gradient is multiplied by 1 - 1² = 0 exactly. y = 1: loss = lse(30, 0, -30) = 30 + log1p(e^-30 + e^-60)
        LossResult r = run(path, new double[] {1000, 0, -1000}, 1, SUM.withSoftcap(30), Precision.FP64);
        assertEquals(2, r.events().count(NumericEvent.SATURATED), path);
        assertEquals(0.0, r.gradient()[0], path);
        assertEquals(0.0, r.gradient()[2], path);
        if (path.equals(SeparateClippedSoftmaxCrossEntropy.ID)) {
            // p_1 = e^-30/(1 + ...) ≈ 9.4e-14 is below ε = 1e-7: clipped, loss -log ε, gradient stopped
            assertEquals(-Math.log(1e-7), r.loss(), 1e-14, path);
            return;
        }
        assertEquals(30 + Math.log1p(Math.exp(-30) + Math.exp(-60)), r.loss(), 4 * Math.ulp(30.0), path);
        assertEquals(-1.0, r.gradient()[1], 1e-12, path);
        // without the cap the same row's loss is 1000 (fused paths) or +∞ (separate: p_1 underflows to 0)
        double uncapped = run(path, new double[] {1000, 0, -1000}, 1, SUM, Precision.FP64).loss();
        assertEquals(path.startsWith("fused") ? 1000.0 : Double.POSITIVE_INFINITY, uncapped, 1e-9, path);
    }

    @Test
    void softcapOfSmallLogitsChangesThemByAboutZCubedOverThreeCSquared() {
        // z' = c tanh(z/c) = z - z³/(3c²) + ...: z = (1, 0), c = 30 → z'_0 = 30 tanh(1/30) = 0.99962974...
        double capped = 30 * Math.tanh(1.0 / 30);
        double expected = Math.log1p(Math.exp(capped)); // y = 1: lse(z') - z'_1 = log(1 + e^{z'_0})
        LossResult r = run("fused", new double[] {1, 0}, 1, SUM.withSoftcap(30), Precision.FP64);
        assertEquals(expected, r.loss(), 2 * Math.ulp(expected));
        assertEquals(0, r.events().count(NumericEvent.SATURATED));
    }

    @Test
    void chunkCarryInBf16StallsAtTwoHundredFiftySix() {
        // 600 equal logits, chunks of 1: each chunk adds exactly 1 to the carried s' (= s - 1). In bf16 (8 significand
        // bits) 256 + 1 = 257 is a tie between 256 and 258 and rounds to even, 256: the carry stops growing there.
        // The true loss is log 600 = 6.397; a bf16 carry gives log1p(256) = log 257 = 5.549, rounded to bf16.
        double[] z = new double[600];
        LossOptions chunks = SUM.withChunkSize(1);
        LossResult bf16Carry = run("fused-chunked", z, 0, chunks.withChunkCarry(Precision.BF16), Precision.BF16);
        assertEquals(Precision.BF16.round(StrictMath.log1p(256)), bf16Carry.loss());
        // an fp32 carry (the default for bf16, which accumulates in fp32) counts to 599 exactly; rounded to bf16 at
        // the end that is 600, as fused's own sum is, so the loss is fused's
        LossResult fp32Carry = run("fused-chunked", z, 0, chunks, Precision.BF16);
        LossResult fused = run("fused", z, 0, SUM, Precision.BF16);
        assertEquals(Precision.BF16.round(StrictMath.log1p(600)), fp32Carry.loss());
        assertEquals(fused.loss(), fp32Carry.loss());
        assertEquals(0, bf16Carry.events().totalNonFinite());
    }

    @Test
    void chunksCombineAsTheOnlineSoftmaxDoes() {
        // z = (0, 0, 0, ln 4) in chunks of 2, y = 0: chunk 0 gives m = 0, s' = 1; chunk 1 has m = ln 4 > 0, so
        // s' = s'_1 + (1 + s')·e^{0 - ln 4} = e^{-ln 4} + 2/4 = 3/4, m = ln 4: loss = (ln 4 - 0) + log1p(3/4) = ln 7
        double ln4 = Math.log(4);
        LossResult r = run("fused-chunked", new double[] {0, 0, 0, ln4}, 0, SUM.withChunkSize(2), Precision.FP64);
        assertEquals(Math.log(7), r.loss(), 2 * Math.ulp(Math.log(7)));
        assertEquals(1.0 / 7 - 1, r.gradient()[0], 1e-15);
        assertEquals(4.0 / 7, r.gradient()[3], 1e-15);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void oneChunkIsFusedBitForBit(Precision p) {
        SplittableRandom r = new SplittableRandom(4096 + p.ordinal());
        LossPath fused = LossPaths.byId("fused");
        LossPath chunked = LossPaths.byId("fused-chunked");
        for (int trial = 0; trial < 200; trial++) {
            int rows = 1 + r.nextInt(4);
            int classes = 1 + r.nextInt(40);
            double scale = new double[] {1, 10, 100, 1000}[r.nextInt(4)];
            double[] z = new double[rows * classes];
            for (int k = 0; k < z.length; k++) {
                z[k] = scale * (2 * r.nextDouble() - 1);
            }
            if (trial % 25 == 0) {
                z[r.nextInt(z.length)] = new double[] {Double.NaN, Double.POSITIVE_INFINITY,
                        Double.NEGATIVE_INFINITY}[trial / 25 % 3];
            }
            int[] labels = new int[rows];
            for (int i = 0; i < rows; i++) {
                labels[i] = r.nextInt(classes);
            }
            LossInput in = new LossInput(z, rows, classes, new Targets.Sparse(labels));
            LossOptions o = LossOptions.DEFAULTS.withLabelSmoothing(trial % 3 == 0 ? 0.1 : 0.0)
                    .withReduction(Reduction.values()[trial % 3]);
            LossResult a = new LossResult();
            LossResult b = new LossResult();
            fused.evaluate(in, o, PrecisionSpec.of(p), a);
            chunked.evaluate(in, o.withChunkSize(classes + r.nextInt(3)), PrecisionSpec.of(p), b);
            String what = p + " trial " + trial;
            assertEquals(Double.doubleToRawLongBits(a.loss()), Double.doubleToRawLongBits(b.loss()), what);
            for (int k = 0; k < z.length; k++) {
                assertEquals(Double.doubleToRawLongBits(a.gradient()[k]), Double.doubleToRawLongBits(b.gradient()[k]),
                        what + " grad " + k);
                assertEquals(Double.doubleToRawLongBits(a.probabilities()[k]),
                        Double.doubleToRawLongBits(b.probabilities()[k]), what + " p " + k);
            }
            assertEquals(a.events().toString(), b.events().toString(), what);
        }
    }

    @Test
    void aBf16CarryDriftsWithTheNumberOfChunksWhereAnFp32CarryDoesNot() {
        // 32768 logits in [-1, 1], bf16: s' ≈ 32768·E[e^{z-m}] ≈ 1.3e4, and each chunk adds about 0.43 per class to
        // it. A bf16 carry rounds s' at every chunk to 8 bits, so a chunk's contribution below half an ulp of s' is
        // lost (or rounded up): the more chunks, the more is lost. Measured (err = loss - exact, in bf16 ulps):
        // bf16 carry -19.7 (chunks of 16), -7.7 (64), 1.3 (256), 0.3 (1024); fp32 carry 0.3 at every size.
        // "exact" is fp64 fused here: its error, ~1e-15 relative, is nothing next to a bf16 ulp (2^-4 at 10.9).
        SplittableRandom r = new SplittableRandom(1391);
        double[] z = new double[32768];
        for (int k = 0; k < z.length; k++) {
            z[k] = Precision.BF16.round(2 * r.nextDouble() - 1);
        }
        double exact = run("fused", z, 0, SUM, Precision.FP64).loss();
        double ulp = Precision.BF16.ulp(exact);
        double[] bf16Carry = new double[3];
        int[] sizes = {16, 64, 1024};
        for (int k = 0; k < sizes.length; k++) {
            bf16Carry[k] = Math.abs(run("fused-chunked", z, 0,
                    SUM.withChunkSize(sizes[k]).withChunkCarry(Precision.BF16), Precision.BF16).loss() - exact) / ulp;
        }
        double fp32Carry = Math.abs(run("fused-chunked", z, 0, SUM.withChunkSize(16), Precision.BF16).loss() - exact)
                / ulp;
        assertTrue(bf16Carry[0] > 10 && bf16Carry[0] > bf16Carry[1] && bf16Carry[1] > bf16Carry[2],
                () -> "bf16 carry, chunks of 16, 64, 1024: " + java.util.Arrays.toString(bf16Carry) + " ulps");
        assertTrue(bf16Carry[2] <= 1, () -> "bf16 carry over 32 chunks: " + bf16Carry[2] + " ulps");
        assertTrue(fp32Carry <= 1, () -> "fp32 carry over 2048 chunks: " + fp32Carry + " ulps");
    }

    @Test
    void lowpGradLosesTheLabelsGradientInBf16WhereFusedKeepsIt() {
        // z = (8, 0), y = 0: p_0 = 1/(1 + e^-8) = 0.99966, which rounds to 1 in bf16 (spacing 2^-8 below 1), so
        // round(p_0) - 1 = 0: 100% error. fused forms -(s - e_0)/s = -e^-8/(1 + e^-8) = -3.3535e-4 to within an ulp.
        double exact = -Math.exp(-8) / (1 + Math.exp(-8));
        LossResult lowp = run("fused-lowp-grad", new double[] {8, 0}, 0, SUM, Precision.BF16);
        LossResult fused = run("fused", new double[] {8, 0}, 0, SUM, Precision.BF16);
        assertEquals(0.0, lowp.gradient()[0]);
        assertTrue(Math.abs(fused.gradient()[0] - exact) <= Precision.BF16.ulp(exact),
                () -> "fused grad_0 " + fused.gradient()[0] + " vs " + exact);
        assertEquals(fused.loss(), lowp.loss(), "the forward is fused's");
        assertEquals(fused.gradient()[1], lowp.gradient()[1], "the other classes are p_j in both");
    }

    @ParameterizedTest
    @EnumSource(value = Precision.class, names = {"FP64", "FP32"})
    void lowpGradDiffersFromFusedOnlyInTheLastBitsOfTheLabelsGradientInFp64AndFp32(Precision p) {
        SplittableRandom r = new SplittableRandom(1329);
        for (int trial = 0; trial < 100; trial++) {
            double[] z = new double[2 + r.nextInt(10)];
            for (int k = 0; k < z.length; k++) {
                z[k] = 10 * r.nextDouble() - 5;
            }
            int y = r.nextInt(z.length);
            LossResult lowp = run("fused-lowp-grad", z, y, SUM, p);
            LossResult fused = run("fused", z, y, SUM, p);
            for (int j = 0; j < z.length; j++) {
                if (j != y) {
                    assertEquals(fused.gradient()[j], lowp.gradient()[j]);
                }
            }
            // round(p_y) - 1 is off from p_y - 1 by at most half an ulp of 1, plus the ulp of the subtraction
            assertEquals(fused.gradient()[y], lowp.gradient()[y], 2 * p.ulp(1.0));
        }
    }

    @Test
    void doubleSoftmaxLossCannotFallBelowLogOnePlusCMinusOneOverE() {
        // z = (100, 0, 0): r = softmax(z) = (1, e^-100, e^-100) ≈ one-hot, and the loss takes r as logits:
        // loss = log(e + 2·e^{e^-100}) - 1 = log(1 + 2/e) (to 1e-43), the floor -log(e/(e + C - 1)) for C = 3
        LossResult r = run("double-softmax", new double[] {100, 0, 0}, 0, SUM, Precision.FP64);
        assertEquals(Math.log1p(2 / Math.E), r.loss(), 2 * Math.ulp(0.55));
        assertEquals(-Math.log(Math.E / (Math.E + 2)), r.loss(), 4 * Math.ulp(0.55));
        // the gradient is squashed by the inner softmax's Jacobian, r_j (g_j - Σ r g): of the order of e^-100
        for (int j = 0; j < 3; j++) {
            assertTrue(Math.abs(r.gradient()[j]) < 1e-40, "grad " + j + " = " + r.gradient()[j]);
        }
        // the probabilities reported are those the loss saw: softmax(r) = (e, 1, 1)/(e + 2)
        assertEquals(Math.E / (Math.E + 2), r.probabilities()[0], 1e-15);
        assertEquals(0, r.events().totalNonFinite());
    }

    @Test
    void doubleSoftmaxOfEqualLogitsIsLogC() {
        // z = (0, 0, 0, 0): r = (1/4, ...), loss = lse(r) - r_y = log 4 exactly in value, gradient exactly 0 by symmetry
        LossResult r = run("double-softmax", new double[4], 2, SUM, Precision.FP64);
        assertEquals(Math.log(4), r.loss(), Math.ulp(1.4));
        BigDecimal exact = HighPrecision.head(new double[4], 1, 4, new int[] {2}, null, 0, null, -100, 0, 0, true,
                Reduction.SUM).gradient()[2];
        assertEquals(exact.doubleValue(), r.gradient()[2], 1e-16);
    }

    @Test
    void classWeightsScaleASparseRowsLossAndGradient() {
        // w = (1, 3): row y = 1 of z = (0, 0) has loss 3 ln 2 and gradient 3·(1/2, -1/2); sum reduction, no division
        LossOptions o = SUM.withClassWeights(ClassWeights.of(1, 3));
        for (String path : softmaxCrossEntropyPaths()) {
            LossResult r = run(path, new double[] {0, 0}, 1, o, Precision.FP64);
            assertEquals(3 * LN2, r.loss(), 1e-15, path);
            assertEquals(1.5, r.gradient()[0], 1e-15, path);
            assertEquals(-1.5, r.gradient()[1], 1e-15, path);
            // under mean, one row of weight 3 is divided by 3: back to ln 2 and (1/2, -1/2)
            LossResult mean = run(path, new double[] {0, 0}, 1, o.withReduction(Reduction.MEAN), Precision.FP64);
            assertEquals(LN2, mean.loss(), 1e-15, path);
            assertEquals(0.5, mean.gradient()[0], 1e-15, path);
            assertEquals(3.0, mean.denominator(), path);
        }
    }

    @Test
    void anIgnoredRowIsNotEvaluatedAtAll() {
        // row 1 would overflow in separate-naive (e^1000); ignored, it counts nothing
        LossInput in = new LossInput(new double[] {1, 2, 1000, 0}, 2, 2, new Targets.Sparse(new int[] {0, 7}));
        LossResult out = new LossResult();
        LossPaths.byId("separate-naive").evaluate(in, LossOptions.DEFAULTS.withIgnoreIndex(7),
                PrecisionSpec.of(Precision.FP64), out);
        assertEquals(0, out.events().totalOperationEvents() + out.events().totalNonFinite());
        assertEquals(1, out.ignoredRows());
        assertEquals(Math.log1p(Math.E), out.loss(), 1e-15); // row 0 alone, y = 0 of (1, 2): log(1 + e)
    }
}
