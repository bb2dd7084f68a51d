package dev.softmaxlab.core.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softmaxlab.core.numeric.NumericEvent;
import dev.softmaxlab.core.precision.Precision;
import dev.softmaxlab.core.precision.PrecisionSpec;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Label smoothing × class weights × ignore_index on worked examples, written out exactly as PyTorch's
 * {@code F.cross_entropy} defines them (aten/src/ATen/native/LossNLL.cpp, {@code cross_entropy_loss_label_smoothing}
 * and the probability-target branch):
 * <pre>
 *   sparse:  loss = (1-α)·nll + (α/C)·smooth
 *            nll    = Σ_{kept i} w_{y_i}·(-log p_{i,y_i})        / D   (mean)
 *            smooth = Σ_{kept i} Σ_c w_c·(-log p_{i,c})           / D   (mean)
 *            D      = Σ_{kept i} w_{y_i}   (the kept-row count without weights); sum: no D; none: per row, 0 if ignored
 *   dense:   loss = Σ_i Σ_c w_c·((1-α)·t_{i,c} + α/C)·(-log p_{i,c}) / B   (mean)
 * </pre>
 * with -log p_{i,c} = lse_i - z_{i,c}. The three log-sum-exps of the batch and every expected loss were computed once
 * with mpmath at 50 digits (python3: {@code lse = log(fsum(exp(mpf(x)) for x in row))}, then the formulas above) and
 * are written here; the tests first check that the formulas, evaluated in double from the lse constants, give the
 * mpmath totals, so the written-out definition and the constants hold each other, and then hold every path to them.
 */
class PyTorchDefinitionTest {

    private static final double[] Z = {
        2.0, 1.0, 0.1,
        0.5, 2.5, -1.0,
        1.0, -0.5, 3.0};
    private static final double[] LSE = {
        2.417030016277833483154938, 2.653178207122288103086578, 3.153178207122288103086578};
    private static final double[] W = {1.0, 2.0, 0.5};
    private static final int C = 3;
    private static final int[] LABELS = {0, -100, 2};

    /** Every path that is a softmax cross-entropy of z (double-softmax is the bug of a different loss). */
    static java.util.List<String> paths() {
        return LossPaths.ids().stream().filter(id -> !id.equals(DoubleSoftmaxCrossEntropy.ID)).toList();
    }

    static java.util.List<String> allPaths() {
        return LossPaths.ids();
    }

    private static double nll(int i, int c) {
        return LSE[i] - Z[i * C + c];
    }

    /** Σ_c w_c·(-log p_{i,c}), the smoothing term of row i (w = 1 without weights). */
    private static double smooth(int i, double[] w) {
        double s = 0;
        for (int c = 0; c < C; c++) {
            s += (w == null ? 1 : w[c]) * nll(i, c);
        }
        return s;
    }

    private static LossResult run(String path, Targets targets, LossOptions options) {
        LossResult out = new LossResult();
        LossPaths.byId(path).evaluate(new LossInput(Z, 3, C, targets), options, PrecisionSpec.of(Precision.FP64),
                out);
        return out;
    }

    private static void assertRelative(double expected, double actual, double tol, String what) {
        assertTrue(Math.abs(actual - expected) <= tol * Math.abs(expected),
                () -> what + ": expected " + expected + ", was " + actual);
    }

    @ParameterizedTest
    @MethodSource("paths")
    void smoothingWeightsAndIgnoreIndexMean(String path) {
        // row 1 is ignored; kept rows 0 (y = 0, w = 1) and 2 (y = 2, w = 0.5): D = 1.5
        double d = W[0] + W[2];
        double nll = (W[0] * nll(0, 0) + W[2] * nll(2, 2)) / d;
        double smooth = (smooth(0, W) + smooth(2, W)) / d;
        double byHand = 0.9 * nll + (0.1 / C) * smooth;
        assertRelative(0.6060765559456182150635835, byHand, 1e-15, "the written-out definition");
        LossResult r = run(path, new Targets.Sparse(LABELS), LossOptions.DEFAULTS.withLabelSmoothing(0.1)
                .withClassWeights(ClassWeights.of(W)));
        assertRelative(0.6060765559456182150635835, r.loss(), 1e-14, path);
        assertEquals(1.5, r.denominator());
        assertEquals(1, r.ignoredRows());
        assertEquals(0.0, r.rowLosses()[1]);
        assertArrayEquals(new double[3], Arrays.copyOfRange(r.gradient(), 3, 6), "ignored row: gradient 0");
    }

    @ParameterizedTest
    @MethodSource("paths")
    void smoothingWeightsAndIgnoreIndexSumAndNone(String path) {
        double row0 = 0.9 * W[0] * nll(0, 0) + (0.1 / C) * smooth(0, W);
        double row2 = 0.9 * W[2] * nll(2, 2) + (0.1 / C) * smooth(2, W);
        assertRelative(0.522313849882464046959429, row0, 1e-15, "row 0 written out");
        assertRelative(0.3868009840359632756359463, row2, 1e-15, "row 2 written out");
        assertRelative(0.9091148339184273225953753, row0 + row2, 1e-15, "sum written out");
        LossOptions o = LossOptions.DEFAULTS.withLabelSmoothing(0.1).withClassWeights(ClassWeights.of(W));
        LossResult sum = run(path, new Targets.Sparse(LABELS), o.withReduction(Reduction.SUM));
        assertRelative(0.9091148339184273225953753, sum.loss(), 1e-14, path + " sum");
        LossResult none = run(path, new Targets.Sparse(LABELS), o.withReduction(Reduction.NONE));
        assertRelative(0.522313849882464046959429, none.rowLosses()[0], 1e-14, path + " none row 0");
        assertEquals(0.0, none.rowLosses()[1], path + " none: the ignored row is 0");
        assertRelative(0.3868009840359632756359463, none.rowLosses()[2], 1e-14, path + " none row 2");
    }

    @ParameterizedTest
    @MethodSource("paths")
    void smoothingWithIgnoredRowsDividesByTheKeptRowsOnly(String path) {
        // PyTorch #73205: the smoothing term's mean must not count the ignored row: D = 2, not 3
        double byHand = 0.9 * (nll(0, 0) + nll(2, 2)) / 2 + (0.1 / C) * (smooth(0, null) + smooth(2, null)) / 2;
        assertRelative(0.425104111700060800799801, byHand, 1e-15, "the written-out definition");
        LossResult r = run(path, new Targets.Sparse(LABELS), LossOptions.DEFAULTS.withLabelSmoothing(0.1));
        assertRelative(0.425104111700060800799801, r.loss(), 1e-14, path);
        assertEquals(2.0, r.denominator());
    }

    @ParameterizedTest
    @MethodSource("paths")
    void weightsWithoutSmoothingDivideByTheKeptWeights(String path) {
        double byHand = (W[0] * nll(0, 0) + W[2] * nll(2, 2)) / (W[0] + W[2]);
        assertRelative(0.3290794132259850231321517, byHand, 1e-15, "the written-out definition");
        LossResult r = run(path, new Targets.Sparse(LABELS), LossOptions.DEFAULTS.withClassWeights(ClassWeights.of(W)));
        assertRelative(0.3290794132259850231321517, r.loss(), 1e-14, path);
    }

    @ParameterizedTest
    @MethodSource("paths")
    void noRowIgnoredWeightsAndSmoothing(String path) {
        double d = W[0] + W[1] + W[2];
        double byHand = 0.9 * (W[0] * nll(0, 0) + W[1] * nll(1, 1) + W[2] * nll(2, 2)) / d
                + (0.1 / C) * (smooth(0, W) + smooth(1, W) + smooth(2, W)) / d;
        assertRelative(0.3793446850198512932595103, byHand, 1e-15, "the written-out definition");
        LossResult r = run(path, new Targets.Sparse(new int[] {0, 1, 2}),
                LossOptions.DEFAULTS.withLabelSmoothing(0.1).withClassWeights(ClassWeights.of(W)));
        assertRelative(0.3793446850198512932595103, r.loss(), 1e-14, path);
        assertEquals(3.5, r.denominator());
    }

    @ParameterizedTest
    @MethodSource("paths")
    void denseTargetsWithWeightsAndSmoothingDivideByB(String path) {
        double[] t = {
            0.7, 0.2, 0.1,
            0.0, 1.0, 0.0,
            0.25, 0.25, 0.5};
        double byHand = 0;
        for (int i = 0; i < 3; i++) {
            for (int c = 0; c < C; c++) {
                byHand += W[c] * (0.8 * t[i * C + c] + 0.2 / C) * nll(i, c);
            }
        }
        byHand /= 3;
        assertRelative(1.38758404861922017594898, byHand, 1e-15, "the written-out definition");
        LossResult r = run(path, new Targets.Dense(t),
                LossOptions.DEFAULTS.withLabelSmoothing(0.2).withClassWeights(ClassWeights.of(W)));
        assertRelative(1.38758404861922017594898, r.loss(), 1e-14, path);
        assertEquals(3.0, r.denominator());
    }

    @ParameterizedTest
    @MethodSource("allPaths")
    void everyRowIgnoredMeanIsNaNCountedAndTheGradientIsZero(String path) {
        // PyTorch returns NaN (0/0) for a mean over no kept row; the tool counts it where it happens
        LossResult r = run(path, new Targets.Sparse(new int[] {-100, -100, -100}), LossOptions.DEFAULTS);
        assertTrue(Double.isNaN(r.loss()), path);
        assertEquals(1, r.events().count(NumericEvent.DIV_BY_ZERO), path);
        assertEquals(1, r.events().lossNan(), path);
        assertEquals(0, r.events().gradientNan(), path);
        assertEquals(3, r.ignoredRows());
        assertArrayEquals(new double[9], Arrays.copyOf(r.gradient(), 9), path);
        LossResult sum = run(path, new Targets.Sparse(new int[] {-100, -100, -100}),
                LossOptions.DEFAULTS.withReduction(Reduction.SUM));
        assertEquals(0.0, sum.loss(), path + ": a sum over no row is 0");
        assertEquals(0, sum.events().totalNonFinite() + sum.events().totalOperationEvents(), path);
    }
}
